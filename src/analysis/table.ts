/**
 * @module Trend and verdict from a summary table (model, family, size, mean, standard error)
 * when no per-example rows exist: the same trend analysis on a parametric bootstrap.
 */

import { type Coordinates, coordinatesOf } from "../run/conditions.js";
import type { PlottedMetric } from "../tasks/types.js";
import { analyzeAlong } from "./along.js";
import { axisSpec, defaultXAxis, xValue } from "./axis.js";
import { parametricBootstrap, replicateColumn } from "./bootstrap.js";
import { percentileInterval } from "./descriptive.js";
import { sizeTrainingInteraction } from "./interaction.js";
import { defaultFlatBand } from "./metric.js";
import { designPower } from "./power.js";
import { resolveOptions } from "./run.js";
import type { AnalysisOptions, Flag, MetricAnalysis, ModelPoint } from "./types.js";

export interface SummaryRow {
	/** The condition's name, unique within its task (a model, or model and checkpoint). */
	model: string;
	/** The ladder entry the condition runs, when several conditions share one model. */
	base?: string;
	family: string;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	step?: number;
	shots?: number;
	budget?: number;
	/** All coordinates; derived from the fields above when absent. */
	coords?: Coordinates;
	mean: number;
	/** Standard error of the mean; null when unknown (then the trend has no interval and no verdict beyond inconclusive). */
	se: number | null;
	/** Examples behind the mean, when known. */
	n?: number;
}

/** A row's coordinates: as given, else from its sizes, tokens, step, shots and budget. */
export function rowCoords(r: SummaryRow): Coordinates {
	return r.coords ?? coordinatesOf(r, { shots: r.shots, budget: r.budget });
}

export function analyzeSummaryTable(
	rows: SummaryRow[],
	metric: PlottedMetric,
	options: AnalysisOptions = {},
): MetricAnalysis {
	const o = resolveOptions({ ...options, x: options.x ?? defaultXAxis(rows.map(rowCoords)) });
	const axis = axisSpec(o.x);
	const flags: Flag[] = [];
	const points: ModelPoint[] = rows.map((r) => {
		const coords = rowCoords(r);
		const xv = xValue(coords, o.x);
		return {
			name: r.model,
			family: r.family,
			status: "ok",
			model: r.base,
			coords,
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
	const known = (se: number | null): se is number => se !== null && Number.isFinite(se) && se >= 0;
	const rep = parametricBootstrap(
		inTrend.map((i) => rows[i].mean),
		inTrend.map((i) => (known(rows[i].se) ? rows[i].se : null)),
		{ replicates: o.replicates, seed: o.seed },
	);
	inTrend.forEach((i, k) => {
		const iv = known(rows[i].se) ? percentileInterval(replicateColumn(rep, k), o.level) : null;
		points[i].interval = iv ? { lower: iv[0], upper: iv[1], level: o.level } : null;
	});
	// A mean without a standard error would enter the bootstrap as exact, which makes every
	// interval too narrow: without all of them the trend gets no interval, so no verdict beyond inconclusive.
	const missingSe = inTrend.map((i) => rows[i]).filter((r) => !known(r.se));
	if (missingSe.length > 0) {
		flags.push({
			code: "non-finite",
			message: `${missingSe.map((r) => r.model).join(", ")}: no standard error${missingSe.some((r) => r.se !== null) ? " (or not a number)" : ""}; without one for every model the trend has no interval, so its verdict cannot go beyond inconclusive. Add an se column.`,
		});
	}
	const meanOfMeans = inTrend.reduce((s, i) => s + rows[i].mean, 0) / Math.max(1, inTrend.length);
	const along = analyzeAlong({
		metric,
		points,
		means: rows.map((r) => r.mean),
		replicates: missingSe.length > 0 ? null : rep,
		columns: points.map((_, i) => inTrend.indexOf(i)),
		flatBand: o.flatBand ?? defaultFlatBand(metric, meanOfMeans),
		axis,
		groupBy: o.groupBy,
		level: o.level,
		seed: o.seed,
		permutations: o.permutations,
	});
	flags.push(...along.flags);
	return {
		metric,
		inverted: false,
		models: points,
		examplesUsed: 0,
		chance: null,
		trend: along.trend,
		families: along.families,
		generality: along.generality,
		// Examples per mean when every row gives the same n.
		power: designPower(
			along.trend,
			inTrend.length > 0 && inTrend.every((i) => rows[i].n !== undefined && rows[i].n === rows[inTrend[0]].n)
				? (rows[inTrend[0]].n ?? null)
				: null,
		),
		along: along.along,
		groups: along.groups,
		interaction: sizeTrainingInteraction(
			points.map((p, i) => ({
				parameters: p.coords.parameters,
				trainingTokens: p.coords.trainingTokens,
				mean: p.mean,
				column: inTrend.indexOf(i),
			})),
			metric,
			{ replicates: rep, level: o.level },
		),
		flags,
	};
}
