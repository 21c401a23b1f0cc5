import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type Token as LlamaToken } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORIES_260K, TEST_SHAPES } from "../../../test/helpers/models.js";
import { writeRandomLlamaGguf } from "../../testing/gguf-writer.js";
import { BackendError } from "../types.js";
import { type LlamaCppBackend, openLlamaBackend } from "./backend.js";

// The model README's known answer: BOS + this sentence is [1, ...SENTENCE_IDS].
const SENTENCE = "Once upon a time, there was a little girl named Lily.";
const SENTENCE_IDS = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426];

/** Independent reference: a fresh plain node-llama-cpp context, exact precision, no prefix reuse. */
async function argmaxAfterEachPrefix(ids: number[]): Promise<number[]> {
	const llama = await getLlama({ gpu: false, build: "never" });
	const model = await llama.loadModel({ modelPath: STORIES_260K });
	const context = await model.createContext({
		contextSize: 512,
		threads: 1,
		flashAttention: false,
		experimentalKvCacheKeyType: "F32",
		experimentalKvCacheValueType: "F32",
	});
	const out = await context
		.getSequence()
		.controlledEvaluate(ids.map((id) => [id as LlamaToken, { generateNext: { probabilities: true } }]));
	const argmax = out.map((o) => {
		let best = -1;
		let bestP = -1;
		for (const [token, p] of o!.next.probabilities!) {
			if (p > bestP) {
				best = token;
				bestP = p;
			}
		}
		return best;
	});
	await context.dispose();
	await model.dispose();
	return argmax;
}

