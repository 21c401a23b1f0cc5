/**
 * @module The generation half of the cache decorator: a completion or chat answer is stored under
 * the model's scope and the exact request (prompt or messages, sampling settings, seed, stop
 * strings, reasoning controls, sample index), as JSON, the moment it comes back, so a killed run
 * regenerates nothing that had finished. Identical requests in one call are generated once.
 */
import { type CacheScope, EntryKind, type GenerationCall, generationKey } from "../store/cache-keys.js";
import { decodeJson, encodeJson, generationProblem } from "../store/codec.js";
import type { ScoreCache } from "../store/score-cache.js";
import type {
	ChatGenerator,
	ChatMessage,
	ChatRequest,
	ChatResult,
	CompletionRequest,
	CompletionResult,
	TextCompleter,
} from "./types.js";

export interface GenerationCacheCounters {
	generationHits: number;
	generationMisses: number;
	refused: number;
}

export class CachedCompleter implements TextCompleter {
	constructor(
		private readonly inner: TextCompleter,
		private readonly cache: ScoreCache,
		private readonly scope: CacheScope,
		private readonly counters: GenerationCacheCounters,
	) {}

	async chatPrompt(messages: ChatMessage[]): Promise<string> {
		const key = generationKey(this.scope, { kind: "chat-prompt", messages });
		const cached = this.cache.getValue(this.scope.identity, key);
		if (cached !== undefined) return decodeJson<{ prompt: string }>(cached).prompt;
		const prompt = await this.inner.chatPrompt(messages);
		this.cache.putValues(this.scope.identity, [
			{ key, kind: EntryKind.generation, value: encodeJson({ prompt }) },
		]);
		return prompt;
	}

	complete(requests: CompletionRequest[], signal?: AbortSignal): Promise<CompletionResult[]> {
		return cachedCalls(
			requests.map((request) => ({ kind: "completion", request }) as const),
			(request) => this.inner.complete([request], signal).then(([result]) => result!),
			{ cache: this.cache, scope: this.scope, counters: this.counters },
		);
	}
}

export class CachedChat implements ChatGenerator {
	constructor(
		private readonly inner: ChatGenerator,
		private readonly cache: ScoreCache,
		private readonly scope: CacheScope,
		private readonly counters: GenerationCacheCounters,
	) {}

	chat(requests: ChatRequest[], signal?: AbortSignal): Promise<ChatResult[]> {
		return cachedCalls(
			requests.map((request) => ({ kind: "chat", request }) as const),
			(request) => this.inner.chat([request], signal).then(([result]) => result!),
			{ cache: this.cache, scope: this.scope, counters: this.counters },
		);
	}
}

interface CacheSide {
	readonly cache: ScoreCache;
	readonly scope: CacheScope;
	readonly counters: GenerationCacheCounters;
}

/**
 * Answers each call from the cache or from `generate` (one request at a time, all in flight
 * together), storing every answer as soon as it arrives; results are in call order.
 */
async function cachedCalls<
	R extends CompletionRequest | ChatRequest,
	T extends CompletionResult | ChatResult,
>(
	calls: Array<GenerationCall & { request: R }>,
	generate: (request: R) => Promise<T>,
	side: CacheSide,
): Promise<T[]> {
	const { cache, scope, counters } = side;
	const results = new Array<T>(calls.length);
	const pending = new Map<string, { key: Buffer; request: R; slots: number[] }>();
	calls.forEach((call, i) => {
		const key = generationKey(scope, call);
		const cached = cache.getValue(scope.identity, key);
		if (cached !== undefined) {
			results[i] = decodeJson<T>(cached);
			counters.generationHits++;
			return;
		}
		counters.generationMisses++;
		const id = key.toString("hex");
		const waiting = pending.get(id);
		if (waiting) waiting.slots.push(i);
		else pending.set(id, { key, request: call.request, slots: [i] });
	});
	await Promise.all(
		[...pending.values()].map(async ({ key, request, slots }) => {
			const result = await generate(request);
			if (generationProblem(result) === undefined) {
				cache.putValues(scope.identity, [{ key, kind: EntryKind.generation, value: encodeJson(result) }]);
			} else counters.refused++;
			for (const slot of slots) results[slot] = result;
		}),
	);
	return results;
}
