/**
 * @module The generation cache: every completion and chat answer stored under the model identity,
 * the condition's settings and the exact request (text or messages, sampling, seed, budget), as
 * JSON. Each answer is committed as it arrives, so a rerun after a kill asks again only for what
 * had not come back.
 */
import { createHash } from "node:crypto";
import type {
	Backend,
	ChatGenerator,
	ChatRequest,
	ChatResult,
	CompletionRequest,
	CompletionResult,
	TextCompleter,
} from "../backends/types.js";
import type { EntryKind } from "../store/cache-keys.js";
import type { ScoreCache } from "../store/score-cache.js";

/** Stored as its own kind beside the score entries. */
const generationKind = 4 as EntryKind;
const KEY_VERSION = "invscale.generation/1";

export interface GenerationCacheCounters {
	hits: number;
	misses: number;
}

/** JSON with object keys sorted, so equal requests give equal keys. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
	if (value && typeof value === "object") {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
	}
	return JSON.stringify(value);
}

function generationKey(identity: string, settings: string, what: string, request: unknown): Buffer {
	return createHash("sha256")
		.update(canonicalJson([KEY_VERSION, identity, settings, what, request]))
		.digest();
}

/**
 * `backend` (scoring and tokenizing, passed through untouched: the score-cached one) with the
 * completer and chat of `generators` (the raw backend) answered from `cache` where they can be.
 */
export function withGenerationCache(
	backend: Backend,
	generators: Pick<Backend, "completer" | "chat">,
	cache: ScoreCache,
	settings: string,
): Backend & { generationCounters: GenerationCacheCounters } {
	const counters: GenerationCacheCounters = { hits: 0, misses: 0 };
	const identity = backend.info.identity;
	async function cached<Req, Res>(
		what: string,
		requests: Req[],
		send: (missing: Req[]) => Promise<Res[]>,
	): Promise<Res[]> {
		const keys = requests.map((r) => generationKey(identity, settings, what, r));
		const out: (Res | undefined)[] = keys.map((key) => {
			const value = cache.getValue(identity, key);
			return value === undefined ? undefined : (JSON.parse(value.toString("utf8")) as Res);
		});
		const missing = out.flatMap((r, i) => (r === undefined ? [i] : []));
		counters.hits += requests.length - missing.length;
		counters.misses += missing.length;
		if (missing.length > 0) {
			const results = await send(missing.map((i) => requests[i]));
			cache.putValues(
				identity,
				missing.map((i, k) => ({
					key: keys[i],
					kind: generationKind,
					value: Buffer.from(JSON.stringify(results[k]), "utf8"),
				})),
			);
			missing.forEach((i, k) => {
				out[i] = results[k];
			});
		}
		return out as Res[];
	}
	const inner = generators.completer;
	const completer: TextCompleter | undefined = inner && {
		chatPrompt: (messages) => inner.chatPrompt(messages),
		complete: (requests: CompletionRequest[], signal?: AbortSignal) =>
			cached<CompletionRequest, CompletionResult>("complete", requests, (missing) =>
				inner.complete(missing, signal),
			),
	};
	const innerChat = generators.chat;
	const chat: ChatGenerator | undefined = innerChat && {
		chat: (requests: ChatRequest[], signal?: AbortSignal) =>
			cached<ChatRequest, ChatResult>("chat", requests, (missing) => innerChat.chat(missing, signal)),
	};
	return {
		get info() {
			return backend.info;
		},
		get counters() {
			return backend.counters;
		},
		parallelism: backend.parallelism,
		...(backend.prepare ? { prepare: (hint) => backend.prepare!(hint) } : {}),
		tokenize: (text, signal) => backend.tokenize(text, signal),
		scoreContinuations: (requests, signal) => backend.scoreContinuations(requests, signal),
		nextTokenLogprobs: (requests, signal) => backend.nextTokenLogprobs(requests, signal),
		dispose: () => backend.dispose(),
		completer,
		chat,
		generationCounters: counters,
	};
}
