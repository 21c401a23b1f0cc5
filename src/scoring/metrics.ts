/**
 * @module The prize's per-example metrics, as pure functions of log-probabilities
 * (see docs/prize-format.md, "Per-example metrics").
 */

/** log(Σ exp(x)), stable for large negative inputs. */
export function logSumExp(values: readonly number[]): number {
	let max = Number.NEGATIVE_INFINITY;
	for (const v of values) if (v > max) max = v;
	if (max === Number.NEGATIVE_INFINITY) return max;
	let sum = 0;
	for (const v of values) sum += Math.exp(v - max);
	return max + Math.log(sum);
}

/** Index of the first maximum (the prize's argmax takes the first on ties). */
export function firstArgmax(values: readonly number[]): number {
	let best = 0;
	for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
	return best;
}

export function sum(values: readonly number[]): number {
	let total = 0;
	for (const v of values) total += v;
	return total;
}

export interface ClassificationRow {
	loss: number;
	correct: 0 | 1;
	predicted: string;
	total_logprob: number;
}

/** `classLogprobs[k]` is ℓ_k, the summed log-prob of class k's tokens given the prompt. */
export function classificationMetrics(
	classLogprobs: readonly number[],
	classes: readonly string[],
	answerIndex: number,
): ClassificationRow {
	const total = logSumExp(classLogprobs);
	const predictedIndex = firstArgmax(classLogprobs);
	return {
		loss: total - classLogprobs[answerIndex],
		correct: predictedIndex === answerIndex ? 1 : 0,
		predicted: classes[predictedIndex],
		total_logprob: total,
	};
}

export interface SequenceProbRow {
	loss: number;
}

export function sequenceProbMetrics(completionLogprobs: readonly number[]): SequenceProbRow {
	return { loss: -sum(completionLogprobs) };
}

export interface LogoddsRow {
	logodds_difference: number;
	correct: 0 | 1;
	total_logprob: number;
}

/**
 * Log-odds of the two classes' (last) tokens after `prompt` and after `other_prompt`:
 * d = L(prompt) − L(other_prompt), negated when the answer is class 1; `correct` is judged on
 * `other_prompt`; total_logprob is the log of the sum of the four probabilities.
 */
export function logoddsMetrics(
	prompt: readonly [number, number],
	other: readonly [number, number],
	answerIndex: 0 | 1,
	absolute: boolean,
): LogoddsRow {
	const raw = prompt[0] - prompt[1] - (other[0] - other[1]);
	const signed = answerIndex === 1 ? -raw : raw;
	return {
		logodds_difference: absolute ? Math.abs(signed) : signed,
		correct: firstArgmax(other) === answerIndex ? 1 : 0,
		total_logprob: logSumExp([...prompt, ...other]),
	};
}
