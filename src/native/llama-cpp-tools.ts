/**
 * @module llama.cpp's own command-line tools (`llama-finetune`, `llama-server`): found on the
 * machine, or built once from the llama.cpp source that node-llama-cpp ships as a git bundle.
 * Builds go to `$INVSCALE_LLAMA_CPP_DIR` (default `<INVSCALE_HOME>/llama.cpp`), one folder per
 * llama.cpp commit, and are reused by every later call.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { invscaleHome } from "../util/home.js";

export type LlamaTool = "llama-finetune" | "llama-server";

/** The environment variable that names a tool's binary directly. */
export const toolEnvVar: Record<LlamaTool, string> = {
	"llama-finetune": "INVSCALE_LLAMA_FINETUNE",
	"llama-server": "INVSCALE_LLAMA_SERVER",
};

export class LlamaToolError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = "LlamaToolError";
	}
}

/** Where builds are kept. */
export function llamaCppDir(env: NodeJS.ProcessEnv = process.env): string {
	return env.INVSCALE_LLAMA_CPP_DIR || join(invscaleHome(env), "llama.cpp");
}

/** The git bundle of llama.cpp's source inside the installed node-llama-cpp package. */
export function llamaCppBundle(): string {
	const require = createRequire(import.meta.url);
	const pkg = require.resolve("node-llama-cpp/package.json");
	return join(dirname(pkg), "llama", "gitRelease.bundle");
}

/** The commit the bundle holds (names the build folder, so a new node-llama-cpp builds anew). */
export function bundleCommit(bundle = llamaCppBundle()): string {
	const heads = spawnSync("git", ["bundle", "list-heads", bundle], { encoding: "utf8" });
	const commit = heads.stdout?.trim().split(/\s+/)[0];
	if (heads.status !== 0 || !commit) {
		throw new LlamaToolError(
			`cannot read the llama.cpp source bundle ${bundle}: ${heads.stderr?.trim() || "git failed"}`,
		);
	}
	return commit.slice(0, 12);
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
	for (const dir of (env.PATH ?? "").split(":")) {
		const candidate = join(dir, name);
		if (dir && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	return undefined;
}

/** The built binary's path inside the build folder of this bundle (it may not exist yet). */
export function builtToolPath(tool: LlamaTool, env: NodeJS.ProcessEnv = process.env): string {
	return join(llamaCppDir(env), bundleCommit(), "build", "bin", tool);
}

/** Finds `tool`: its environment variable, an earlier build of this bundle, then PATH. */
export function findLlamaTool(tool: LlamaTool, env: NodeJS.ProcessEnv = process.env): string | undefined {
	const named = env[toolEnvVar[tool]];
	if (named) {
		if (!existsSync(named)) throw new LlamaToolError(`${toolEnvVar[tool]}=${named}: no such file`);
		return named;
	}
	let built: string | undefined;
	try {
		built = builtToolPath(tool, env);
	} catch {
		// No readable bundle (or no git): nothing can have been built from it; PATH may still have one.
	}
	if (built && existsSync(built)) return built;
	return onPath(tool, env);
}

/** The programs a build needs that are missing, each with how to get it. */
export function missingBuildTools(env: NodeJS.ProcessEnv = process.env): string[] {
	const needs: Array<[string, string]> = [
		["git", "git"],
		["cmake", "cmake"],
		["c++", "g++ (a C++17 compiler)"],
	];
	return needs.filter(([bin]) => !onPath(bin, env)).map(([, what]) => what);
}

/** Runs a command, passing each output line to `onLine`; rejects with the tail of the output. */
function run(cmd: string, args: string[], cwd: string, onLine: (line: string) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
		const tail: string[] = [];
		let partial = "";
		const take = (chunk: Buffer) => {
			const lines = (partial + chunk.toString("utf8")).split("\n");
			partial = lines.pop() ?? "";
			for (const line of lines) {
				tail.push(line);
				if (tail.length > 30) tail.shift();
				onLine(line);
			}
		};
		child.stdout.on("data", take);
		child.stderr.on("data", take);
		child.on("error", reject);
		child.on("close", (code) =>
			code === 0
				? resolve()
				: reject(new LlamaToolError(`${cmd} ${args.join(" ")} failed (exit ${code}):\n${tail.join("\n")}`)),
		);
	});
}

