/**
 * @module From generated answers to results: one row per example (means over its samples, so the
 * paired bootstrap, resampling rows, keeps an example's samples together) and a condition's summary.
 */
import { meanSe } from "../analysis/descriptive.js";
import type { ModelSummary } from "../run/manifest.js";
import { classificationMetrics } from "../scoring/metrics.js";
import type { Example } from "../tasks/types.js";
import { lengthBins } from "./length-bins.js";
import type { GenerationDetails, GenerationRow } from "./types.js";

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The row of one example from all its samples (in sample order). */
export function generationRow(example: Example, samples: readonly GenerationDetails[]): GenerationRow {
	if (samples.length === 0) throw new Error(`no answers for example ${example.index}`);
	const tokens = samples.map((s) => s.reasoningTokens);
	const row: GenerationRow = {
		index: example.index,
		correct: mean(samples.map((s) => s.correct)),
		parsed: mean(samples.map((s) => (s.extracted === undefined ? 0 : 1))),
		reasoning_tokens: tokens.every((t) => t !== undefined) ? mean(tokens as number[]) : "",
		predicted: predictedText(example, samples[0]),
	};
	if (example.kind === "classification" && samples.every((s) => s.classLogprobs)) {
		const metrics = samples.map((s) =>
			classificationMetrics(s.classLogprobs!, example.classes, example.answerIndex),
		);
		row.loss = mean(metrics.map((m) => m.loss));
		row.logprob_correct = mean(metrics.map((m) => m.correct));
	}
	return row;
}

/** What the first sample answered, as the prize writes `predicted`: the class's text (or the exact answer read); "" when unreadable. */
function predictedText(example: Example, first: GenerationDetails): string {
	if (example.kind === "classification")
		return first.predicted !== undefined && first.predicted >= 0 ? example.classes[first.predicted] : "";
	return first.extracted ?? "";
}

/** The generation fields of a condition's summary: accuracy, parse rate, tokens, and loss where read. */
export function generationSummary(rows: readonly GenerationRow[]): Partial<ModelSummary> {
	if (rows.length === 0) return {};
	const out: Partial<ModelSummary> = {
		correct: meanSe(rows.map((r) => r.correct)),
		parseRate: mean(rows.map((r) => r.parsed)),
	};
	if (rows.every((r) => r.reasoning_tokens !== "")) {
		out.reasoningTokens = meanSe(rows.map((r) => r.reasoning_tokens as number));
		const bins = lengthBins(rows.map((r) => ({ tokens: r.reasoning_tokens as number, correct: r.correct })));
		if (bins.length > 0) out.lengthBins = bins;
	}
	if (rows.every((r) => r.loss !== undefined)) {
		out.loss = meanSe(rows.map((r) => r.loss!));
		out.logprobCorrect = meanSe(rows.map((r) => r.logprob_correct!));
	}
	return out;
}
