/**
 * @module From the raw log-probs in `details/<model>.jsonl` to what a person reads: each class's
 * probability among the classes (p_k = exp(ℓ_k) / Σ_j exp(ℓ_j)) and the raw mass the classes got.
 */

/** log Σ exp(x), stable for very negative x; -Infinity for an empty list. */
export function logSumExp(values: readonly number[]): number {
	if (values.length === 0) return Number.NEGATIVE_INFINITY;
	const max = Math.max(...values);
	if (!Number.isFinite(max)) return max;
	let sum = 0;
	for (const v of values) sum += Math.exp(v - max);
	return max + Math.log(sum);
}

export interface ClassShares {
	/** p_k normalised over the classes; they sum to 1. */
	shares: number[];
	/** Σ exp(ℓ_k): the probability the model put on all the classes together. */
	mass: number;
}

/** Normalises summed class log-probs ℓ_k into shares of the class mass. */
export function classShares(logprobs: readonly number[]): ClassShares {
	const total = logSumExp(logprobs);
	if (!Number.isFinite(total)) return { shares: logprobs.map(() => Number.NaN), mass: 0 };
	return { shares: logprobs.map((l) => Math.exp(l - total)), mass: Math.exp(total) };
}

export type ExampleProbabilities =
	| { kind: "classification"; shares: number[]; mass: number }
	| { kind: "sequence_prob"; probability: number }
	| {
			kind: "logodds";
			/** Shares of the two classes after the prompt, then after the other prompt. */
			prompt: number[];
			other: number[];
			/** Probability of the four class tokens together (the prize's total_logprob, exponentiated). */
			mass: number;
	  };

/** The probabilities behind one row, by task kind (see `ExampleDetails.logprobs`). */
export function exampleProbabilities(
	kind: ExampleProbabilities["kind"],
	logprobs: readonly number[],
): ExampleProbabilities {
	switch (kind) {
		case "classification":
			return { kind, ...classShares(logprobs) };
		case "sequence_prob":
			return { kind, probability: Math.exp(logprobs[0]) };
		case "logodds":
			return {
				kind,
				prompt: classShares(logprobs.slice(0, 2)).shares,
				other: classShares(logprobs.slice(2, 4)).shares,
				mass: Math.exp(logSumExp(logprobs.slice(0, 4))),
			};
	}
}
