/**
 * @module One metric of one run: per-model means and standard errors, the paired bootstrap over
 * the examples every model answered, the ladder's trend, per-family trends and the flags.
 */

import { coordinatesOf } from "../run/conditions.js";
import type { PlottedMetric } from "../tasks/types.js";
import { analyzeAlong } from "./along.js";
import { axisSpec, xValue } from "./axis.js";
import { pairedBootstrap, type ReplicateMeans, replicateColumn } from "./bootstrap.js";
import { meanSe, percentileInterval } from "./descriptive.js";
import { sizeTrainingInteraction } from "./interaction.js";
import { defaultFlatBand, invertValue, metricInfo } from "./metric.js";
import { designPower } from "./power.js";
import type { Flag, MetricAnalysis, ModelInput, ModelPoint, ResolvedOptions, RunInput } from "./types.js";

/** The condition's coordinates: as recorded (version 2 runs), else derived from its model's sizes. */
export function coordsOfInput(model: ModelInput) {
	return model.coords ?? coordinatesOf(model, model.settings);
}

/** The metric's values of one model (inverted when asked), keyed by example index. */
export function metricValues(
	model: ModelInput,
	metric: PlottedMetric,
	invert: boolean,
): Map<number, number> | null {
	const cols = model.columns;
	const column = cols?.[metric];
	if (!cols || !column) return null;
	const out = new Map<number, number>();
	for (let i = 0; i < cols.index.length; i++) {
		const v = Number(column[i]);
		out.set(Number(cols.index[i]), invert ? invertValue(metric, v) : v);
	}
	return out;
}

function coverageOf(model: ModelInput): number | null {
	const tl = model.columns?.total_logprob;
	if (!tl || tl.length === 0) return null;
	let s = 0;
	let n = 0;
	for (let i = 0; i < tl.length; i++) {
		const v = Number(tl[i]);
		if (Number.isFinite(v)) {
			s += Math.exp(v);
			n++;
		}
	}
	return n > 0 ? s / n : null;
}

/** Chance level of the metric: mean(ln K) for loss, mean(1/K) for accuracy (inverted as the metric). */
export function chanceLevel(input: RunInput, metric: PlottedMetric, invert: boolean): number | null {
	if (input.task.type === "sequence_prob" || metric === "logodds_difference") return null;
	const counts = input.classCounts;
	if (counts && counts.size > 0) {
		let s = 0;
		for (const k of counts.values()) {
			const chance = metric === "loss" ? Math.log(k) : 1 / k;
			s += invert ? invertValue(metric, chance) : chance;
		}
		return s / counts.size;
	}
	if (!input.chance) return null;
	const c = metric === "loss" ? input.chance.loss : input.chance.accuracy;
	// Without per-example class counts the inverted chance is exact only for a constant K.
	if (!invert) return c;
	return metric === "loss" ? invertValue("loss", c) : 1 - c;
}

