/**
 * @module What the result view shows for a finished run: the analysis of its run directory (the same
 * analysis and Vega-Lite chart specs as report.html), the verdict in plain words and the rubric.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { XAxis } from "../analysis/axis.js";
import { axisSpec, X_AXES, xAxisLabel, xValue } from "../analysis/axis.js";
import type { InteractionResult } from "../analysis/interaction.js";
import { metricInfo } from "../analysis/metric.js";
import { analyzeRun } from "../analysis/run.js";
import { verdictLabel } from "../analysis/trend.js";
import type { Flag, MetricAnalysis, ModelPoint, Rubric, RunAnalysis, RunInput } from "../analysis/types.js";
import { buildChartSpec, buildTransposeSpec, loadRun } from "../report/index.js";
import type { Coordinates } from "../run/conditions.js";
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
	/** Every chart of the metric: along the axis, and for a size × training grid the transpose. */
	charts: { kind: "along" | "transpose"; title: string; spec: Record<string, unknown> }[];
	/** The axis, how conditions are grouped, and the verdict naming both. */
	along: { axis: string; label: string; unit: string; groupBy: string[]; statement: string };
	/** One trend per group (one per size when the axis is training), empty without groups. */
	groups: {
		label: string;
		verdict: string;
		verdictLabel: string;
		n: number;
		slope: number | null;
		p: number | null;
	}[];
	interaction: InteractionResult | null;
	models: Array<
		Pick<
			ModelPoint,
			"name" | "family" | "x" | "mean" | "se" | "n" | "coverage" | "status" | "inTrend" | "excluded" | "error"
		>
	>;
}

export interface RunResult {
	task: { name: string; typeName: TaskTypeName; examples: number };
	/** The axis of this analysis (`tokens`), and every axis the run's conditions vary along. */
	axis: XAxis;
	axes: XAxis[];
	xAxis: string;
	/** The two ends of the axis in words ("smallest model", "latest checkpoint"). */
	ends: { low: string; high: string };
	metrics: MetricView[];
	rubric: Rubric;
	/** Files of the run directory that the page links to. */
	files: { report: boolean };
}

const cache = new Map<string, { stamp: number; result: RunResult }>();

/** The axis title when ranks stand in for hidden sizes. */
export const sizeRankLabel = "Size rank (1 = smallest)";

/** The axes on which at least two of the conditions can be placed at different values. */
function axesOf(coords: readonly Coordinates[]): XAxis[] {
	return X_AXES.filter((flag) => {
		const values = new Set<number>();
		for (const c of coords) {
			const v = xValue(c, flag);
			if (v.ok) values.add(v.x);
		}
		return values.size > 1;
	});
}

/**
 * The result view of a task's run directory along `x` (default: the coordinate the run varies
 * in, size first); cached until run.json changes.
 */
export function runResult(dir: string, x?: XAxis): RunResult {
	const stamp = statSync(join(dir, runFiles.manifest)).mtimeMs;
	const key = `${dir}\u0000${x ?? ""}`;
	const hit = cache.get(key);
	if (hit && hit.stamp === stamp) return hit.result;
	const result = resultOf(loadRun(dir).input, exists(join(dir, runFiles.report)), x);
	cache.set(key, { stamp, result });
	return result;
}

/** The result view of a run's analysis input along `x` (callers may rename or hide models before). */
export function resultOf(input: RunInput, hasReport: boolean, x?: XAxis): RunResult {
	return resultOfAnalysis(analyzeRun(input, { x }), hasReport);
}

/** How the view places the conditions: at their sizes, or at their size ranks (1 = smallest) on an ordinal axis. */
export interface ResultViewOptions {
	/** The analysis' x values are ranks by size that stand in for sizes that must not be shown. */
	sizeRanks?: boolean;
}

/** The result view of an analysis already made (callers may redact it first, see `sizeRanks`). */
export function resultOfAnalysis(
	analysis: RunAnalysis,
	hasReport: boolean,
	view: ResultViewOptions = {},
): RunResult {
	const axis = analysis.options.x;
	const ranks = view.sizeRanks === true;
	return {
		task: { name: analysis.task.name, typeName: analysis.task.typeName, examples: analysis.task.examples },
		axis,
		axes: axesOf(analysis.metrics[0].models.map((p) => p.coords)),
		xAxis: ranks ? sizeRankLabel : xAxisLabel[axis],
		ends: analysis.ends,
		metrics: analysis.metrics.map((m) => ({
			metric: m.metric,
			label: metricInfo[m.metric].label,
			unit: metricInfo[m.metric].unit,
			inverted: m.inverted,
			verdict: verdictOf(m, ranks),
			flags: m.flags,
			chance: m.chance,
			examplesUsed: m.examplesUsed,
			...chartFields(m, axis, ranks),
			along: {
				axis: m.along.axis,
				label: m.along.label,
				unit: m.along.unit,
				groupBy: m.along.groupBy,
				statement: m.along.statement,
			},
			groups: m.groups.map((g) => ({
				label: g.label,
				verdict: g.trend.verdict,
				verdictLabel: verdictLabel[g.trend.verdict],
				n: g.trend.n,
				slope: g.trend.slope?.estimate ?? null,
				p: g.trend.slope?.p ?? null,
			})),
			interaction: m.interaction,
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

/** The headline: the trend's verdict, or with groups how many of them scale inversely along the axis. */
function verdictOf(m: MetricAnalysis, ranks: boolean): MetricView["verdict"] {
	const plain = plainVerdict(m, { sizesHidden: ranks });
	if (m.groups.length === 0)
		return {
			kind: m.trend.verdict,
			label: verdictLabel[m.trend.verdict],
			plain,
			statement: m.trend.statement,
		};
	const k = m.groups.filter((g) => g.trend.verdict === "inverse").length;
	return {
		kind: k > 0 ? "inverse" : m.trend.verdict,
		label: k > 0 ? `Inverse scaling in ${k} of ${m.groups.length} groups` : verdictLabel[m.trend.verdict],
		plain,
		statement: `Pooled over the groups: ${m.trend.statement}`,
	};
}

function chartFields(m: MetricAnalysis, x: XAxis, ranks: boolean): Pick<MetricView, "chart" | "charts"> {
	const charts = chartsOf(m, x, ranks);
	return { chart: charts[0]?.spec ?? null, charts };
}

function chartsOf(m: MetricAnalysis, x: XAxis, ranks: boolean): MetricView["charts"] {
	if (!m.models.some((p) => p.inTrend)) return [];
	const grouped = m.groups.length > 0;
	const size = grouped ? { width: 340, height: 260 } : { width: 360, height: 250 };
	const charts: MetricView["charts"] = [
		{
			kind: "along",
			title: ranks ? "against size rank" : `against ${axisSpec(x).label.toLowerCase()}`,
			spec: buildChartSpec(m, { xAxis: x, ...size, ...(ranks ? { xRanks: sizeRankLabel } : {}) }),
		},
	];
	// Ranks stand for one size axis only: the transpose would place the conditions at sizes.
	const transpose = ranks ? null : buildTransposeSpec(m, size);
	if (transpose) {
		const by = m.along.groupBy[0];
		charts.push({
			kind: "transpose",
			title:
				by === "size" ? "against parameters, one line per checkpoint" : "against training, one line per size",
			spec: transpose,
		});
	}
	return charts;
}

function exists(path: string): boolean {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
}
