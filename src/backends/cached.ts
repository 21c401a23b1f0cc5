/**
 * @module A Backend decorator that answers from the durable score cache and sends only the misses
 * to the wrapped backend, storing each result as it comes back. Running the same command again
 * after a crash recomputes nothing that had been returned. Generations (completions, chat answers,
 * rendered chat prompts) are cached too, one entry per exact request (see generation-cache.ts).
 */
import {
	type CacheScope,
	cacheScope,
	continuationKeys,
	EntryKind,
	nextTokenKeys,
	tokenizeKey,
} from "../store/cache-keys.js";
import {
	decodeLogprobs,
	decodeTokens,
	encodeLogprobs,
	logprobsProblem,
	tokensProblem,
} from "../store/codec.js";
import type { CacheEntry, ScoreCache } from "../store/score-cache.js";
import { CachedChat, CachedCompleter, type GenerationCacheCounters } from "./generation-cache.js";
import {
	type Backend,
	type BackendCounters,
	BackendError,
	type BackendInfo,
	type ChatGenerator,
	type ContinuationRequest,
	type ContinuationScores,
	type NextTokenRequest,
	type TextCompleter,
	type Token,
} from "./types.js";

/** What the cache answered; units are single continuations and single next-token candidates. */
export interface CacheCounters {
	/** Scores answered from the cache. */
	hits: number;
	/** Scores not in the cache (asked of the wrapped backend; duplicates within one call asked once). */
	misses: number;
	tokenizeHits: number;
	tokenizeMisses: number;
	/** Scores the wrapped backend returned that were not stored because they are not scores (NaN, wrong length). */
	refused: number;
	/** Generations answered from the cache, and asked of the wrapped backend. */
	generationHits: number;
	generationMisses: number;
}

export interface CachedBackendOptions {
	/**
	 * Cache tokenizations too (key: model identity + text). Default: true for remote backends, where
	 * tokenizing is a network round-trip; false in-process, where tokenizing is faster than a lookup.
	 */
	cacheTokenize?: boolean;
	/**
	 * Send misses to the wrapped backend in calls of at most this many requests, storing each call's
	 * results before the next, so a killed run keeps more of a large batch. Default: one call.
	 */
	maxRequestsPerCall?: number;
}

export interface CachedBackend extends Backend {
	readonly inner: Backend;
	readonly cacheCounters: Readonly<CacheCounters>;
}

/**
 * Wraps `backend` with `cache`. `settings` names everything besides the model that changes scores
 * (e.g. `precision=exact`): results under different settings are kept apart. Records the model's
 * readable name in the store. `counters` stay those of the wrapped backend: work actually done.
 */
export function createCachedBackend(
	backend: Backend,
	cache: ScoreCache,
	settings: string,
	options: CachedBackendOptions = {},
): CachedBackend {
	cache.registerModel(backend.info);
	return new CachedBackendImpl(backend, cache, cacheScope(backend.info, settings), options);
}

/** Where one missing score goes back to: request index and continuation (or candidate) index. */
type Slot = [request: number, item: number];

interface Pending<R> {
	/** The reduced request sent to the wrapped backend: same context and shared prefix, only the missing items. */
	request: R;
	keys: Buffer[];
}

class CachedBackendImpl implements CachedBackend {
	readonly cacheCounters: CacheCounters = {
		hits: 0,
		misses: 0,
		tokenizeHits: 0,
		tokenizeMisses: 0,
		refused: 0,
		generationHits: 0,
		generationMisses: 0,
	};
	readonly completer?: TextCompleter;
	readonly chat?: ChatGenerator;
	private readonly cacheTokenize: boolean;
	private readonly chunkSize: number;

	constructor(
		readonly inner: Backend,
		private readonly cache: ScoreCache,
		private readonly scope: CacheScope,
		options: CachedBackendOptions,
	) {
		this.cacheTokenize = options.cacheTokenize ?? inner.info.kind === "openai";
		const chunk = options.maxRequestsPerCall ?? Number.POSITIVE_INFINITY;
		if (!(chunk >= 1)) throw new RangeError(`maxRequestsPerCall must be at least 1, got ${chunk}`);
		this.chunkSize = chunk;
		const counters: GenerationCacheCounters = this.cacheCounters;
		if (inner.completer) this.completer = new CachedCompleter(inner.completer, cache, scope, counters);
		if (inner.chat) this.chat = new CachedChat(inner.chat, cache, scope, counters);
	}

	get parallelism(): number | undefined {
		return this.inner.parallelism;
	}

	async prepare(hint: { maxSequenceTokens: number }): Promise<void> {
		await this.inner.prepare?.(hint);
	}

	get info(): BackendInfo {
		return this.inner.info;
	}

	get counters(): BackendCounters {
		return this.inner.counters;
	}

	async tokenize(text: string, signal?: AbortSignal): Promise<Token[]> {
		if (!this.cacheTokenize) return this.inner.tokenize(text, signal);
		throwIfAborted(signal);
		const key = tokenizeKey(this.scope.identity, text);
		const cached = this.cache.getValue(this.scope.identity, key);
		if (cached !== undefined) {
			this.cacheCounters.tokenizeHits++;
			return decodeTokens(cached);
		}
		this.cacheCounters.tokenizeMisses++;
		const tokens = await this.inner.tokenize(text, signal);
		if (tokensProblem(tokens) === undefined) this.cache.putTokens(this.scope.identity, text, tokens);
		return tokens;
	}

