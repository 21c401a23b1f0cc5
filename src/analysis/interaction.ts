/**
 * @module The size × training interaction of Michaelov & Bergen (2023, "Emergent inabilities?"):
 * per task, OLS of performance on z-scored log10(parameters), z-scored log10(training tokens) and
 * their product; the product's estimate, t and two-sided p (t distribution, residual df).
 */
import type { PlottedMetric } from "../tasks/types.js";
import type { ReplicateMeans } from "./bootstrap.js";
import { percentileInterval } from "./descriptive.js";
import { metricInfo } from "./metric.js";
import { ols } from "./ols.js";
import { tTwoSidedP } from "./t-dist.js";

export interface InteractionResult {
	/**
	 * Coefficient of z(log10 N)·z(log10 D), in units of `response`. The response is performance
	 * (higher is better: accuracy as it is, loss and log-odds difference negated), so a negative
	 * interaction means that larger models fall further behind as training goes on: inverse
	 * scaling in size grows with training.
	 */
	estimate: number;
	se: number;
	t: number;
	df: number;
	/** Two-sided p from Student's t with `df` degrees of freedom. */
	p: number;
	/** Benjamini–Hochberg q across the tasks analysed together; null for a single task. */
	q: number | null;
	/** What was regressed: "accuracy", "−loss" or "−log-odds difference". */
	response: string;
	/** Conditions in the fit, and the distinct sizes and token counts among them. */
	n: number;
	sizes: number;
	tokens: number;
	/**
	 * Percentile interval of the estimate over the bootstrap replicates of the conditions' means
	 * (sampling noise of the means only; the t test also counts the misfit of the plane), when
	 * every condition in the fit has replicates.
	 */
	interval: { lower: number; upper: number; level: number } | null;
	/** Main effects (per SD of log10 N and of log10 D) and intercept, in the same units. */
	size: number;
	training: number;
	intercept: number;
}

export interface GridPoint {
	parameters?: number;
	trainingTokens?: number;
	mean: number | null;
	/** The point's column in the bootstrap replicates (−1 or absent: none). */
	column?: number;
}

export interface InteractionBootstrap {
	replicates: ReplicateMeans;
	level: number;
}

/** Mean and sample SD (n − 1), as R's scale() z-scores. */
function zScores(v: number[]): number[] {
	const m = v.reduce((a, b) => a + b, 0) / v.length;
	const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
	return v.map((x) => (x - m) / sd);
}

/**
 * The interaction over the conditions with a finite mean and positive parameters and tokens;
 * null unless they form a grid (at least two sizes each seen at two or more token counts) with a
 * residual degree of freedom left.
 */
export function sizeTrainingInteraction(
	points: readonly GridPoint[],
	metric: PlottedMetric,
	bootstrap?: InteractionBootstrap | null,
): InteractionResult | null {
	const used = points.filter(
		(p) =>
			p.mean !== null && Number.isFinite(p.mean) && (p.parameters ?? 0) > 0 && (p.trainingTokens ?? 0) > 0,
	);
	const bySize = new Map<number, Set<number>>();
	for (const p of used) {
		let s = bySize.get(p.parameters!);
		if (!s) {
			s = new Set();
			bySize.set(p.parameters!, s);
		}
		s.add(p.trainingTokens!);
	}
	const crossed = [...bySize.values()].filter((s) => s.size >= 2).length;
	if (bySize.size < 2 || crossed < 2 || used.length < 5) return null;
	const sign = metricInfo[metric].worseSign;
	const y = used.map((p) => -sign * p.mean!);
	const zn = zScores(used.map((p) => Math.log10(p.parameters!)));
	const zd = zScores(used.map((p) => Math.log10(p.trainingTokens!)));
	const design = used.map((_, i) => [1, zn[i], zd[i], zn[i] * zd[i]]);
	const fit = ols(design, y);
	if (!fit) return null;
	const estimate = fit.coefficients[3];
	const se = fit.se[3];
	const t = estimate / se;
	const label = metricInfo[metric].label.toLowerCase();
	return {
		estimate,
		se,
		t,
		df: fit.df,
		p: tTwoSidedP(t, fit.df),
		q: null,
		response: sign < 0 ? label : `−${label}`,
		n: used.length,
		sizes: bySize.size,
		tokens: new Set(used.map((p) => p.trainingTokens)).size,
		interval: bootstrapInterval(design, used, sign, bootstrap),
		size: fit.coefficients[1],
		training: fit.coefficients[2],
		intercept: fit.coefficients[0],
	};
}

/** The interaction is linear in the means: its weights applied to every replicate give its spread. */
function bootstrapInterval(
	design: number[][],
	used: readonly GridPoint[],
	sign: 1 | -1,
	bootstrap: InteractionBootstrap | null | undefined,
): InteractionResult["interval"] {
	if (!bootstrap || used.some((p) => p.column === undefined || p.column < 0)) return null;
	const weights = used.map((_, i) => {
		const unit = used.map((__, k) => (k === i ? 1 : 0));
		return ols(design, unit)!.coefficients[3];
	});
	const rep = bootstrap.replicates;
	const values = new Float64Array(rep.replicates);
	for (let r = 0; r < rep.replicates; r++) {
		let s = 0;
		for (let i = 0; i < used.length; i++)
			s += weights[i] * -sign * rep.means[r * rep.models + used[i].column!];
		values[r] = s;
	}
	const iv = percentileInterval(values, bootstrap.level);
	return iv ? { lower: iv[0], upper: iv[1], level: bootstrap.level } : null;
}
