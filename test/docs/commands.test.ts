/**
 * Every command shown in README.md and docs/*.md runs: as written in a prepared workspace, or in the
 * environment environments.ts gives it (offline, as a server, a variant, or listed as not run with
 * the reason). A command that fails, or prints other headings than its console block shows, fails
 * naming the guide, the line and the command.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { ENVIRONMENTS, type Environment, environmentOf } from "./environments.js";
import { commandKey, commandsOf, type DocCommand, headingsOf } from "./markdown-commands.js";
import { prepareWorkspace, type StandIns, startStandIns } from "./workspace.js";

// The front door first; cache.md last, since it empties the cache the others fill.
const guides = [
	"README.md",
	...readdirSync(join(repoRoot, "docs"))
		.filter((f) => f.endsWith(".md"))
		.sort((a, b) => Number(a === "cache.md") - Number(b === "cache.md") || a.localeCompare(b))
		.map((f) => `docs/${f}`),
];
const commands = guides.flatMap((guide) => commandsOf(join(repoRoot, guide)).map((c) => ({ ...c, guide })));

const root = mkdtempSync(join(tmpdir(), "invscale-docs-"));
const home = join(root, "invscale-home");
let standIns: StandIns;
beforeAll(async () => {
	standIns = await startStandIns();
}, 60_000);
afterAll(async () => {
	await standIns?.close();
	rmSync(root, { recursive: true, force: true });
});

interface Ran {
	code: number | null;
	output: string;
}

/** Runs a command line with bash in `cwd`; for a server, until `ready` is printed, then stops it. */
function run(command: string, cwd: string, env: NodeJS.ProcessEnv, ready?: RegExp): Promise<Ran> {
	return new Promise((resolve, reject) => {
		const child: ChildProcess = spawn("bash", ["-c", command], { cwd, env, detached: true });
		let output = "";
		const stop = () => {
			try {
				process.kill(-child.pid!, "SIGINT");
			} catch {}
		};
		const timer = setTimeout(() => {
			output += "\n[docs test: stopped after 120 s]";
			try {
				process.kill(-child.pid!, "SIGKILL");
			} catch {}
		}, 120_000);
		const take = (chunk: Buffer) => {
			output += chunk.toString();
			if (ready?.test(output)) stop();
		};
		child.stdout!.on("data", take);
		child.stderr!.on("data", take);
		child.on("error", reject);
		child.on("close", (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

/** What went wrong, or undefined when the command did what its guide says. */
function problem(c: DocCommand, environment: Environment, ran: Ran): string | undefined {
	if (environment.kind === "offline") {
		if (/unknown option|unknown command|error: (option|missing|too many)|invalid/i.test(ran.output))
			return "was refused as a usage error";
		if (ran.code === 0) return "needs the hub, yet exited 0 offline";
		if (!/offline/i.test(ran.output)) return `exited ${ran.code} without invscale's offline message`;
		return undefined;
	}
	if (environment.kind === "server") {
		return environment.ready.test(ran.output) ? undefined : `never printed ${environment.ready}`;
	}
	const exit = environment.kind === "run" ? environment.exit : 0;
	if (ran.code !== exit) return `exited ${ran.code}, where the guide means ${exit}`;
	const printed = new Set(ran.output.split("\n").map((l) => l.replace(/\s+/g, " ").trim()));
	const missing = headingsOf(c.output).filter((h) => !printed.has(h));
	if (missing.length > 0) return `did not print the documented lines:\n  ${missing.join("\n  ")}`;
	return undefined;
}

/** Command → where it first ran. */
const ranBefore = new Map<string, string>();

describe("documented commands", () => {
	it("every entry of the environment table names a command some guide shows", () => {
		const shown = new Set(
			commands.flatMap((c) => [commandKey(c.command), `${c.guide}: ${commandKey(c.command)}`]),
		);
		expect(Object.keys(ENVIRONMENTS).filter((key) => !shown.has(key))).toEqual([]);
	});

	for (const guide of guides) {
		const own = commands.filter((c) => c.guide === guide);
		if (own.length === 0) continue;
		describe(guide, () => {
			let workspace: string;
			beforeAll(async () => {
				workspace = mkdtempSync(join(root, `${guide.replace(/\W/g, "-")}-`));
				await prepareWorkspace(workspace, guide, standIns, home);
			}, 120_000);

			for (const c of own) {
				const key = commandKey(c.command);
				const environment = environmentOf(guide, key);
				const title = `${guide}:${c.line}: ${key.split("\n")[0]}`;
				if (environment.kind === "not-run") {
					it.skip(`${title} (not run: ${environment.why})`, () => {});
					continue;
				}
				// The same command, without output to compare, already ran in an earlier guide.
				const earlier = ranBefore.get(key);
				if (earlier && c.output.length === 0 && environment.kind !== "variant") {
					it.skip(`${title} (ran as ${earlier})`, () => {});
					continue;
				}
				if (!ranBefore.has(key)) ranBefore.set(key, `${guide}:${c.line}`);
				it(title, async () => {
					const command =
						environment.kind === "variant" || environment.kind === "server"
							? environment.command
							: // The suite has installed and built already.
								key.replace(/^npm ci && npm run build && /, "");
					const env: NodeJS.ProcessEnv = {
						...process.env,
						PATH: `${join(workspace, "bin")}:${process.env.PATH}`,
						HOME: join(workspace, "home"),
						INVSCALE_HOME: home,
						INVSCALE_OFFLINE: "1",
						ANTHROPIC_API_KEY: "docs-test",
						OPENAI_API_KEY: "docs-test",
						NO_COLOR: "1",
					};
					const ran = await run(
						command,
						workspace,
						env,
						environment.kind === "server" ? environment.ready : undefined,
					);
					const wrong = problem(c, environment, ran);
					if (wrong) {
						throw new Error(
							`${c.guide}:${c.line}: \`${key}\` ${wrong}\n--- output (last 40 lines) ---\n${ran.output.split("\n").slice(-40).join("\n")}`,
						);
					}
				}, 180_000);
			}
		});
	}
});
