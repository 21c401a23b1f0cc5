import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { killWorkerAfter } from "../helpers/kill.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

const run = promisify(execFile);
const worker = new URL("../helpers/store-worker.ts", import.meta.url).pathname;

afterAll(removeTempStores);

describe("a run killed with SIGKILL", () => {
	it("recomputes nothing that had finished when started again", async () => {
		const path = tempStorePath();
		const n = 30;
		const finished = await killWorkerAfter([worker, path, "a", String(n), "20"], 9);
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
