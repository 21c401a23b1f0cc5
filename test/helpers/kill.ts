/** @module Killing a child process with SIGKILL at a chosen point, as a crash would, for resume tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Kills `child` with SIGKILL once `ready()` holds (checked every `everyMs`) and waits until it has
 * exited. Rejects if it exits first: then the test would not test a kill at all.
 */
export async function killWhen(
	child: ChildProcess,
	ready: () => boolean,
	what: string,
	everyMs = 10,
): Promise<void> {
	await new Promise<void>((done, fail) => {
		const timer = setInterval(() => {
			if (!ready()) return;
			clearInterval(timer);
			child.kill("SIGKILL");
			done();
		}, everyMs);
		child.on("exit", () => {
			clearInterval(timer);
			fail(new Error(`the process ended before ${what}`));
		});
	});
	if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once("exit", r));
}

/**
 * Runs a worker script (`node --import tsx …args`) and kills it with SIGKILL once it has printed
 * `done <after>`; resolves with the last count it printed.
 */
export function killWorkerAfter(args: string[], after: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ["--import", "tsx", ...args], {
			stdio: ["ignore", "pipe", "inherit"],
		});
		let finished = -1;
		createInterface({ input: child.stdout }).on("line", (line) => {
			const done = /^done (\d+)$/.exec(line);
			if (!done) return;
			finished = Number(done[1]);
			if (finished === after) child.kill("SIGKILL");
		});
		child.on("error", reject);
		child.on("exit", (_code, signal) =>
			signal === "SIGKILL"
				? resolve(finished)
				: reject(new Error(`worker ended without being killed (${signal})`)),
		);
	});
}
