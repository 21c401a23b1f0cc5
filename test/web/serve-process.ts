/** @module `invscale serve` (or `invscale contest`) as a child process for browser tests: started, read for its URL, killed. */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface ServeProcess {
	url: string;
	child: ChildProcess;
	output: () => string;
	/** SIGTERM (graceful) by default; SIGKILL simulates a crash. */
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `invscale serve` (or another command that prints "running at URL", e.g. `contest FILE`). */
export async function serve(
	args: string[],
	env: NodeJS.ProcessEnv = {},
	command: string[] = ["serve"],
): Promise<ServeProcess> {
	const child = spawn(
		process.execPath,
		["--import", "tsx", join(root, "src", "cli", "main.ts"), ...command, "--port", "0", ...args],
		{
			cwd: root,
			env: { ...process.env, ...env },
			stdio: ["ignore", "pipe", "pipe"],
		},
	);
	let output = "";
	child.stdout!.on("data", (c) => (output += c));
	child.stderr!.on("data", (c) => (output += c));
	const exited = new Promise<void>((r) => child.once("exit", () => r()));
	const url = await new Promise<string>((resolvePromise, reject) => {
		// A guard against a server that never starts (a loaded machine may take a minute to compile the sources).
		const timer = setTimeout(() => {
			child.kill("SIGKILL");
			reject(new Error(`serve did not start:\n${output}`));
		}, 120_000);
		const look = () => {
			const match = /running at (http:\/\/\S+\/)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolvePromise(match[1]);
			}
		};
		child.stdout!.on("data", look);
		child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
	});
	return {
		url,
		child,
		output: () => output,
		stop: async (signal = "SIGTERM") => {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		},
	};
}

/** `invscale serve` over a work folder: models from `<work>/models`, its data, store and INVSCALE_HOME inside it. */
export function serveFolder(work: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
	return serve(
		[
			"--models-dir",
			join(work, "models"),
			"--data-dir",
			join(work, "data"),
			"--store",
			join(work, "store.sqlite"),
		],
		{ INVSCALE_HOME: join(work, "home"), ...env },
	);
}