	async scoreContinuations(
		requests: ContinuationRequest[],
		signal?: AbortSignal,
	): Promise<ContinuationScores[]> {
		throwIfAborted(signal);
		const results = requests.map((r) => new Array<number[]>(r.continuations.length));
		const waiting = new Map<string, Slot[]>();
		const pending: Pending<ContinuationRequest>[] = [];
		requests.forEach((request, i) => {
			const keys = continuationKeys(this.scope, request);
			const missing: number[] = [];
			keys.forEach((key, j) => {
				const cached = this.cache.getValue(this.scope.identity, key);
				if (cached !== undefined) {
					results[i]![j] = decodeLogprobs(cached);
					this.cacheCounters.hits++;
				} else if (this.awaitOnce(waiting, key, [i, j])) missing.push(j);
			});
			if (missing.length > 0) {
				pending.push({
					request: { ...request, continuations: missing.map((j) => request.continuations[j]!) },
					keys: missing.map((j) => keys[j]!),
				});
			}
		});
		for (const chunk of chunks(pending, this.chunkSize)) {
			const scores = await this.inner.scoreContinuations(
				chunk.map((p) => p.request),
				signal,
			);
			checkShape(scores.length, chunk.length, "scoreContinuations", "requests");
			const entries: CacheEntry[] = [];
			chunk.forEach((p, k) => {
				const logprobs = scores[k]!.logprobs;
				checkShape(logprobs.length, p.keys.length, "scoreContinuations", "continuations of one request");
				p.keys.forEach((key, c) => {
					const values = logprobs[c]!;
					for (const [i, j] of waiting.get(hex(key))!) results[i]![j] = values;
					this.collect(entries, key, EntryKind.continuation, values, p.request.continuations[c]!.ids.length);
				});
			});
			this.cache.putValues(this.scope.identity, entries);
		}
		return results.map((logprobs) => ({ logprobs }));
	}

	async nextTokenLogprobs(requests: NextTokenRequest[], signal?: AbortSignal): Promise<number[][]> {
		throwIfAborted(signal);
		const results = requests.map((r) => new Array<number>(r.candidates.length));
		const waiting = new Map<string, Slot[]>();
		const pending: Pending<NextTokenRequest>[] = [];
		requests.forEach((request, i) => {
			const keys = nextTokenKeys(this.scope, request);
			const missing: number[] = [];
			keys.forEach((key, j) => {
				const cached = this.cache.getValue(this.scope.identity, key);
				if (cached !== undefined) {
					results[i]![j] = decodeLogprobs(cached)[0]!;
					this.cacheCounters.hits++;
				} else if (this.awaitOnce(waiting, key, [i, j])) missing.push(j);
			});
			if (missing.length > 0) {
				pending.push({
					request: { ...request, candidates: missing.map((j) => request.candidates[j]!) },
					keys: missing.map((j) => keys[j]!),
				});
			}
		});
		for (const chunk of chunks(pending, this.chunkSize)) {
			const logprobs = await this.inner.nextTokenLogprobs(
				chunk.map((p) => p.request),
				signal,
			);
			checkShape(logprobs.length, chunk.length, "nextTokenLogprobs", "requests");
			const entries: CacheEntry[] = [];
			chunk.forEach((p, k) => {
				checkShape(logprobs[k]!.length, p.keys.length, "nextTokenLogprobs", "candidates of one request");
				p.keys.forEach((key, c) => {
					const value = logprobs[k]![c]!;
					for (const [i, j] of waiting.get(hex(key))!) results[i]![j] = value;
					this.collect(entries, key, EntryKind.nextToken, [value], 1);
				});
			});
			this.cache.putValues(this.scope.identity, entries);
		}
		return results;
	}

	dispose(): Promise<void> {
		return this.inner.dispose();
	}

	/** Counts a miss and records where its answer goes; true only the first time a key is missed in a call. */
	private awaitOnce(waiting: Map<string, Slot[]>, key: Buffer, slot: Slot): boolean {
		this.cacheCounters.misses++;
		const id = hex(key);
		const slots = waiting.get(id);
		if (slots) {
			slots.push(slot);
			return false;
		}
		waiting.set(id, [slot]);
		return true;
	}

	/** Queues a value for storage, unless it is not a score: such values reach the caller uncached. */
	private collect(
		entries: CacheEntry[],
		key: Buffer,
		kind: EntryKind,
		values: number[],
		length: number,
	): void {
		if (logprobsProblem(values, length) === undefined)
			entries.push({ key, kind, value: encodeLogprobs(values) });
		else this.cacheCounters.refused++;
	}
}

function hex(key: Buffer): string {
	return key.toString("hex");
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
	for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

function checkShape(got: number, expected: number, method: string, unit: string): void {
	if (got !== expected) {
		throw new BackendError(
			`the backend's ${method} returned ${got} results for ${expected} ${unit}`,
			"internal",
		);
	}
}

function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new BackendError("scoring was cancelled", "aborted");
}
