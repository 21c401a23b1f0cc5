import { statSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { seq } from "../../test/helpers/fake-backend.js";
import { removeTempStores, tempStorePath } from "../../test/helpers/temp-store.js";
import type { BackendInfo } from "../backends/types.js";
import { cacheStats, clearCache, countEntries, matchModels } from "./cache-admin.js";
import { cacheScope } from "./cache-keys.js";
import { openStore, type Store } from "./store.js";

afterAll(removeTempStores);

const small: BackendInfo = {
	name: "pythia-70m",
	identity: "sha256:aaaa1111",
	kind: "llama.cpp",
	contextLength: 2048,
	tokenizer: "bpe",
	addsBos: false,
};
const large: BackendInfo = { ...small, name: "pythia-410m", identity: "sha256:bbbb2222" };

/** `n` continuations of 3 tokens and `n` next-token candidates for `info`. */
function fill(store: Store, info: BackendInfo, n: number): void {
	store.cache.registerModel(info);
	const scope = cacheScope(info, "precision=fast");
	for (let i = 0; i < n; i++) {
		store.cache.putContinuations(
			scope,
			{ context: seq(`q${i}`), continuations: [seq("abc")] },
			{ logprobs: [[-1, -2, -3]] },
		);
		store.cache.putNextTokens(scope, { context: seq(`q${i}`), candidates: [1] }, [-0.5]);
	}
}

describe("cache administration", () => {
	it("counts entries and bytes per model", () => {
		const store = openStore(tempStorePath());
		fill(store, small, 5);
		fill(store, large, 2);
		store.cache.putTokens(large.identity, "hi", [{ id: 1, start: 0, end: 2 }]);
		const stats = cacheStats(store);
		expect(stats.entries).toBe(15);
		expect(
			stats.models.map((m) => [m.name, m.continuations, m.nextTokens, m.tokenizations, m.entries]),
		).toEqual([
			["pythia-70m", 5, 5, 0, 10],
			["pythia-410m", 2, 2, 1, 5],
		]);
		// Keys are 32 bytes; values 24 (3 doubles), 8 (one double) and 12 (one token).
		expect(stats.models[0]!.bytes).toBe(5 * (32 + 24) + 5 * (32 + 8));
		expect(stats.models[1]!.bytes).toBe(2 * (32 + 24) + 2 * (32 + 8) + (32 + 12));
		expect(stats.fileBytes).toBeGreaterThanOrEqual(statSync(store.path).size);
		store.close();
	});

	it("matches models by name (any case) or identity prefix", () => {
		const store = openStore(tempStorePath());
		fill(store, small, 1);
		fill(store, large, 1);
		expect(matchModels(store, "PYTHIA-70M").map((m) => m.identity)).toEqual([small.identity]);
		expect(matchModels(store, "sha256:bbbb").map((m) => m.name)).toEqual(["pythia-410m"]);
		expect(matchModels(store, "sha256:").length).toBe(2);
		expect(matchModels(store, "pythia")).toEqual([]);
		store.close();
	});

	it("clears one model, then everything, and shrinks the file", () => {
		const store = openStore(tempStorePath());
		fill(store, small, 300);
		fill(store, large, 3);
		expect(countEntries(store, [small.identity])).toBe(600);
		const one = clearCache(store, [small.identity]);
		expect(one.removed).toBe(600);
		expect(one.compacted).toBe(true);
		expect(one.fileBytesAfter).toBeLessThan(one.fileBytesBefore);
		expect(cacheStats(store).models.map((m) => m.name)).toEqual(["pythia-410m"]);
		expect(clearCache(store).removed).toBe(6);
		expect(cacheStats(store).entries).toBe(0);
		expect(clearCache(store).removed).toBe(0);
		store.close();
	});
});
