/**
 * @module What the result view shows for a finished run: the analysis of its run directory (the same
 * analysis and Vega-Lite chart specs as report.html), the verdict in plain words and the rubric.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { xAxisLabel } from "../analysis/axis.js";
import { metricInfo } from "../analysis/metric.js";
import { analyzeRun } from "../analysis/run.js";
import { verdictLabel } from "../analysis/trend.js";
import type { Flag, ModelPoint, Rubric, RunInput } from "../analysis/types.js";
import { buildChartSpec, loadRun } from "../report/index.js";
import { runFiles } from "../run/manifest.js";
import type { PlottedMetric, TaskTypeName } from "../tasks/types.js";
import { plainVerdict } from "./plain-verdict.js";

export interface MetricView {
	metric: PlottedMetric;
	label: string;
	unit: string;
	inverted: boolean;
	verdict: { kind: string; label: string; plain: string; statement: string };
	flags: Flag[];
	chance: number | null;
	examplesUsed: number;
	/** A Vega-Lite spec, exactly as report.html draws it (null when no model has a known size). */
	chart: Record<string, unknown> | null;
	models: Array<
		Pick<
			ModelPoint,
			"name" | "family" | "x" | "mean" | "se" | "n" | "coverage" | "status" | "inTrend" | "excluded" | "error"
		>
	>;
}

export interface RunResult {
	task: { name: string; typeName: TaskTypeName; examples: number };
	xAxis: string;
	metrics: MetricView[];
	rubric: Rubric;
	/** Files of the run directory that the page links to. */
	files: { report: boolean };
}

const cache = new Map<string, { stamp: number; result: RunResult }>();

/** The result view of a task's run directory; cached until run.json changes. */
export function runResult(dir: string): RunResult {
	const stamp = statSync(join(dir, runFiles.manifest)).mtimeMs;
	const hit = cache.get(dir);
	if (hit && hit.stamp === stamp) return hit.result;
	const result = resultOf(loadRun(dir).input, exists(join(dir, runFiles.report)));
	cache.set(dir, { stamp, result });
	return result;
}

/** The result view of a run's analysis input (callers may rename or hide models before). */
export function resultOf(input: RunInput, hasReport: boolean): RunResult {
	const analysis = analyzeRun(input, {});
	const x = analysis.options.x;
	return {
		task: { name: analysis.task.name, typeName: analysis.task.typeName, examples: analysis.task.examples },
		xAxis: xAxisLabel[x],
		metrics: analysis.metrics.map((m) => ({
			metric: m.metric,
			label: metricInfo[m.metric].label,
			unit: metricInfo[m.metric].unit,
			inverted: m.inverted,
			verdict: {
				kind: m.trend.verdict,
				label: verdictLabel[m.trend.verdict],
				plain: plainVerdict(m),
				statement: m.trend.statement,
			},
			flags: m.flags,
			chance: m.chance,
			examplesUsed: m.examplesUsed,
			chart: m.models.some((p) => p.inTrend)
				? buildChartSpec(m, { xAxis: x, width: 360, height: 250 })
				: null,
			models: m.models.map(
				({ name, family, x, mean, se, n, coverage, status, inTrend, excluded, error }) => ({
					name,
					family,
					x,
					mean,
					se,
					n,
					coverage,
					status,
					inTrend,
					...(excluded !== undefined ? { excluded } : {}),
					...(error !== undefined ? { error } : {}),
				}),
			),
		})),
		rubric: analysis.rubric,
		files: { report: hasReport },
	};
}

function exists(path: string): boolean {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
}
