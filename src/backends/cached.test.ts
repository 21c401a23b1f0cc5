import { afterAll, describe, expect, it } from "vitest";
import {
	createFakeBackend,
	fakeContinuationLogprobs,
	fakeLogprob,
	seq,
} from "../../test/helpers/fake-backend.js";
import { removeTempStores, tempStorePath } from "../../test/helpers/temp-store.js";
import { openStore, type Store } from "../store/store.js";
import { createCachedBackend } from "./cached.js";
import { BackendError, type ContinuationRequest } from "./types.js";

afterAll(removeTempStores);

const requests: ContinuationRequest[] = [
	{ context: seq("Q1"), continuations: [seq(" yes"), seq(" no")] },
	{ context: seq("Q2"), continuations: [seq(" up"), seq(" down"), seq(" left")] },
];

/** What the requests score, computed from the fake's definition rather than through any backend. */
const expected = requests.map((r) => ({
	logprobs: r.continuations.map((c) => fakeContinuationLogprobs(r.context.ids, c.ids)),
}));

function entries(store: Store): number {
	return store.db.prepare("SELECT count(*) FROM cache_entries").pluck().get() as number;
}

describe("createCachedBackend", () => {
	it("answers a second pass entirely from the cache, with identical results", async () => {
		const store = openStore(tempStorePath());
		const inner = createFakeBackend();
		const cached = createCachedBackend(inner, store.cache, "precision=fast");
		expect(await cached.scoreContinuations(requests)).toEqual(expected);
		expect(inner.counters.calls).toBe(1);
		expect(cached.cacheCounters).toMatchObject({ hits: 0, misses: 5 });
		const tokensAfterFirst = inner.counters.tokensEvaluated;
		expect(await cached.scoreContinuations(requests)).toEqual(expected);
		expect(inner.counters.calls).toBe(1);
		expect(cached.counters.tokensEvaluated).toBe(tokensAfterFirst);
		expect(cached.cacheCounters).toMatchObject({ hits: 5, misses: 5 });
		// A new process (here: a new backend on a reopened file) sees the same cache.
		store.close();
		const reopened = openStore(store.path);
		const fresh = createFakeBackend();
		expect(
			await createCachedBackend(fresh, reopened.cache, "precision=fast").scoreContinuations(requests),
		).toEqual(expected);
		expect(fresh.counters.calls).toBe(0);
		reopened.close();
	});

	it("sends only the misses, grouped under their shared context, in request order", async () => {
		const store = openStore(tempStorePath());
		const warm = createFakeBackend();
		await createCachedBackend(warm, store.cache, "s").scoreContinuations([
			{ context: seq("Q1"), continuations: [seq(" no")] },
			{ context: seq("Q2"), continuations: [seq(" up"), seq(" left")] },
		]);
		const inner = createFakeBackend();
		const cached = createCachedBackend(inner, store.cache, "s");
		const extra: ContinuationRequest = { context: seq("Q3"), continuations: [seq(" a")] };
		const result = await cached.scoreContinuations([...requests, extra]);
		expect(result).toEqual([
			...expected,
			{ logprobs: [fakeContinuationLogprobs(extra.context.ids, extra.continuations[0]!.ids)] },
		]);
		expect(inner.continuationCalls).toEqual([
			[
				{ context: seq("Q1"), continuations: [seq(" yes")] },
				{ context: seq("Q2"), continuations: [seq(" down")] },
				extra,
			],
		]);
		expect(cached.cacheCounters).toMatchObject({ hits: 3, misses: 3 });
	});

	it("makes no call at all when every score is cached or there is nothing to score", async () => {
		const store = openStore(tempStorePath());
		const inner = createFakeBackend();
		const cached = createCachedBackend(inner, store.cache, "s");
		expect(await cached.scoreContinuations([{ context: seq("Q"), continuations: [] }])).toEqual([
			{ logprobs: [] },
		]);
		expect(await cached.scoreContinuations([])).toEqual([]);
		expect(await cached.nextTokenLogprobs([])).toEqual([]);
		expect(inner.counters.calls).toBe(0);
	});

	it("asks for a repeated continuation once per call", async () => {
		const store = openStore(tempStorePath());
		const inner = createFakeBackend();
		const cached = createCachedBackend(inner, store.cache, "s");
		const twice = [
			{ context: seq("Q"), continuations: [seq(" a"), seq(" b")] },
			{ context: seq("Q"), continuations: [seq(" a")] },
		];
		const result = await cached.scoreContinuations(twice);
		const a = fakeContinuationLogprobs(seq("Q").ids, seq(" a").ids);
		expect(result).toEqual([
			{ logprobs: [a, fakeContinuationLogprobs(seq("Q").ids, seq(" b").ids)] },
			{ logprobs: [a] },
		]);
		expect(inner.continuationCalls[0]).toEqual([
			{ context: seq("Q"), continuations: [seq(" a"), seq(" b")] },
		]);
	});

	it("keeps scores of different settings apart", async () => {
		const store = openStore(tempStorePath());
		const inner = createFakeBackend();
		await createCachedBackend(inner, store.cache, "precision=fast").scoreContinuations(requests);
		await createCachedBackend(inner, store.cache, "precision=exact").scoreContinuations(requests);
		expect(inner.counters.calls).toBe(2);
	});

	it("leaves nothing cached when the wrapped backend throws", async () => {
		const store = openStore(tempStorePath());
		const failing = createFakeBackend({
			beforeCall: () => {
				throw new BackendError("server said 500", "server");
			},
		});
		const cached = createCachedBackend(failing, store.cache, "s");
		await expect(cached.scoreContinuations(requests)).rejects.toThrow("server said 500");
		await expect(cached.nextTokenLogprobs([{ context: seq("Q"), candidates: [1] }])).rejects.toThrow(
			BackendError,
		);
		expect(entries(store)).toBe(0);
		const inner = createFakeBackend();
		await createCachedBackend(inner, store.cache, "s").scoreContinuations(requests);
		expect(inner.counters.calls).toBe(1);
	});

	it("keeps the chunks that finished when a later chunk fails", async () => {
		const store = openStore(tempStorePath());
		const failing = createFakeBackend({
			beforeCall: (_method, index) => {
				if (index === 1) throw new BackendError("connection reset", "network");
			},
		});
		const cached = createCachedBackend(failing, store.cache, "s", { maxRequestsPerCall: 1 });
		await expect(cached.scoreContinuations(requests)).rejects.toThrow("connection reset");
		const inner = createFakeBackend();
		expect(await createCachedBackend(inner, store.cache, "s").scoreContinuations(requests)).toEqual(expected);
		expect(inner.continuationCalls).toEqual([[requests[1]]]);
	});

	it("returns but never stores values that are not scores", async () => {
		const store = openStore(tempStorePath());
		const broken = createFakeBackend({
			mapLogprobs: (logprobs, request, c) =>
				request.context.text === "Q1" && c === 0 ? [Number.NaN] : logprobs,
		});
		const cached = createCachedBackend(broken, store.cache, "s");
		const result = await cached.scoreContinuations(requests);
		expect(result[0]!.logprobs[0]).toEqual([Number.NaN]);
		expect(cached.cacheCounters.refused).toBe(1);
		expect(entries(store)).toBe(4);
		const inner = createFakeBackend();
		await createCachedBackend(inner, store.cache, "s").scoreContinuations(requests);
		expect(inner.continuationCalls).toEqual([[{ context: seq("Q1"), continuations: [seq(" yes")] }]]);
	});

	it("caches next-token log-probs per candidate and sends only missing candidates", async () => {
		const store = openStore(tempStorePath());
		const context = seq("The answer is");
		const first = createFakeBackend();
		await createCachedBackend(first, store.cache, "s").nextTokenLogprobs([{ context, candidates: [5, 6] }]);
		const inner = createFakeBackend();
		const cached = createCachedBackend(inner, store.cache, "s");
		const result = await cached.nextTokenLogprobs([
			{ context, candidates: [6, 7, 5] },
			{ context: seq("Other"), candidates: [5] },
		]);
		expect(result).toEqual([
			[fakeLogprob(context.ids, 6), fakeLogprob(context.ids, 7), fakeLogprob(context.ids, 5)],
			[fakeLogprob(seq("Other").ids, 5)],
		]);
		expect(inner.nextTokenCalls).toEqual([
			[
				{ context, candidates: [7] },
				{ context: seq("Other"), candidates: [5] },
			],
		]);
		expect(cached.cacheCounters).toMatchObject({ hits: 2, misses: 2 });
	});

	it("caches tokenization for remote backends and passes it through in-process", async () => {
		const store = openStore(tempStorePath());
		const remote = createFakeBackend({ info: { kind: "openai", identity: "http://x/v1|m|main" } });
		const cachedRemote = createCachedBackend(remote, store.cache, "s");
		const tokens = await cachedRemote.tokenize("héllo");
		expect(await cachedRemote.tokenize("héllo")).toEqual(tokens);
		expect(remote.tokenizeCalls).toBe(1);
		expect(cachedRemote.cacheCounters).toMatchObject({ tokenizeHits: 1, tokenizeMisses: 1 });
		const local = createFakeBackend();
		const cachedLocal = createCachedBackend(local, store.cache, "s");
		await cachedLocal.tokenize("héllo");
		await cachedLocal.tokenize("héllo");
		expect(local.tokenizeCalls).toBe(2);
	});

	it("passes a declared shared prefix through, and keeps its scores apart from undeclared ones", async () => {
		const store = openStore(tempStorePath());
		const inner = createFakeBackend();
		const cached = createCachedBackend(inner, store.cache, "s");
		const withPrefix = requests.map((r) => ({ ...r, sharedPrefixTokens: 1 }));
		expect(await cached.scoreContinuations(withPrefix)).toEqual(expected);
		const next = { context: seq("Q1"), candidates: [7, 8], sharedPrefixTokens: 1 };
		await cached.nextTokenLogprobs([next]);
		expect(inner.continuationCalls[0]!.map((r) => r.sharedPrefixTokens)).toEqual([1, 1]);
		expect(inner.nextTokenCalls[0]![0]!.sharedPrefixTokens).toBe(1);
		// Declaring a prefix changes how llama.cpp splits the work, and so the last digits: the same
		// tokens without the field are scored again, and each way is then answered from the cache.
		expect(await cached.scoreContinuations(requests)).toEqual(expected);
		await cached.nextTokenLogprobs([{ context: seq("Q1"), candidates: [7, 8] }]);
		expect(inner.counters.calls).toBe(4);
		await cached.scoreContinuations(withPrefix);
		await cached.scoreContinuations(requests);
		expect(inner.counters.calls).toBe(4);
		store.close();
	});

	it("records the model's name, refuses a cancelled call, and disposes the wrapped backend", async () => {
		const store = openStore(tempStorePath());
		let disposed = false;
		const inner = createFakeBackend({ info: { name: "fake-2m" } });
		inner.dispose = async () => {
			disposed = true;
		};
		const cached = createCachedBackend(inner, store.cache, "s");
		expect(store.db.prepare("SELECT name FROM models").pluck().all()).toEqual(["fake-2m"]);
		expect(cached.info).toBe(inner.info);
		const controller = new AbortController();
		controller.abort();
		await expect(cached.scoreContinuations(requests, controller.signal)).rejects.toMatchObject({
			code: "aborted",
		});
		expect(inner.counters.calls).toBe(0);
		await cached.dispose();
		expect(disposed).toBe(true);
	});
});