describe("llama.cpp generation on stories260K", () => {
	let backend: LlamaCppBackend;
	beforeAll(async () => {
		backend = await openLlamaBackend(STORIES_260K, { precision: "exact", threads: 1, sequences: 2 });
	});
	afterAll(() => backend.dispose());

	it("greedy from BOS tells the README's story, and every token is the argmax of an independent pass", async () => {
		const [result] = await backend.completer!.complete([{ prompt: "", maxTokens: 40, temperature: 0 }]);
		expect(result!.text.startsWith(`${SENTENCE} She loved to play`)).toBe(true);
		expect(result!.tokenIds!.slice(0, SENTENCE_IDS.length)).toEqual(SENTENCE_IDS);
		expect(result!.tokenIds).toHaveLength(40);
		expect(result!.promptTokenIds).toEqual([1]);
		expect(result!.finishReason).toBe("length");
		expect(result!.usage).toEqual({ inputTokens: 1, outputTokens: 40 });
		const sequence = [1, ...result!.tokenIds!];
		const argmax = await argmaxAfterEachPrefix(sequence);
		expect(argmax.slice(0, -1)).toEqual(sequence.slice(1));
		// The text is what the ids decode to.
		expect(backend.model.detokenize(result!.tokenIds! as LlamaToken[])).toBe(result!.text);
	});

	it("continues a prompt so that prompt + text reads on, and agrees with greedy from BOS", async () => {
		const [fromStart, fromPrompt] = await backend.completer!.complete([
			{ prompt: "", maxTokens: 20, temperature: 0 },
			{ prompt: "Once upon a time,", maxTokens: 10, temperature: 0 },
		]);
		expect(fromPrompt!.promptTokenIds).toEqual([1, 403, 407, 261, 378, 432]);
		expect(fromPrompt!.tokenIds).toEqual(fromStart!.tokenIds!.slice(5, 15));
		expect(`Once upon a time,${fromPrompt!.text}`).toBe(
			backend.model.detokenize(fromStart!.tokenIds!.slice(0, 15) as LlamaToken[]),
		);
		expect(fromPrompt!.text.startsWith(" there was")).toBe(true);
	});

	it("continues from exact token ids: 8 tokens then 8 more equal 16 at once", async () => {
		const [first, whole] = await backend.completer!.complete([
			{ prompt: "", maxTokens: 8, temperature: 0 },
			{ prompt: "", maxTokens: 16, temperature: 0 },
		]);
		const ids = [...first!.promptTokenIds!, ...first!.tokenIds!];
		const [rest] = await backend.completer!.complete([
			{ prompt: first!.text, promptIds: ids, maxTokens: 8, temperature: 0 },
		]);
		expect(rest!.promptTokenIds).toEqual(ids);
		expect([...first!.tokenIds!, ...rest!.tokenIds!]).toEqual(whole!.tokenIds);
	});

	it("stops before a stop string, which is left out of the text", async () => {
		const [result] = await backend.completer!.complete([
			{ prompt: "", maxTokens: 60, temperature: 0, stop: ["zebra", " Lily"] },
		]);
		expect(result!.text).toBe("Once upon a time, there was a little girl named");
		expect(result!.finishReason).toBe("stop");
		// " Lily" is one token here (426 is "."): the tokens stop with the one that completed it.
		expect(result!.tokenIds).toEqual(SENTENCE_IDS.slice(0, -1));
	});

	it("repeats a seeded sample with the same seed and draws another with another seed", async () => {
		const request = { prompt: "Once upon a time,", maxTokens: 40, temperature: 1 };
		const [a, b, c] = await backend.completer!.complete([
			{ ...request, seed: 7 },
			{ ...request, seed: 7 },
			{ ...request, seed: 8 },
		]);
		expect(b!.tokenIds).toEqual(a!.tokenIds);
		expect(b!.text).toBe(a!.text);
		expect(c!.tokenIds).not.toEqual(a!.tokenIds);
		// Again later, on a sequence that held other tokens: still the same sample.
		const [again] = await backend.completer!.complete([{ ...request, seed: 7 }]);
		expect(again!.tokenIds).toEqual(a!.tokenIds);
	});

	it("sums usage into the backend's generation counters", async () => {
		const before = { ...backend.counters.generation! };
		await backend.completer!.complete([
			{ prompt: "Once", maxTokens: 5, temperature: 0 },
			{ prompt: "", maxTokens: 0, temperature: 0 },
		]);
		expect(backend.counters.generation).toMatchObject({
			requests: before.requests + 2,
			inputTokens: before.inputTokens! + 2 + 1,
			outputTokens: before.outputTokens! + 5,
			reasoningTokens: 0,
			missing: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
		});
	});

	it("refuses a generation that cannot fit the context window, naming the numbers", async () => {
		const refused = backend.completer!.complete([{ prompt: "Once", maxTokens: 600, temperature: 0 }]);
		await expect(refused).rejects.toBeInstanceOf(BackendError);
		await expect(refused).rejects.toMatchObject({ code: "context-overflow" });
		await expect(refused).rejects.toThrow(
			/2 tokens plus up to 600 generated tokens exceeds the context window of 512/,
		);
		await expect(
			backend.completer!.complete([{ prompt: "", maxTokens: -1, temperature: 0 }]),
		).rejects.toThrow(/maxTokens/);
	});

	it("has no chat template, so chat prompts are the messages' texts separated by blank lines", async () => {
		expect(
			await backend.completer!.chatPrompt([
				{ role: "system", content: "Be brief." },
				{ role: "user", content: "Tell a story." },
			]),
		).toBe("Be brief.\n\nTell a story.");
	});
});

describe("chat template from the GGUF file", () => {
	const dir = mkdtempSync(join(tmpdir(), "invscale-template-"));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it("renders the file's Jinja template, ending with the assistant turn opened", async () => {
		const path = join(dir, "templated.gguf");
		const template =
			"{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";
		await writeRandomLlamaGguf(path, TEST_SHAPES["tiny-a"]!, {
			tokenizerFrom: STORIES_260K,
			chatTemplate: template,
		});
		const templated = await openLlamaBackend(path, { threads: 1, sequences: 1 });
		try {
			expect(
				await templated.completer!.chatPrompt([
					{ role: "system", content: "Be brief." },
					{ role: "user", content: "Tell a story." },
				]),
			).toBe("<|system|>\nBe brief.\n<|user|>\nTell a story.\n<|assistant|>\n");
			const [result] = await templated.completer!.complete([{ prompt: "Hi", maxTokens: 3, temperature: 0 }]);
			expect(result!.tokenIds).toHaveLength(3);
		} finally {
			await templated.dispose();
		}
	});
});