export function analyzeMetric(
	input: RunInput,
	metric: PlottedMetric,
	options: ResolvedOptions,
): MetricAnalysis {
	const axis = axisSpec(options.x);
	const flags: Flag[] = [];
	const values = input.models.map((m) =>
		m.status === "failed" ? null : metricValues(m, metric, options.invert),
	);

	const points: ModelPoint[] = input.models.map((m, i) => {
		const vals = values[i];
		const finite = vals ? [...vals.values()].filter((v) => Number.isFinite(v)) : [];
		const ms = meanSe(finite);
		const coords = coordsOfInput(m);
		const xv = xValue(coords, options.x);
		let excluded: string | undefined;
		if (m.status === "failed") excluded = `failed${m.error ? `: ${m.error}` : ""}`;
		else if (!vals || vals.size === 0) excluded = "no results";
		else if (!xv.ok) excluded = xv.reason;
		if (vals && finite.length < vals.size) {
			flags.push({
				code: "non-finite",
				message: `${m.name}: ${vals.size - finite.length} example(s) have a non-finite ${metric}; they are left out of its mean and of the bootstrap.`,
			});
		}
		return {
			name: m.name,
			family: m.family,
			status: m.status,
			error: m.error,
			identity: m.identity,
			model: m.model,
			coords,
			x: xv.ok ? xv.x : null,
			inTrend: excluded === undefined,
			excluded,
			mean: finite.length > 0 ? ms.mean : null,
			se: ms.se,
			n: ms.n,
			interval: null,
			coverage: coverageOf(m),
		};
	});

	const inTrend = points.map((p, i) => (p.inTrend ? i : -1)).filter((i) => i >= 0);
	// Complete cases: examples with a finite value for every model in the trend.
	let shared: number[] = [];
	if (inTrend.length > 0) {
		shared = [...values[inTrend[0]]!.keys()].filter((idx) =>
			inTrend.every((i) => Number.isFinite(values[i]!.get(idx) ?? Number.NaN)),
		);
		shared.sort((a, b) => a - b);
	}
	const M = inTrend.length;
	let rep: ReplicateMeans | null = null;
	if (M > 0 && shared.length >= 2) {
		const matrix = new Float64Array(shared.length * M);
		shared.forEach((idx, e) => {
			for (let k = 0; k < M; k++) matrix[e * M + k] = values[inTrend[k]]!.get(idx)!;
		});
		rep = pairedBootstrap(matrix, shared.length, M, { replicates: options.replicates, seed: options.seed });
		inTrend.forEach((i, k) => {
			const iv = percentileInterval(replicateColumn(rep!, k), options.level);
			points[i].interval = iv ? { lower: iv[0], upper: iv[1], level: options.level } : null;
		});
	}
	const maxRows = Math.max(0, ...inTrend.map((i) => values[i]!.size));
	if (M > 0 && shared.length < maxRows) {
		flags.push({
			code: "dropped-examples",
			message: `${maxRows - shared.length} example(s) lack a finite ${metric} for some model; the trend uses the ${shared.length} examples shared by all models.`,
		});
	}

	// Trend means on the shared examples, so the point estimate matches the bootstrap.
	const means = points.map((_, i) => {
		if (!points[i].inTrend || shared.length === 0) return Number.NaN;
		let s = 0;
		for (const idx of shared) s += values[i]!.get(idx)!;
		return s / shared.length;
	});
	const trendMeans = inTrend.map((i) => means[i]);
	const meanOfMeans = trendMeans.length > 0 ? trendMeans.reduce((a, b) => a + b, 0) / trendMeans.length : 0;
	const flatBand = options.flatBand ?? defaultFlatBand(metric, meanOfMeans);
	const along = analyzeAlong({
		metric,
		points,
		means,
		replicates: rep,
		columns: points.map((_, i) => inTrend.indexOf(i)),
		flatBand,
		axis,
		groupBy: options.groupBy,
		level: options.level,
		seed: options.seed,
		permutations: options.permutations,
	});
	const trend = along.trend;
	flags.push(...along.flags);
	const interaction = sizeTrainingInteraction(
		points
			.map((p, i) => ({
				parameters: p.coords.parameters,
				trainingTokens: p.coords.trainingTokens,
				mean: p.mean,
				column: inTrend.indexOf(i),
				failed: p.status === "failed",
			}))
			.filter((p) => !p.failed),
		metric,
		rep ? { replicates: rep, level: options.level } : null,
	);

	const chance = chanceLevel(input, metric, options.invert);
	addFlags(flags, { input, metric, points, inTrend, chance });
	return {
		metric,
		inverted: options.invert,
		models: points,
		examplesUsed: shared.length,
		chance,
		trend,
		families: along.families,
		generality: along.generality,
		power: designPower(trend, shared.length),
		along: along.along,
		groups: along.groups,
		interaction,
		flags,
	};
}

function addFlags(
	flags: Flag[],
	ctx: {
		input: RunInput;
		metric: PlottedMetric;
		points: ModelPoint[];
		inTrend: number[];
		chance: number | null;
	},
): void {
	const { input, metric, points, inTrend, chance } = ctx;
	const failed = points.filter((p) => p.status === "failed");
	if (failed.length > 0) {
		flags.push({
			code: "failed-models",
			message: `Not in the trend, failed: ${failed.map((p) => `${p.name}${p.error ? ` (${p.error})` : ""}`).join("; ")}.`,
		});
	}
	if (input.task.examples < 300) {
		flags.push({
			code: "few-examples",
			message: `${input.task.examples} examples: the prize asked for at least 300 (about 1000 recommended).`,
		});
	}
	const used = inTrend.map((i) => points[i]);
	if (chance !== null && used.length > 0) {
		// Near chance: every model within max(2 SE, 2% of chance) of the chance level.
		const near = used.every(
			(p) =>
				p.mean !== null && Math.abs(p.mean - chance) <= Math.max(2 * (p.se ?? 0), 0.02 * Math.abs(chance)),
		);
		if (near) {
			flags.push({
				code: "near-chance",
				message: `Every model's ${metricInfo[metric].label.toLowerCase()} is within noise of chance (${chance.toFixed(3)}): a trend this close to chance shows little about the task.`,
			});
		}
	}
	const low = used.filter((p) => p.coverage !== null && p.coverage < 0.5);
	if (low.length > 0) {
		flags.push({
			code: "low-coverage",
			message: `${low.map((p) => `${p.name} (${(p.coverage! * 100).toFixed(0)}%)`).join(", ")}: the classes got under half of the probability mass, so the model does not treat the task as multiple choice.`,
		});
	}
}
