/**
 * @module One cell of the verdict study: many seeded runs of one simulated ladder design through
 * `analyzeRun` (the analysis `report` and `analyze` run), counted by verdict, with the bootstrap
 * standard error of the slope and the power the report's line predicts for the true slope.
 */
import { DEFAULT_LEVEL } from "../../analysis/bootstrap.js";
import { detectableSlope, slopePower } from "../../analysis/power.js";
import { analyzeRun } from "../../analysis/run.js";
import type { VerdictKind } from "../../analysis/trend.js";
import { type LadderSpec, scaleSpan, simulateRun } from "./ladders.js";

export const VERDICTS: readonly VerdictKind[] = [
	"inverse",
	"positive",
	"u-shaped",
	"inverted-u",
	"flat",
	"inconclusive",
	"insufficient",
];

export interface CellJob {
	spec: LadderSpec;
	runs: number;
	seed: number;
	/** Bootstrap replicates per run. */
	replicates: number;
}

export interface CellCounts {
	runs: number;
	verdicts: Record<VerdictKind, number>;
	/** Mean bootstrap standard error of the total change (slope × span of the scale), metric units; NaN when none had one. */
	meanSe: number;
	/** Mean over runs of the total change detected 80% of the time, as each run's power line computes it. */
	meanDetectable80: number;
	/** Mean over runs of the power the report's line gives for the true slope (linear ladders with an effect). */
	meanPredictedPower: number | null;
	/** Two-sided bootstrap p of each run's slope (NaN when none), for false discovery studies. */
	p: number[];
	/** Each run's slope estimate. */
	slopes: number[];
}

/** Runs one cell; deterministic in (spec, runs, seed, replicates). */
export function runCell(job: CellJob): CellCounts {
	const { spec } = job;
	const span = scaleSpan(spec.axis, spec.models);
	const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<VerdictKind, number>;
	// The true slope per unit of the scale, in the metric's own direction (accuracy falls when worse).
	const trueSlope =
		spec.shape === "linear" && spec.effect !== 0
			? ((spec.metric === "correct" ? -1 : 1) * spec.effect) / span
			: null;
	let seSum = 0;
	let seCount = 0;
	let detectableSum = 0;
	let powerSum = 0;
	const p: number[] = [];
	const slopes: number[] = [];
	for (let r = 0; r < job.runs; r++) {
		const seed = (job.seed + r * 7919) >>> 0;
		const analysis = analyzeRun(simulateRun(spec, seed), {
			x: spec.axis,
			replicates: job.replicates,
			seed,
			// Spearman's Monte Carlo test never enters the verdict; fewer permutations keep 12-model cells quick.
			permutations: 1000,
			topExamples: 0,
		});
		const trend = analysis.metrics[0].trend;
		verdicts[trend.verdict]++;
		p.push(trend.slope?.p ?? Number.NaN);
		slopes.push(trend.slope?.estimate ?? Number.NaN);
		const se = trend.slope?.se ?? null;
		if (se !== null && se > 0) {
			seSum += se * span;
			detectableSum += detectableSlope(se, trend.slope?.interval?.level ?? DEFAULT_LEVEL) * span;
			if (trueSlope !== null)
				powerSum += slopePower(trueSlope, se, trend.slope?.interval?.level ?? DEFAULT_LEVEL);
			seCount++;
		}
	}
	return {
		runs: job.runs,
		verdicts,
		meanSe: seCount > 0 ? seSum / seCount : Number.NaN,
		meanDetectable80: seCount > 0 ? detectableSum / seCount : Number.NaN,
		meanPredictedPower: trueSlope !== null && seCount > 0 ? powerSum / seCount : null,
		p,
		slopes,
	};
}

/** Wilson score interval of a binomial proportion k/n at 95%. */
export function wilson(k: number, n: number, z = 1.959963984540054): [number, number] {
	if (n === 0) return [0, 1];
	const phat = k / n;
	const denom = 1 + (z * z) / n;
	const center = (phat + (z * z) / (2 * n)) / denom;
	const half = (z * Math.sqrt((phat * (1 - phat)) / n + (z * z) / (4 * n * n))) / denom;
	return [Math.max(0, center - half), Math.min(1, center + half)];
}
