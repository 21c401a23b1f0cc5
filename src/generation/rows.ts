/**
 * @module From generated answers to results: one row per example (means over its samples, so the
 * paired bootstrap, resampling rows, keeps an example's samples together) and a condition's summary.
 */
import { meanSe } from "../analysis/descriptive.js";
import type { UsageTotals } from "../backends/types.js";
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
		// Unknown for any sample (the API did not say): unknown for the example, never a partial mean.
		reasoning_tokens: tokens.every((t) => typeof t === "number") ? mean(tokens as number[]) : "",
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

/**
 * The generation fields of a condition's summary: accuracy, parse rate, tokens, and loss where
 * read. Reasoning tokens some answers lacked are null, with how many answers lacked them (from the
 * condition's `usage` where given, else the examples without a count); derived or estimated counts
 * are labelled so.
 */
export function generationSummary(
	rows: readonly GenerationRow[],
	usage?: Pick<UsageTotals, "missing" | "reasoningTokensDerived" | "reasoningTokensEstimated">,
): Partial<ModelSummary> {
	if (rows.length === 0) return {};
	const out: Partial<ModelSummary> = {
		correct: meanSe(rows.map((r) => r.correct)),
		parseRate: mean(rows.map((r) => r.parsed)),
	};
	const unknown = rows.filter((r) => r.reasoning_tokens === "").length;
	if (unknown === 0) {
		out.reasoningTokens = meanSe(rows.map((r) => r.reasoning_tokens as number));
		const bins = lengthBins(rows.map((r) => ({ tokens: r.reasoning_tokens as number, correct: r.correct })));
		if (bins.length > 0) out.lengthBins = bins;
		if (usage?.reasoningTokensEstimated) out.reasoningTokensFrom = "estimated";
		else if (usage?.reasoningTokensDerived) out.reasoningTokensFrom = "derived";
	} else {
		out.reasoningTokens = null;
		out.reasoningTokensMissing = usage?.missing.reasoningTokens || unknown;
	}
	if (rows.every((r) => r.loss !== undefined)) {
		out.loss = meanSe(rows.map((r) => r.loss!));
		out.logprobCorrect = meanSe(rows.map((r) => r.logprob_correct!));
	}
	return out;
}

/**
 * A condition's mean reasoning tokens as a table cell: "1023.5", labelled "derived" or
 * "estimated" where the API did not report them, "unknown (12 answers)" where answers did not
 * say, "—" where the run has none.
 */
export function reasoningTokensCell(
	m: Pick<ModelSummary, "reasoningTokens" | "reasoningTokensMissing" | "reasoningTokensFrom">,
	decimals = 1,
): string {
	if (m.reasoningTokens === undefined) return "—";
	if (m.reasoningTokens === null) {
		const n = m.reasoningTokensMissing;
		return n === undefined ? "unknown" : `unknown (${n} answer${n === 1 ? "" : "s"})`;
	}
	const value = m.reasoningTokens.mean.toFixed(decimals);
	return m.reasoningTokensFrom === undefined ? value : `${value} ${m.reasoningTokensFrom}`;
}
