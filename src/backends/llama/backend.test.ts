import { getLlama, type Token as LlamaToken } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomModel, STORIES_260K } from "../../../test/helpers/models.js";
import { type LlamaCppBackend, openLlamaBackend } from "./backend.js";

// Known answer from the model's README: BOS + this sentence, sum of log-probs of tokens 2..16.
const SENTENCE = "Once upon a time, there was a little girl named Lily.";
const SENTENCE_IDS = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426];

/** Independent reference: one fresh sequence, plain node-llama-cpp, no prefix sharing. */
let llama: ReturnType<typeof getLlama> | undefined;
async function wholeSequenceLogprob(path: string, prefix: number[], continuation: number[], exact = false) {
	llama ??= getLlama({ gpu: false, build: "never" });
	const model = await (await llama).loadModel({ modelPath: path });
	const context = await model.createContext({
		contextSize: 512,
		threads: 2,
		...(exact
			? { flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32" }
			: {}),
	});
	const ids = [model.tokens.bos!, ...prefix, ...continuation];
	const out = await context
		.getSequence()
		.controlledEvaluate(ids.map((id) => [id as LlamaToken, { generateNext: { probabilities: true } }]));
	let total = 0;
	for (let i = prefix.length; i < prefix.length + continuation.length; i++) {
		total += Math.log(out[i]!.next.probabilities!.get(ids[i + 1] as LlamaToken)!);
	}
	await context.dispose();
	await model.dispose();
	return total;
}

describe("llama.cpp backend on stories260K", () => {
	let fast: LlamaCppBackend;
	let exact: LlamaCppBackend;
	beforeAll(async () => {
		fast = await openLlamaBackend(STORIES_260K);
		exact = await openLlamaBackend(STORIES_260K, { precision: "exact" });
	});
	afterAll(async () => {
		await fast.dispose();
		await exact.dispose();
	});

	it("reports identity and metadata from the file", () => {
		expect(fast.info.identity).toBe(
			"sha256:3c4a7c3a8313e00ae6a6b64df717828f4ba18391ea31ffb01abe9a2c4f7bb9a9",
		);
		expect(fast.info.vocabSize).toBe(512);
		expect(fast.info.contextLength).toBe(512);
		expect(fast.info.tokenizer).toBe("spm");
		expect(fast.info.addsBos).toBe(true);
		// dim 64, 5 layers, 4 KV heads of 8 dims, FFN 172, vocabulary 512, untied output.
		const perLayer = 64 * 64 * 2 + 64 * 32 * 2 + 64 * 172 * 3 + 64 * 2;
		expect(fast.info.parameters).toBe(512 * 64 * 2 + 5 * perLayer + 64);
		expect(fast.info.nonEmbeddingParameters).toBe(5 * perLayer + 64);
	});

	it("tokenizes with code-point offsets", async () => {
		const tokens = await fast.tokenize(SENTENCE);
		expect(tokens.map((t) => t.id)).toEqual(SENTENCE_IDS);
		expect(tokens[0]).toMatchObject({ start: 0, end: 4 }); // "Once" (its space prefix is not in the text)
		expect(tokens[1]).toMatchObject({ start: 4, end: 9 }); // " upon"
		const snow = await fast.tokenize("a ☃ b");
		// "☃" is three byte tokens, each covering the one character at offset 2.
		const snowTokens = snow.filter((t) => t.start === 2 && t.end === 3);
		expect(snowTokens.length).toBe(3);
		const emoji = await fast.tokenize("😀 x");
		expect(emoji.at(-1)).toMatchObject({ start: 2, end: 3 });
	});

	it("gives the known log-prob of the sentence (fast and exact precision)", async () => {
		const request = {
			context: { ids: [], text: "" },
			continuations: [{ ids: SENTENCE_IDS, text: SENTENCE }],
		};
		const [fastScore] = await fast.scoreContinuations([request]);
		const [exactScore] = await exact.scoreContinuations([request]);
		const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
		expect(sum(fastScore.logprobs[0])).toBeCloseTo(-1.5028, 2);
		expect(Math.abs(sum(fastScore.logprobs[0]) - -1.5028)).toBeLessThan(0.002);
		expect(Math.abs(sum(exactScore.logprobs[0]) - -1.50206)).toBeLessThan(1e-4);
	});
});

describe("prefix sharing equals whole-sequence scoring", () => {
	it.each([
		["stories260K", "fast"],
		["stories260K", "exact"],
		["random", "fast"],
	] as const)("%s, %s precision, classes of one and several tokens", async (which, precision) => {
		const path = which === "stories260K" ? STORIES_260K : await randomModel("tiny-b");
		const backend = await openLlamaBackend(path, { precision, sequences: 2 });
		try {
			const prompt = await backend.tokenize("Once upon a time, there was a little");
			const classes = [" a", " dog named Max", " big red ball", " ☃"];
			const continuations = [];
			for (const cls of classes) {
				const joint = await backend.tokenize(`Once upon a time, there was a little${cls}`);
				continuations.push({ ids: joint.slice(prompt.length).map((t) => t.id), text: cls });
			}
			expect(continuations.map((c) => c.ids.length)).toContain(1);
			expect(Math.max(...continuations.map((c) => c.ids.length))).toBeGreaterThan(2);
			const context = { ids: prompt.map((t) => t.id), text: "Once upon a time, there was a little" };
			// Two requests at once, so the pool runs them on separate contexts side by side.
			const [a, b] = await backend.scoreContinuations([
				{ context, continuations },
				{ context: { ids: context.ids.slice(0, 3), text: "" }, continuations },
			]);
			for (const [k, continuation] of continuations.entries()) {
				const shared = a.logprobs[k].reduce((x, y) => x + y, 0);
				const whole = await wholeSequenceLogprob(path, context.ids, continuation.ids, precision === "exact");
				expect(Math.abs(shared - whole)).toBeLessThan(1e-4);
				const sharedShort = b.logprobs[k].reduce((x, y) => x + y, 0);
				const wholeShort = await wholeSequenceLogprob(
					path,
					context.ids.slice(0, 3),
					continuation.ids,
					precision === "exact",
				);
				expect(Math.abs(sharedShort - wholeShort)).toBeLessThan(1e-4);
			}
			// Evaluated: each prompt once (plus BOS) and each class minus its last token.
			const classTokens = continuations.reduce((n, c) => n + c.ids.length - 1, 0);
			expect(backend.counters.tokensEvaluated).toBe(1 + context.ids.length + 1 + 3 + 2 * classTokens);
		} finally {
			await backend.dispose();
		}
	});

	it("reads next-token log-probs of candidates", async () => {
		const backend = await openLlamaBackend(STORIES_260K);
		try {
			const context = { ids: SENTENCE_IDS.slice(0, 5), text: "" };
			const [lp] = await backend.nextTokenLogprobs([{ context, candidates: [SENTENCE_IDS[5], 261] }]);
			const whole = await wholeSequenceLogprob(STORIES_260K, context.ids, [SENTENCE_IDS[5]]);
			expect(Math.abs(lp[0] - whole)).toBeLessThan(1e-4);
			expect(lp[1]).toBeLessThan(0);
		} finally {
			await backend.dispose();
		}
	});

	it("refuses a missing file and a corrupt file with clear errors", async () => {
		await expect(openLlamaBackend("/nonexistent/model.gguf")).rejects.toMatchObject({
			code: "model-missing",
		});
		const { writeFileSync, mkdtempSync } = await import("node:fs");
		const { join } = await import("node:path");
		const { tmpdir } = await import("node:os");
		const bad = join(mkdtempSync(join(tmpdir(), "invscale-")), "broken.gguf");
		writeFileSync(bad, "GGUF but not really");
		await expect(openLlamaBackend(bad)).rejects.toMatchObject({ code: "model-corrupt" });
	});
});
