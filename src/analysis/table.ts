/**
 * @module Trend and verdict from a summary table (model, family, size, mean, standard error)
 * when no per-example rows exist: the same trend analysis on a parametric bootstrap.
 */

import type { PlottedMetric } from "../tasks/types.js";
import { type XAxis, xAxisLabel, xValue } from "./axis.js";
import { parametricBootstrap, replicateColumn } from "./bootstrap.js";
import { percentileInterval } from "./descriptive.js";
import { familyTrends } from "./families.js";
import { defaultFlatBand } from "./metric.js";
import { resolveOptions } from "./run.js";
import { analyzeTrend } from "./trend.js";
import type { AnalysisOptions, Flag, MetricAnalysis, ModelPoint } from "./types.js";

export interface SummaryRow {
	model: string;
	family: string;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	mean: number;
	/** Standard error of the mean; null when unknown (then the mean is treated as exact). */
	se: number | null;
	/** Examples behind the mean, when known. */
	n?: number;
}

export function analyzeSummaryTable(
	rows: SummaryRow[],
	metric: PlottedMetric,
	options: AnalysisOptions = {},
): MetricAnalysis {
	const o = resolveOptions(options);
	const axis: XAxis = o.x;
	const flags: Flag[] = [];
	const points: ModelPoint[] = rows.map((r) => {
		const xv = xValue(r, axis);
		return {
			name: r.model,
			family: r.family,
			status: "ok",
			x: xv.ok ? xv.x : null,
			inTrend: xv.ok,
			excluded: xv.ok ? undefined : xv.reason,
			mean: r.mean,
			se: r.se,
			n: r.n ?? 0,
			interval: null,
			coverage: null,
		};
	});
	const inTrend = points.map((p, i) => (p.inTrend ? i : -1)).filter((i) => i >= 0);
	const rep = parametricBootstrap(
		inTrend.map((i) => rows[i].mean),
		inTrend.map((i) => rows[i].se),
		{ replicates: o.replicates, seed: o.seed },
	);
	inTrend.forEach((i, k) => {
		const iv = rows[i].se === null ? null : percentileInterval(replicateColumn(rep, k), o.level);
		points[i].interval = iv ? { lower: iv[0], upper: iv[1], level: o.level } : null;
	});
	const missingSe = rows.filter((r) => r.se === null);
	if (missingSe.length > 0) {
		flags.push({
			code: "non-finite",
			message: `${missingSe.map((r) => r.model).join(", ")}: no standard error; the mean is treated as exact, so intervals are too narrow.`,
		});
	}
	const unsized = points.filter((p) => p.x === null);
	if (unsized.length > 0)
		flags.push({
			code: "size-unknown",
			message: `${unsized.map((p) => `${p.name} (${p.excluded})`).join(", ")}: not placed on the x axis.`,
		});

	const meanOfMeans = inTrend.reduce((s, i) => s + rows[i].mean, 0) / Math.max(1, inTrend.length);
	const flatBand = o.flatBand ?? defaultFlatBand(metric, meanOfMeans);
	const xName = xAxisLabel[axis].toLowerCase().replace(/ \(.*\)$/, "");
	const trendOf = (subset: number[]) =>
		analyzeTrend({
			metric,
			names: subset.map((i) => points[i].name),
			x: subset.map((i) => points[i].x!),
			means: subset.map((i) => rows[i].mean),
			replicates: rep,
			columns: subset.map((i) => inTrend.indexOf(i)),
			flatBand,
			level: o.level,
			seed: o.seed,
			xName,
		});
	const trend = trendOf(inTrend);
	const { families, generality } = familyTrends(inTrend, (i) => points[i].family, trend, trendOf);
	const sp = trend.spearman;
	if (sp && sp.minP >= 0.05) {
		flags.push({
			code: "spearman-floor",
			message: `With ${sp.n} models even a perfectly monotone ladder has Spearman p ≥ ${sp.minP.toFixed(3)}: the rank test cannot reach 0.05.`,
		});
	}
	return {
		metric,
		inverted: false,
		models: points,
		examplesUsed: 0,
		chance: null,
		trend,
		families,
		generality,
		flags,
	};
}
