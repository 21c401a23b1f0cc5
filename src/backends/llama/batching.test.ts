import { describe, expect, it } from "vitest";
import { randomModel, STORIES_260K } from "../../../test/helpers/models.js";
import type { ContinuationRequest } from "../types.js";
import { openLlamaBackend } from "./backend.js";

const prompts = [
	"Once upon a time, there was a little",
	"Lily went to the park. She saw a big",
	"Tom had a red ball. He liked to",
	"The sun was warm and the sky was",
	"One day, a cat and a dog",
	"Mom said it was time to go",
];
const classes = [" girl", " dog named Max", " tree", " ☃", " happy and sad"];

/** Plans requests the way the engine does: the prompt's tokens, then each class's tokens after them. */
async function requestsFor(
	backend: Awaited<ReturnType<typeof openLlamaBackend>>,
): Promise<ContinuationRequest[]> {
	const out: ContinuationRequest[] = [];
	for (const prompt of prompts) {
		const context = (await backend.tokenize(prompt)).map((t) => t.id);
		const continuations = [];
		for (const cls of classes) {
			const joint = (await backend.tokenize(prompt + cls)).map((t) => t.id);
			expect(joint.slice(0, context.length)).toEqual(context);
			continuations.push({ ids: joint.slice(context.length), text: cls });
		}
		out.push({ context: { ids: context, text: prompt }, continuations });
	}
	return out;
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
	let n = 0;
	while (n < a.length && n < b.length && a[n] === b[n]) n++;
	return n;
}

describe("several examples in flight give the numbers of one example at a time, to the bit", () => {
	it.each([
		["stories260K", STORIES_260K],
		["random", "tiny-c"],
	])("%s", async (_, which) => {
		const path = which.endsWith(".gguf") ? which : await randomModel(which);
		const single = await openLlamaBackend(path, { sequences: 1, threads: 1 });
		const batched = await openLlamaBackend(path, { sequences: 4, threads: 4 });
		try {
			const requests = await requestsFor(single);
			expect(single.parallelism).toBe(1);
			expect(batched.parallelism).toBe(4);
			const alone = [];
			for (const request of requests) alone.push(...(await single.scoreContinuations([request])));
			// Every request at once, twice over, so contexts are reused and run side by side.
			const together = await batched.scoreContinuations([...requests, ...requests]);
			expect(together).toHaveLength(2 * requests.length);
			let compared = 0;
			for (const [r, result] of together.entries()) {
				const reference = alone[r % requests.length];
				for (const [k, values] of result.logprobs.entries()) {
					expect(values).toHaveLength(reference.logprobs[k].length);
					for (const [i, v] of values.entries()) {
						expect(v).toBe(reference.logprobs[k][i]);
						compared++;
					}
				}
			}
			expect(compared).toBeGreaterThan(2 * prompts.length * classes.length);
			// Same work: each prompt at most once per request (less where a sequence already holds a
			// prefix), and each class minus its last token, whatever the batching.
			const bos = single.info.addsBos ? 1 : 0;
			const classTokens = requests.map((r) => r.continuations.reduce((n, c) => n + c.ids.length - 1, 0));
			expect(Math.min(...classTokens)).toBeGreaterThan(0);
			const classWork = classTokens.reduce((a, b) => a + b, 0);
			const contexts = requests.map((r) => r.context.ids);
			const promptWork = contexts.reduce((n, ids) => n + bos + ids.length, 0);
			// Tokens of a prompt no other prompt begins with: no reuse can skip them.
			const unique = contexts.reduce((n, ids, i) => {
				const shared = Math.max(
					0,
					...contexts.filter((_, j) => j !== i).map((other) => commonPrefix(ids, other)),
				);
				return n + ids.length - shared;
			}, 0);
			expect(single.counters.tokensEvaluated).toBeGreaterThanOrEqual(classWork + unique);
			expect(single.counters.tokensEvaluated).toBeLessThanOrEqual(classWork + promptWork);
			expect(batched.counters.tokensEvaluated).toBeGreaterThanOrEqual(2 * classWork + unique);
			expect(batched.counters.tokensEvaluated).toBeLessThanOrEqual(2 * (classWork + promptWork));
			expect(single.counters.calls).toBe(requests.length);
			expect(batched.counters.calls).toBe(2 * requests.length);
		} finally {
			await single.dispose();
			await batched.dispose();
		}
	});
});
