/**
 * @module Degenerate data for the verdict study: constant series, all-correct and all-wrong
 * conditions, one model, two identical models, missing, non-numeric and zero standard errors. Each
 * goes through the analysis `report` or `analyze` runs; none may get a significant verdict.
 */
import { DEFAULT_LEVEL } from "../../analysis/bootstrap.js";
import { analyzeRun } from "../../analysis/run.js";
import { analyzeSummaryTable, type SummaryRow } from "../../analysis/table.js";
import type { TrendResult, VerdictKind } from "../../analysis/trend.js";
import type { RunInput } from "../../analysis/types.js";
import { defaultSpec, simulateRun } from "./ladders.js";

export interface DegenerateCase {
	name: string;
	/** The verdict of every trend the case produced (each metric, each family). */
	verdicts: VerdictKind[];
	/** The smallest slope p among them; null when none has one. */
	minP: number | null;
	/** No direction or shape claimed, and no p below α. */
	ok: boolean;
}

const options = { replicates: 1000, seed: 3 };
const examples = 300;

/** A run of models that answer the first `right[m]` examples correctly (the same examples for all). */
function answered(right: number[]): RunInput {
	const index = Array.from({ length: examples }, (_, i) => i);
	return {
		task: { name: "degenerate", type: "classification", typeName: "classification_acc", examples },
		plotted: "correct",
		models: right.map((r, m) => {
			const correct = index.map((i) => (i < r ? 1 : 0));
			return {
				name: `m${m}`,
				family: "f",
				parameters: 10 ** (8 + m / 2),
				status: "ok" as const,
				columns: { index, correct, loss: correct.map((c) => (c ? 0.05 : 3)) },
			};
		}),
	};
}

function table(means: number[], ses: (number | null)[]): SummaryRow[] {
	return means.map((mean, i) => ({
		model: `m${i}`,
		family: "f",
		parameters: 10 ** (8 + i / 2),
		mean,
		se: ses[i],
	}));
}

function judge(name: string, trends: TrendResult[]): DegenerateCase {
	const ps = trends.map((t) => t.slope?.p).filter((p): p is number => typeof p === "number");
	const minP = ps.length > 0 ? Math.min(...ps) : null;
	const verdicts = trends.map((t) => t.verdict);
	const claimed = verdicts.some(
		(v) => v === "inverse" || v === "positive" || v === "u-shaped" || v === "inverted-u",
	);
	return { name, verdicts, minP, ok: !claimed && (minP === null || minP >= 1 - DEFAULT_LEVEL) };
}

const runTrends = (input: RunInput) => analyzeRun(input, options).metrics.map((m) => m.trend);

export function degenerateCases(): DegenerateCase[] {
	const six = (r: number) => [r, r, r, r, r, r];
	const twin = simulateRun(defaultSpec("correct", 2, examples, "params"), 5);
	twin.models[1].columns = twin.models[0].columns;
	return [
		judge("constant accuracy 0 (every model wrong on every example)", runTrends(answered(six(0)))),
		judge("constant accuracy 0.3 (same examples right)", runTrends(answered(six(90)))),
		judge("constant accuracy 0.7 (same examples right)", runTrends(answered(six(210)))),
		judge("constant accuracy 1 (every model right on every example)", runTrends(answered(six(examples)))),
		judge(
			"all correct, then all wrong (no spread in any condition)",
			runTrends(answered([300, 300, 300, 0, 0, 0])),
		),
		judge(
			"constant except one model wrong on 1 example of 300",
			runTrends(answered([300, 300, 300, 300, 300, 299])),
		),
		judge("one model", runTrends(answered([210]))),
		judge("two identical models", runTrends(twin)),
		judge("table, constant 0.7 with standard errors", [
			analyzeSummaryTable(table(six(0.7), six(0.0265)), "correct", options).trend,
		]),
		judge("table, constant 1 with zero standard errors", [
			analyzeSummaryTable(table(six(1), six(0)), "correct", options).trend,
		]),
		judge("table, falling means without standard errors", [
			analyzeSummaryTable(table([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], six(null as never)), "correct", options)
				.trend,
		]),
		judge("table, falling means, one standard error NaN", [
			analyzeSummaryTable(
				table([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [0.01, 0.01, Number.NaN, 0.01, 0.01, 0.01]),
				"correct",
				options,
			).trend,
		]),
		judge("table, falling means with zero standard errors", [
			analyzeSummaryTable(table([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], six(0)), "correct", options).trend,
		]),
	];
}
