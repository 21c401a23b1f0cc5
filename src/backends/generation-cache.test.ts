import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeBackend } from "../../test/helpers/fake-backend.js";
import { STORIES_260K } from "../../test/helpers/models.js";
import { removeTempStores, tempStorePath } from "../../test/helpers/temp-store.js";
import { cacheStats } from "../store/cache-admin.js";
import { openStore } from "../store/store.js";
import { createCachedBackend } from "./cached.js";
import { type LlamaCppBackend, openLlamaBackend } from "./llama/backend.js";
import type { Backend, ChatRequest, ChatResult } from "./types.js";

afterAll(removeTempStores);

/** A chat backend whose answer names the request's seed and budget, counting what it was asked. */
function fakeChat(failOn?: (request: ChatRequest) => boolean): Backend & { asked: ChatRequest[] } {
	const asked: ChatRequest[] = [];
	return Object.assign(createFakeBackend({ info: { name: "chat", identity: "chat|m|", kind: "openai" } }), {
		asked,
		chat: {
			async chat(requests: ChatRequest[]): Promise<ChatResult[]> {
				return Promise.all(
					requests.map(async (request) => {
						asked.push(request);
						if (failOn?.(request)) throw new Error("server gave up");
						return {
							text: `seed ${request.seed} budget ${request.reasoning?.budgetTokens}`,
							reasoning: "hmm",
							finishReason: "stop" as const,
							usage: { inputTokens: 3, outputTokens: 5, reasoningTokens: 1 },
						};
					}),
				);
			},
		},
	});
}

const ask = (over: Partial<ChatRequest> = {}): ChatRequest => ({
	messages: [{ role: "user", content: "Which?" }],
	maxTokens: 100,
	temperature: 0.7,
	seed: 1,
	sample: 0,
	reasoning: { budgetTokens: 16 },
	...over,
});

describe("generation cache", () => {
	let llama: LlamaCppBackend;
	beforeAll(async () => {
		llama = await openLlamaBackend(STORIES_260K, { precision: "exact", threads: 1, sequences: 1 });
	});
	afterAll(() => llama.dispose());

	it("answers a repeated llama.cpp generation from the store, ids and usage included, across processes", async () => {
		const store = openStore(tempStorePath());
		const cached = createCachedBackend(llama, store.cache, "precision=exact");
		const requests = [
			{ prompt: "Once upon a time,", maxTokens: 12, temperature: 0 },
			{ prompt: "Once upon a time,", maxTokens: 12, temperature: 1, seed: 5, sample: 0 },
			{ prompt: "Once upon a time,", maxTokens: 12, temperature: 1, seed: 5, sample: 1 },
		];
		const first = await cached.completer!.complete(requests);
		const made = llama.counters.generation!.requests;
		expect(cached.cacheCounters).toMatchObject({ generationHits: 0, generationMisses: 3 });
		expect(await cached.completer!.complete(requests)).toEqual(first);
		expect(llama.counters.generation!.requests).toBe(made);
		expect(cached.cacheCounters).toMatchObject({ generationHits: 3, generationMisses: 3 });
		// Same seed, another sample index: its own entry (the same tokens here, since the seed is the same).
		expect(first[2]!.tokenIds).toEqual(first[1]!.tokenIds);
		expect(cacheStats(store).models[0]).toMatchObject({ generations: 3, continuations: 0 });
		store.close();
		const reopened = openStore(store.path);
		const again = createCachedBackend(llama, reopened.cache, "precision=exact");
		expect(await again.completer!.complete([requests[0]!])).toEqual([first[0]]);
		expect(llama.counters.generation!.requests).toBe(made);
		// Other settings (here precision) are another scope: generated again.
		await createCachedBackend(llama, reopened.cache, "precision=fast").completer!.complete([requests[0]!]);
		expect(llama.counters.generation!.requests).toBe(made + 1);
		reopened.close();
	});

	it("keys chat answers by every part of the request and asks duplicates once", async () => {
		const store = openStore(tempStorePath());
		const inner = fakeChat();
		const cached = createCachedBackend(inner, store.cache, "s");
		const variants = [
			ask(),
			ask(),
			ask({ sample: 1 }),
			ask({ seed: 2 }),
			ask({ temperature: 0 }),
			ask({ maxTokens: 99 }),
			ask({ stop: ["\n"] }),
			ask({ reasoning: { budgetTokens: 64 } }),
			ask({ reasoning: { effort: "high" } }),
			ask({ messages: [{ role: "user", content: "Which one?" }] }),
		];
		const results = await cached.chat!.chat(variants);
		expect(inner.asked).toHaveLength(variants.length - 1);
		expect(results[0]).toEqual(results[1]);
		expect(results[7]!.text).toBe("seed 1 budget 64");
		// Field order and undefined fields do not change the key.
		const reordered = {
			reasoning: { budgetTokens: 16 },
			sample: 0,
			seed: 1,
			temperature: 0.7,
			maxTokens: 100,
			stop: undefined,
			messages: [{ content: "Which?", role: "user" as const }],
		};
		await cached.chat!.chat([reordered]);
		expect(inner.asked).toHaveLength(variants.length - 1);
		expect(cached.cacheCounters.generationHits).toBe(1);
		store.close();
	});

	it("keeps every answer that finished when another of the same call fails", async () => {
		const store = openStore(tempStorePath());
		const failing = fakeChat((request) => request.seed === 3);
		const batch = [ask({ seed: 1 }), ask({ seed: 2 }), ask({ seed: 3 })];
		await expect(createCachedBackend(failing, store.cache, "s").chat!.chat(batch)).rejects.toThrow(/gave up/);
		const healthy = fakeChat();
		const results = await createCachedBackend(healthy, store.cache, "s").chat!.chat(batch);
		expect(healthy.asked.map((r) => r.seed)).toEqual([3]);
		expect(results.map((r) => r.text)).toEqual(["seed 1 budget 16", "seed 2 budget 16", "seed 3 budget 16"]);
		store.close();
	});
});
