/** @module Runs the `invscale` command from source in a child process, as a user would run it. */
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): Promise<CliResult> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(
			process.execPath,
			["--import", "tsx", resolve(repoRoot, "src/cli/main.ts"), ...args],
			{
				cwd,
				env: { ...process.env, ...env },
				stdio: ["ignore", "pipe", "pipe"],
			},
		);
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (d) => {
			stdout += d;
		});
		child.stderr.on("data", (d) => {
			stderr += d;
		});
		child.on("error", reject);
		child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
	});
}
