import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LlamaCppBackend, openLlamaBackend } from "../../src/backends/llama/backend.js";
import { openOpenAIBackend } from "../../src/backends/openai/index.js";
import type { Backend } from "../../src/backends/types.js";
import { STORIES_260K } from "../helpers/models.js";
import { type OpenAITestServer, startOpenAITestServer } from "../helpers/openai-server.js";

// The model README's known answer: greedy from BOS starts with these ids.
const SENTENCE_IDS = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426];

describe("generation through /v1/completions (vLLM dialect, stories260K behind the server)", () => {
	let llama: LlamaCppBackend;
	let server: OpenAITestServer;
	let remote: Backend;
	beforeAll(async () => {
		llama = await openLlamaBackend(STORIES_260K, { precision: "exact", threads: 1, sequences: 1 });
		server = await startOpenAITestServer({ backend: llama, flavour: "vllm" });
		remote = await openOpenAIBackend(
			{
				name: "remote",
				family: "stories",
				source: { kind: "openai", baseUrls: [server.baseUrl], model: "stories260K" },
			},
			{ sleep: async () => {} },
		);
	});
	afterAll(async () => {
		await remote.dispose();
		await server.close();
		await llama.dispose();
	});

	it("generates greedily from BOS, sending token ids, and returns the generated ids", async () => {
		const [result] = await remote.completer!.complete([{ prompt: "", maxTokens: 20, temperature: 0 }]);
		expect(result!.tokenIds!.slice(0, SENTENCE_IDS.length)).toEqual(SENTENCE_IDS);
		expect(result!.text.startsWith("Once upon a time, there was a little girl named Lily.")).toBe(true);
		expect(result!.promptTokenIds).toEqual([1]);
		expect(result!.usage).toEqual({ inputTokens: 1, outputTokens: 20 });
		expect(result!.finishReason).toBe("length");
		expect(remote.counters.generation).toMatchObject({ requests: 1, inputTokens: 1, outputTokens: 20 });
	});

	it("continues a prompt with BOS put first once, honours stop strings, and repeats a seeded sample", async () => {
		const [cont, stopped, a, b] = await remote.completer!.complete([
			{ prompt: "Once upon a time,", maxTokens: 8, temperature: 0 },
			{ prompt: "", maxTokens: 40, temperature: 0, stop: [" Lily"] },
			{ prompt: "Once upon a time,", maxTokens: 20, temperature: 1, seed: 11 },
			{ prompt: "Once upon a time,", maxTokens: 20, temperature: 1, seed: 11 },
		]);
		expect(cont!.promptTokenIds).toEqual([1, 403, 407, 261, 378, 432]);
		expect(cont!.tokenIds).toEqual(SENTENCE_IDS.slice(5, 13));
		expect(stopped).toMatchObject({
			text: "Once upon a time, there was a little girl named",
			finishReason: "stop",
		});
		expect(b!.tokenIds).toEqual(a!.tokenIds);
		expect(server.stats.completions).toBeGreaterThanOrEqual(5);
	});

	it("continues from exact token ids, sent as the prompt", async () => {
		const [first, whole] = await remote.completer!.complete([
			{ prompt: "", maxTokens: 6, temperature: 0 },
			{ prompt: "", maxTokens: 12, temperature: 0 },
		]);
		const ids = [...first!.promptTokenIds!, ...first!.tokenIds!];
		const [rest] = await remote.completer!.complete([
			{ prompt: first!.text, promptIds: ids, maxTokens: 6, temperature: 0 },
		]);
		expect([...first!.tokenIds!, ...rest!.tokenIds!]).toEqual(whole!.tokenIds);
	});

	it("applies the server's chat template through /tokenize with messages and /detokenize", async () => {
		expect(
			await remote.completer!.chatPrompt([
				{ role: "system", content: "Be brief." },
				{ role: "user", content: "Tell a story." },
			]),
		).toBe(
			await llama.completer!.chatPrompt([
				{ role: "system", content: "Be brief." },
				{ role: "user", content: "Tell a story." },
			]),
		);
	});
});
