import { afterAll, describe, expect, it } from "vitest";
import { seq } from "../../test/helpers/fake-backend.js";
import { removeTempStores, tempStorePath } from "../../test/helpers/temp-store.js";
import type { BackendInfo } from "../backends/types.js";
import { cacheScope } from "./cache-keys.js";
import { openStore } from "./store.js";

afterAll(removeTempStores);

const info: BackendInfo = {
	name: "tiny-7m",
	identity: "sha256:0123456789abcdef0123",
	kind: "llama.cpp",
	contextLength: 512,
	vocabSize: 32000,
	tokenizer: "spm",
	addsBos: true,
};
const fast = cacheScope(info, "precision=fast");
const exact = cacheScope(info, "precision=exact");
const request = { context: seq("Q: 2+2? A:"), continuations: [seq(" 4"), seq(" five")] };

describe("ScoreCache", () => {
	it("misses, then returns exactly what was put, after reopening the file", () => {
		const path = tempStorePath();
		const store = openStore(path);
		expect(store.cache.getContinuations(fast, request)).toEqual([undefined, undefined]);
		const logprobs = [
			[-0.25, -1.5],
			[-3, -0.125, -7.75, Number.NEGATIVE_INFINITY, -0.5],
		];
		store.cache.putContinuations(fast, request, { logprobs });
		store.close();
		const reopened = openStore(path);
		expect(reopened.cache.getContinuations(fast, request)).toEqual(logprobs);
		reopened.close();
	});

	it("keeps settings apart: exact scores never answer a fast request", () => {
		const store = openStore(tempStorePath());
		store.cache.putContinuations(exact, request, {
			logprobs: [
				[-1, -1],
				[-2, -2, -2, -2, -2],
			],
		});
		expect(store.cache.getContinuations(fast, request)).toEqual([undefined, undefined]);
		expect(store.cache.getContinuations(exact, request)[0]).toEqual([-1, -1]);
		store.close();
	});

	it("stores nothing from a request when one value is NaN or missing", () => {
		const store = openStore(tempStorePath());
		expect(() =>
			store.cache.putContinuations(fast, request, {
				logprobs: [
					[-1, -1],
					[-1, Number.NaN, -1, -1, -1],
				],
			}),
		).toThrow(/continuation 1: log-prob 1 is NaN/);
		expect(() => store.cache.putContinuations(fast, request, { logprobs: [[-1, -1], [-1]] })).toThrow(
			/expected 5 log-probs, got 1/,
		);
		expect(() => store.cache.putContinuations(fast, request, { logprobs: [[-1, -1]] })).toThrow(
			/2 continuations, got 1/,
		);
		expect(store.db.prepare("SELECT count(*) FROM cache_entries").pluck().get()).toBe(0);
		store.close();
	});

	it("caches next-token log-probs per candidate", () => {
		const store = openStore(tempStorePath());
		const next = { context: seq("The sky is"), candidates: [10, 20, 30] };
		store.cache.putNextTokens(fast, next, [-0.5, -2, -9]);
		expect(store.cache.getNextTokens(fast, { context: next.context, candidates: [30, 40, 10] })).toEqual([
			-9,
			undefined,
			-0.5,
		]);
		expect(() => store.cache.putNextTokens(fast, next, [-1, Number.NaN, -1])).toThrow(/log-prob 1 is NaN/);
		store.close();
	});

	it("caches tokenizations by identity and text", () => {
		const store = openStore(tempStorePath());
		const tokens = [
			{ id: 5, start: 0, end: 2 },
			{ id: 9, start: 2, end: 3 },
		];
		store.cache.putTokens(info.identity, "héy", tokens);
		expect(store.cache.getTokens(info.identity, "héy")).toEqual(tokens);
		expect(store.cache.getTokens("sha256:other", "héy")).toBeUndefined();
		store.close();
	});

	it("records the readable name of a model beside its identity", () => {
		const store = openStore(tempStorePath());
		store.cache.putNextTokens(fast, { context: seq("a"), candidates: [1] }, [-1]);
		expect(store.db.prepare("SELECT name FROM models").pluck().get()).toBeNull();
		store.cache.registerModel(info);
		store.cache.registerModel({ ...info, name: "tiny-7m-renamed" });
		const rows = store.db.prepare("SELECT identity, name, kind, tokenizer FROM models").all();
		expect(rows).toEqual([
			{
				identity: info.identity,
				name: "tiny-7m-renamed",
				kind: "llama.cpp",
				tokenizer: "spm/vocab=32000/bos=1",
			},
		]);
		store.close();
	});
});
