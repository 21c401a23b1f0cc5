import { execFile, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

const run = promisify(execFile);
const worker = new URL("../helpers/store-worker.ts", import.meta.url).pathname;

afterAll(removeTempStores);

/** Starts the worker and kills it with SIGKILL once it has printed `done <after>`. */
function killAfter(path: string, n: number, after: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ["--import", "tsx", worker, path, "a", String(n), "20"], {
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

describe("a run killed with SIGKILL", () => {
	it("recomputes nothing that had finished when started again", async () => {
		const path = tempStorePath();
		const n = 30;
		const finished = await killAfter(path, n, 9);
		expect(finished).toBeGreaterThanOrEqual(9);
		const { stdout } = await run(process.execPath, ["--import", "tsx", worker, path, "a", String(n)]);
		const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
		expect(summary.mismatches).toBe(0);
		// Requests 0..finished each stored two scores before "done" was printed.
		expect(summary.afterWrites.hits).toBeGreaterThanOrEqual(2 * (finished + 1));
		expect(summary.afterWrites.calls).toBeLessThanOrEqual(n - (finished + 1));
		expect(summary.afterWrites.hits + summary.afterWrites.misses).toBe(2 * n);
	});
});
