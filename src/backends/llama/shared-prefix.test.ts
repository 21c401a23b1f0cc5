import { getLlama, type LlamaModel, type Token as LlamaToken } from "node-llama-cpp";
import { afterAll, describe, expect, it } from "vitest";
import { randomModel } from "../../../test/helpers/models.js";
import type { ContinuationRequest } from "../types.js";
import { openLlamaBackend } from "./backend.js";
import { FLASH_ATTENTION_TILE, restBatchTokens } from "./rest-batch.js";

const DEMOS =
	"Q: Where did Lily play? A: in the park.\nQ: What did Tom have? A: a box of toys.\n" +
	"Q: What was warm? A: the sun.\nQ: What did they see? A: a big red ball.\n";
const QUESTIONS = [
	"Q: Who came too? A:",
	"Q: Where did they sit? A:",
	"Q: What did mom say? A:",
	"Q: What was by the water? A:",
	"Q: Who liked to play? A:",
	"Q: What was red? A:",
];
const ANSWERS = [" tom", " by the tree", " it was time to go home"];

let llama: ReturnType<typeof getLlama> | undefined;
afterAll(async () => (await llama)?.dispose());

/**
 * Independent reference, plain node-llama-cpp: a fresh context evaluates BOS + prefix in one call,
 * the rest of the context in a second (at fast precision, a rest under 64 tokens followed by copies
 * of its last token up to 64, erased after), each continuation (but its last token) in a third.
 */
