import { execFile } from "node:child_process";
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
	afterWrites: { hits: number; misses: number; calls: number };
	total: { hits: number; misses: number; calls: number };
}

describe("two processes sharing one store", () => {
	it("create, write and read the same fresh file at once without losing or mixing scores", async () => {
		const path = tempStorePath();
		const n = 300;
		// Both start at the same instant (after loading), so opening, migrating and writing overlap.
		const env = { ...process.env, START_AT: String(Date.now() + 2000) };
		const outputs = await Promise.all(
			["a", "b"].map((name) =>
				run(process.execPath, ["--import", "tsx", worker, path, name, String(n)], { env }),
			),
		);
		const summaries = outputs.map(({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as Summary);
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
