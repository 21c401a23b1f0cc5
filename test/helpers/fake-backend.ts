/**
 * @module A deterministic in-memory Backend for tests: one token per character, log-probs derived
 * from an FNV-1a hash of the tokens seen so far. It counts calls and keeps every request it got.
 */
import type {
	Backend,
	BackendCounters,
	BackendInfo,
	ContinuationRequest,
	ContinuationScores,
	NextTokenRequest,
	Token,
} from "../../src/backends/types.js";

export interface FakeBackendOptions {
	info?: Partial<BackendInfo>;
	/** Called before each scoring call; throw from it to make the call fail. */
	beforeCall?: (method: "scoreContinuations" | "nextTokenLogprobs", callIndex: number) => void;
	/** Rewrites a computed continuation's log-probs, e.g. to return NaN. */
	mapLogprobs?: (logprobs: number[], request: ContinuationRequest, continuation: number) => number[];
}

export interface FakeBackend extends Backend {
	readonly counters: BackendCounters;
	/** Every request batch received, in order. */
	readonly continuationCalls: ContinuationRequest[][];
	readonly nextTokenCalls: NextTokenRequest[][];
	tokenizeCalls: number;
}

/** The fake's log-prob of `token` after `history`: a number in (-10, -0.01], fixed for given tokens. */
export function fakeLogprob(history: readonly number[], token: number): number {
	let hash = 0x811c9dc5;
	for (const id of [...history, token]) {
		for (let shift = 0; shift < 32; shift += 8) {
			hash ^= (id >>> shift) & 0xff;
			hash = Math.imul(hash, 0x01000193) >>> 0;
		}
	}
	return -((hash % 1000) + 1) / 100;
}

/** The fake's scores of one continuation after a context, computed from scratch. */
export function fakeContinuationLogprobs(
	context: readonly number[],
	continuation: readonly number[],
): number[] {
	return continuation.map((token, k) => fakeLogprob([...context, ...continuation.slice(0, k)], token));
}

export function createFakeBackend(options: FakeBackendOptions = {}): FakeBackend {
	const info: BackendInfo = {
		name: "fake-1m",
		identity: "sha256:fake0000",
		kind: "llama.cpp",
		contextLength: 4096,
		vocabSize: 0x110000,
		tokenizer: "bpe",
		addsBos: false,
		...options.info,
	};
	const counters: BackendCounters = { tokensEvaluated: 0, calls: 0 };
	const continuationCalls: ContinuationRequest[][] = [];
	const nextTokenCalls: NextTokenRequest[][] = [];
	let callIndex = 0;
	const fake: FakeBackend = {
		info,
		counters,
		continuationCalls,
		nextTokenCalls,
		tokenizeCalls: 0,
		async tokenize(text: string): Promise<Token[]> {
			fake.tokenizeCalls++;
			return [...text].map((char, i) => ({ id: char.codePointAt(0)!, start: i, end: i + 1 }));
		},
		async scoreContinuations(requests: ContinuationRequest[]): Promise<ContinuationScores[]> {
			options.beforeCall?.("scoreContinuations", callIndex++);
			continuationCalls.push(structuredClone(requests));
			counters.calls++;
			return requests.map((request) => {
				counters.tokensEvaluated += request.context.ids.length;
				return {
					logprobs: request.continuations.map((continuation, c) => {
						counters.tokensEvaluated += continuation.ids.length;
						const logprobs = fakeContinuationLogprobs(request.context.ids, continuation.ids);
						return options.mapLogprobs ? options.mapLogprobs(logprobs, request, c) : logprobs;
					}),
				};
			});
		},
		async nextTokenLogprobs(requests: NextTokenRequest[]): Promise<number[][]> {
			options.beforeCall?.("nextTokenLogprobs", callIndex++);
			nextTokenCalls.push(structuredClone(requests));
			counters.calls++;
			return requests.map((request) => {
				counters.tokensEvaluated += request.context.ids.length;
				return request.candidates.map((candidate) => fakeLogprob(request.context.ids, candidate));
			});
		},
		async dispose(): Promise<void> {},
	};
	return fake;
}

/** A token sequence for `text` with one id per character (the fake's tokenization). */
export function seq(text: string): { ids: number[]; text: string } {
	return { ids: [...text].map((char) => char.codePointAt(0)!), text };
}