async function reference(
	path: string,
	exact: boolean,
	prefix: number[],
	rest: number[],
	continuations: number[][],
): Promise<{ next: Map<LlamaToken, number>; logprobs: number[][] }> {
	llama ??= getLlama({ gpu: false, build: "never" });
	const model: LlamaModel = await (await llama).loadModel({ modelPath: path });
	const context = await model.createContext({
		contextSize: 512,
		sequences: 1,
		threads: 1,
		...(exact
			? { flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32" }
			: {}),
	});
	const sequence = context.getSequence();
	const read = { generateNext: { probabilities: true } };
	// Which rows are read matters too: llama.cpp computes the last layer for those rows only.
	const evaluate = async (ids: number[], all: boolean) => {
		const out = await sequence.controlledEvaluate(
			ids.map((id, i) => (all || i === ids.length - 1 ? [id as LlamaToken, read] : (id as LlamaToken))),
		);
		return out.map((r) => r?.next.probabilities);
	};
	let next = (await evaluate([model.tokens.bos!, ...prefix], false)).at(-1)!;
	const full = 1 + prefix.length + rest.length;
	const padded = !exact && rest.length > 0 && rest.length < 64 && full >= 64;
	if (padded) {
		const padding = Array(64 - rest.length).fill(rest.at(-1));
		const out = await sequence.controlledEvaluate(
			[...rest, ...padding].map((id, i) =>
				i === rest.length - 1 ? [id as LlamaToken, read] : (id as LlamaToken),
			),
		);
		next = out[rest.length - 1]!.next.probabilities!;
		await sequence.eraseContextTokenRanges([{ start: full, end: sequence.nextTokenIndex }]);
	} else if (rest.length > 0) next = (await evaluate(rest, false)).at(-1)!;
	const base = sequence.nextTokenIndex;
	const logprobs = [];
	for (const ids of continuations) {
		const after = ids.length > 1 ? await evaluate(ids.slice(0, -1), true) : [];
		logprobs.push(ids.map((id, k) => Math.log((k === 0 ? next : after[k - 1]!).get(id as LlamaToken)!)));
		await sequence.eraseContextTokenRanges([{ start: base, end: sequence.nextTokenIndex }]);
	}
	await context.dispose();
	await model.dispose();
	return { next, logprobs };
}

describe.each(["fast", "exact"] as const)("a declared shared prefix, %s precision", (precision) => {
	it("is evaluated once per context, and every score is that of a fresh evaluation, to the bit", async () => {
		const path = await randomModel("tiny-b");
		const backend = await openLlamaBackend(path, { precision, sequences: 2, threads: 2 });
		try {
			const ids = async (text: string) => (await backend.tokenize(text)).map((t) => t.id);
			const prefix = await ids(DEMOS);
			expect(prefix.length).toBeGreaterThan(40);
			const requests: ContinuationRequest[] = [];
			for (const question of QUESTIONS) {
				const context = await ids(DEMOS + question);
				expect(context.slice(0, prefix.length)).toEqual(prefix);
				const continuations = [];
				for (const answer of ANSWERS) {
					const joint = await ids(DEMOS + question + answer);
					continuations.push({ ids: joint.slice(context.length), text: answer });
				}
				requests.push({
					context: { ids: context, text: DEMOS + question },
					continuations,
					sharedPrefixTokens: prefix.length,
				});
			}
			// All at once on two contexts, then one at a time in reverse order.
			const together = await backend.scoreContinuations(requests);
			const alone = [];
			for (const request of [...requests].reverse())
				alone.unshift(...(await backend.scoreContinuations([request])));
			expect(alone).toEqual(together);
			for (const [r, request] of requests.entries()) {
				const expected = await reference(
					path,
					precision === "exact",
					prefix,
					request.context.ids.slice(prefix.length),
					request.continuations.map((c) => c.ids),
				);
				expect(together[r]!.logprobs).toEqual(expected.logprobs);
			}
			// The prefix (with BOS) once per context, then each rest (at fast precision on a CPU, padded to
			// 64 tokens) and each continuation but its last token.
			const restCall = (r: ContinuationRequest) => {
				const rest = r.context.ids.length - prefix.length;
				return precision === "fast" && rest < 64 && 1 + r.context.ids.length >= 64 ? 64 : rest;
			};
			const rests = requests.reduce((n, r) => n + restCall(r), 0);
			const classes = requests.reduce(
				(n, r) => n + r.continuations.reduce((m, c) => m + c.ids.length - 1, 0),
				0,
			);
			expect(backend.counters.tokensEvaluated).toBe(2 * (1 + prefix.length) + 2 * (rests + classes));
			expect(backend.counters.calls).toBe(2 * requests.length);

			// A context that is the prefix alone, next-token reads, and another prefix on the same context.
			const [onlyPrefix, afterQuestion] = await backend.nextTokenLogprobs([
				{ context: { ids: prefix, text: DEMOS }, candidates: [261, 300], sharedPrefixTokens: prefix.length },
				{ ...requests[0]!, candidates: [261], sharedPrefixTokens: prefix.length },
			]);
			const bare = await reference(path, precision === "exact", prefix, [], []);
			expect(onlyPrefix).toEqual([
				Math.log(bare.next.get(261 as LlamaToken)!),
				Math.log(bare.next.get(300 as LlamaToken)!),
			]);
			const first = await reference(
				path,
				precision === "exact",
				prefix,
				requests[0]!.context.ids.slice(prefix.length),
				[],
			);
			expect(afterQuestion).toEqual([Math.log(first.next.get(261 as LlamaToken)!)]);
			const shorter = 10;
			const [other] = await backend.scoreContinuations([{ ...requests[1]!, sharedPrefixTokens: shorter }]);
			const expectedOther = await reference(
				path,
				precision === "exact",
				requests[1]!.context.ids.slice(0, shorter),
				requests[1]!.context.ids.slice(shorter),
				requests[1]!.continuations.map((c) => c.ids),
			);
			expect(other!.logprobs).toEqual(expectedOther.logprobs);
			const [back] = await backend.scoreContinuations([requests[1]!]);
			expect(back).toEqual(together[1]);
		} finally {
			await backend.dispose();
		}
	});
});

describe("sharedPrefixTokens", () => {
	it("changes a score only in its last bits, and is refused when longer than the context", async () => {
		const path = await randomModel("tiny-b");
		const backend = await openLlamaBackend(path, { sequences: 1, threads: 1 });
		try {
			const context = (await backend.tokenize(DEMOS + QUESTIONS[0])).map((t) => t.id);
			const request = { context: { ids: context, text: "" }, candidates: [261, 300] };
			const [whole] = await backend.nextTokenLogprobs([request]);
			const [split] = await backend.nextTokenLogprobs([{ ...request, sharedPrefixTokens: 30 }]);
			for (const [i, v] of split!.entries()) expect(Math.abs(v - whole![i]!)).toBeLessThan(1e-4);
			await expect(
				backend.nextTokenLogprobs([{ ...request, sharedPrefixTokens: context.length + 1 }]),
			).rejects.toMatchObject({ code: "internal" });
			await expect(
				backend.nextTokenLogprobs([{ ...request, sharedPrefixTokens: 2.5 }]),
			).rejects.toMatchObject({
				code: "internal",
			});
		} finally {
			await backend.dispose();
		}
	});
});

describe("a kept shared prefix and generation on the same context", () => {
	it("generation in between makes the prefix be evaluated again, and the score stays the same", async () => {
		const path = await randomModel("tiny-b");
		const backend = await openLlamaBackend(path, { sequences: 1, threads: 1 });
		try {
			const prefix = (await backend.tokenize(DEMOS)).map((t) => t.id);
			const context = (await backend.tokenize(DEMOS + QUESTIONS[0])).map((t) => t.id);
			const request = {
				context: { ids: context, text: "" },
				candidates: [261, 300],
				sharedPrefixTokens: prefix.length,
			};
			const [before] = await backend.nextTokenLogprobs([request]);
			const tokensBefore = backend.counters.tokensEvaluated;
			await backend.completer!.complete([{ prompt: "Q: Who", maxTokens: 5, temperature: 0 }]);
			const generated = backend.counters.tokensEvaluated - tokensBefore;
			const [after] = await backend.nextTokenLogprobs([request]);
			expect(after).toEqual(before);
			// BOS + prefix again, then the rest's call (fast precision: padded to 64 tokens).
			expect(backend.counters.tokensEvaluated - tokensBefore - generated).toBe(1 + prefix.length + 64);
		} finally {
			await backend.dispose();
		}
	});
});

describe("the call on top of a kept prefix (fast precision on a CPU)", () => {
	it("pads a rest under 64 tokens to 64 only where evaluating from BOS would not be a small batch too", () => {
		const at = (rest: number, full: number, room = 2048, smallBatchesSlow = true) =>
			restBatchTokens({ rest, full, room, smallBatchesSlow });
		expect(FLASH_ATTENTION_TILE).toBe(64);
		// The bench's few-shot rows: ~45 tokens on top of 245 shared ones.
		expect(at(45, 291)).toBe(64);
		expect(at(1, 247)).toBe(64);
		expect(at(63, 309)).toBe(64);
		// Already a tile, or nothing to evaluate.
		expect(at(64, 310)).toBe(64);
		expect(at(200, 445)).toBe(200);
		expect(at(0, 246)).toBe(0);
		// The whole context is under a tile: from BOS it would be a small batch as well, and a longer one.
		expect(at(20, 63)).toBe(20);
		expect(at(20, 64)).toBe(64);
		// No room for the padding, or small batches are not slow (exact precision, a GPU).
		expect(at(45, 291, 300)).toBe(45);
		expect(at(45, 291, 310)).toBe(64);
		expect(at(45, 291, 2048, false)).toBe(45);
	});

	it("the backend evaluates a short rest as one 64-token call at fast precision, as given at exact", async () => {
		const path = await randomModel("tiny-b");
		for (const precision of ["fast", "exact"] as const) {
			const backend = await openLlamaBackend(path, { precision, sequences: 1, threads: 1 });
			try {
				const prefix = (await backend.tokenize(DEMOS)).map((t) => t.id);
				const context = (await backend.tokenize(DEMOS + QUESTIONS[0])).map((t) => t.id);
				const rest = context.length - prefix.length;
				expect(rest).toBeLessThan(64);
				expect(1 + context.length).toBeGreaterThanOrEqual(64);
				const request = {
					context: { ids: context, text: "" },
					candidates: [261],
					sharedPrefixTokens: prefix.length,
				};
				await backend.nextTokenLogprobs([request]);
				const before = backend.counters.tokensEvaluated;
				await backend.nextTokenLogprobs([request]);
				expect(backend.counters.tokensEvaluated - before).toBe(precision === "fast" ? 64 : rest);
			} finally {
				await backend.dispose();
			}
		}
	});
});
