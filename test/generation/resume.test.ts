import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { killWorkerAfter } from "../helpers/kill.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

const run = promisify(execFile);
const worker = new URL("../helpers/generation-worker.ts", import.meta.url).pathname;

afterAll(removeTempStores);

async function summary(path: string, n: number) {
	const { stdout } = await run(process.execPath, ["--import", "tsx", worker, path, String(n)]);
	return JSON.parse(stdout.trim().split("\n").at(-1)!) as {
		results: unknown[];
		cache: { generationHits: number; generationMisses: number };
		made: number;
	};
}

describe("generation killed with SIGKILL", () => {
	it("regenerates nothing that had finished, and gives the same results as an uninterrupted run", async () => {
		const n = 10;
		const path = tempStorePath();
		const finished = await killWorkerAfter([worker, path, String(n)], 3);
		expect(finished).toBeGreaterThanOrEqual(3);
		const resumed = await summary(path, n);
		expect(resumed.cache.generationHits).toBeGreaterThanOrEqual(finished + 1);
		expect(resumed.made).toBe(n - resumed.cache.generationHits);
		const clean = await summary(tempStorePath("clean.sqlite"), n);
		expect(clean.made).toBe(n);
		expect(JSON.stringify(resumed.results)).toBe(JSON.stringify(clean.results));
	}, 60_000);
});