export interface BuildOptions {
	env?: NodeJS.ProcessEnv;
	/** Parallel compile jobs (default: 2). */
	jobs?: number;
	/** Progress: one line per step and each `[ nn%]` line of the compiler. */
	onLine?: (line: string) => void;
}

/**
 * Builds `tools` from the bundle into the build folder, unless they are already there. Two
 * processes building at once wait on one lock folder; the second finds the first one's build.
 */
export async function buildLlamaTools(
	tools: LlamaTool[],
	options: BuildOptions = {},
): Promise<Record<LlamaTool, string>> {
	const env = options.env ?? process.env;
	const onLine = options.onLine ?? (() => {});
	const paths = Object.fromEntries(tools.map((t) => [t, builtToolPath(t, env)])) as Record<LlamaTool, string>;
	if (tools.every((t) => existsSync(paths[t]))) return paths;
	const missing = missingBuildTools(env);
	if (missing.length > 0) {
		throw new LlamaToolError(
			`building llama.cpp's ${tools.join(" and ")} needs ${missing.join(", ")}, not found on PATH`,
			`Install them (Debian/Ubuntu: apt-get install git cmake g++; macOS: xcode-select --install && brew install cmake), or set ${tools.map((t) => toolEnvVar[t]).join(" / ")} to a built binary.`,
		);
	}
	const root = join(llamaCppDir(env), bundleCommit());
	mkdirSync(root, { recursive: true });
	const lock = join(root, "build.lock");
	await acquireLock(lock, onLine);
	try {
		if (tools.every((t) => existsSync(paths[t]))) return paths;
		const src = join(root, "src");
		if (!existsSync(join(src, "CMakeLists.txt"))) {
			rmSync(src, { recursive: true, force: true });
			onLine(`unpacking llama.cpp source from ${llamaCppBundle()}`);
			await run("git", ["clone", "--quiet", llamaCppBundle(), src], root, onLine);
		}
		const build = join(root, "build");
		onLine("configuring (cmake)");
		await run(
			"cmake",
			[
				"-S",
				src,
				"-B",
				build,
				"-DCMAKE_BUILD_TYPE=Release",
				"-DBUILD_SHARED_LIBS=OFF",
				"-DLLAMA_CURL=OFF",
				"-DLLAMA_BUILD_TESTS=OFF",
				"-DLLAMA_BUILD_EXAMPLES=ON",
				"-DLLAMA_BUILD_TOOLS=ON",
				"-DLLAMA_BUILD_SERVER=ON",
				"-DGGML_OPENMP=OFF",
			],
			root,
			() => {},
		);
		onLine(`compiling ${tools.join(", ")} (about 10 minutes on 2 cores, once per machine)`);
		await run(
			"cmake",
			["--build", build, "-j", String(options.jobs ?? 2), "--target", ...tools],
			root,
			(line) => {
				if (/^\[\s*\d+%\]/.test(line)) onLine(line);
			},
		);
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
	for (const t of tools)
		if (!existsSync(paths[t])) throw new LlamaToolError(`the build finished but ${paths[t]} is missing`);
	return paths;
}

/** Finds `tool`, building it if it is nowhere on the machine. */
export async function ensureLlamaTool(tool: LlamaTool, options: BuildOptions = {}): Promise<string> {
	return findLlamaTool(tool, options.env) ?? (await buildLlamaTools([tool], options))[tool];
}

async function acquireLock(lock: string, onLine: (line: string) => void): Promise<void> {
	let said = false;
	for (;;) {
		try {
			mkdirSync(lock);
			return;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
			// A lock left by a process that died is taken over after an hour without change.
			if (Date.now() - statSync(lock).mtimeMs > 3_600_000) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!said) onLine(`waiting for another build of llama.cpp (${lock})`);
			said = true;
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
}
