import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { cacheScope } from "../../src/store/cache-keys.js";
import { openStore } from "../../src/store/store.js";
import { createFakeBackend, fakeContinuationLogprobs, seq } from "../helpers/fake-backend.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

const run = promisify(execFile);
const worker = new URL("../helpers/store-worker.ts", import.meta.url).pathname;

afterAll(removeTempStores);

interface Summary {
	worker: string;
	mismatches: number;
	writes: { start: number; end: number };
	afterWrites: { hits: number; misses: number; calls: number };
	total: { hits: number; misses: number; calls: number };
}

describe("two processes sharing one store", () => {
	it("create, write and read the same fresh file at once without losing or mixing scores", async () => {
		const path = tempStorePath();
		const n = 300;
		// The workers meet before opening the file and half-way through their writes, so opening,
		// migrating and writing overlap whatever the machine's speed.
		const barrier = mkdtempSync(join(tmpdir(), "invscale-barrier-"));
		const outputs = await Promise.all(
			["a", "b"].map((name) =>
				run(process.execPath, ["--import", "tsx", worker, path, name, String(n)], {
					env: { ...process.env, BARRIER_DIR: barrier, PEER: name === "a" ? "b" : "a" },
				}),
			),
		);
		rmSync(barrier, { recursive: true, force: true });
		const summaries = outputs.map(({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as Summary);
		// Each wrote while the other was writing.
		const [a, b] = summaries.map((s) => s.writes);
		expect(a.start).toBeLessThan(b.end);
		expect(b.start).toBeLessThan(a.end);
		for (const summary of summaries) {
			expect(summary.mismatches).toBe(0);
			// Second pass: 3 continuations per request; its own two are cached, the other's may be.
			expect(summary.total.hits - summary.afterWrites.hits).toBeGreaterThanOrEqual(2 * n);
		}
		// Every score either process wrote is in the file, with the value the fake defines.
		const store = openStore(path);
		const scope = cacheScope(createFakeBackend().info, "precision=fast");
		for (let i = 0; i < n; i++) {
			const request = {
				context: seq(`Question ${i}:`),
				continuations: [" by a", " by b", " shared"].map(seq),
			};
			expect(store.cache.getContinuations(scope, request)).toEqual(
				request.continuations.map((c) => fakeContinuationLogprobs(request.context.ids, c.ids)),
			);
		}
		expect(store.db.prepare("SELECT count(*) FROM cache_entries").pluck().get()).toBe(3 * n);
		store.close();
	});
});
