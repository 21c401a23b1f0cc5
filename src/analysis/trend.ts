/**
 * @module The trend of one metric along an axis and its shape verdict: least-squares slope per
 * unit of the axis' scale (a decade of x, or a doubling of 1 + x), a quadratic on the same scale
 * for U shapes, Spearman's ρ, all with bootstrap intervals taken from the replicate means.
 */
import type { PlottedMetric } from "../tasks/types.js";
import { type AxisScale, fromScale, toScale } from "./axis.js";
import { DEFAULT_LEVEL, type ReplicateMeans } from "./bootstrap.js";
import { percentileInterval } from "./descriptive.js";
import { metricInfo } from "./metric.js";
import { fitLine, fitQuadratic } from "./regression.js";
import { type SpearmanResult, spearmanTest } from "./spearman.js";

export type VerdictKind =
	| "inverse"
	| "positive"
	| "flat"
	| "u-shaped"
	| "inverted-u"
	| "inconclusive"
	| "insufficient";

export interface Interval {
	lower: number;
	upper: number;
	level: number;
}

export interface SlopeResult {
	/** Change of the metric per unit of the axis' scale (per decade of x on log10 axes); exactly 0 within rounding. */
	estimate: number;
	interval: Interval | null;
	/** Standard deviation of the bootstrap replicates of the slope (its standard error); null without replicates. */
	se: number | null;
	/**
	 * Two-sided bootstrap p-value of slope = 0: 2·min(share ≤ 0, share ≥ 0), with +1 smoothing.
	 * Null without replicates, and when the replicates have no spread around a non-zero slope
	 * (a zero-width interval measures nothing).
	 */
	p: number | null;
}

export interface QuadraticResult {
	/** Coefficient of t² (t = x on the axis' scale): the curvature of the metric. */
	curvature: number;
	interval: Interval | null;
	/** x (not log) at which the fitted quadratic turns; null when it has no turning point. */
	turningX: number | null;
	turningInRange: boolean;
	/** Slopes per unit of scale of the models on either side of the turning point (sharing the model nearest it). */
	leftSlope: number | null;
	rightSlope: number | null;
}

/**
 * The order of the means along the axis, in "worse" units: every step worse (strictly), every
 * step worse or equal with at least one worse (non-strictly), all equal (constant), or neither.
 * Equal means equal within rounding (see `numericalZero`).
 */
export type Monotonicity =
	| "strictly-inverse"
	| "strictly-positive"
	| "non-strictly-inverse"
	| "non-strictly-positive"
	| "constant"
	| "not-monotone"
	| "too-few";

export interface TrendResult {
	metric: PlottedMetric;
	/** Models in the trend, in increasing x. */
	models: string[];
	n: number;
	slope: SlopeResult | null;
	quadratic: QuadraticResult | null;
	spearman: SpearmanResult | null;
	monotonicity: Monotonicity;
	/** The half-width of the flat band used, per decade. */
	flatBand: number;
	verdict: VerdictKind;
	/** The verdict in one sentence, with its evidence. */
	statement: string;
}

export interface TrendInput {
	metric: PlottedMetric;
	names: string[];
	x: number[];
	means: number[];
	/** Replicate means and which of their columns belong to these models (same order as names). */
	replicates: ReplicateMeans | null;
	columns: number[];
	flatBand: number;
	/** Default 0.95. */
	level?: number;
	/** Seed for Monte Carlo Spearman p-values of ladders longer than 9. */
	seed?: number;
	/** Monte Carlo permutations for Spearman past 9 models; default that of spearmanTest. */
	permutations?: number;
	/** What x is, for the statement, e.g. "parameters". */
	xName?: string;
	/** How x is placed before the fit. Default log10. */
	scale?: AxisScale;
	/** One unit of the scale, for the statement. Default "decade". */
	unit?: string;
	/** The slope's unit in a sentence; default "<unit> of <xName>" ("decade of parameters"). */
	per?: string;
	/** Who does worse when the trend is inverse, e.g. "larger models". Default "larger models". */
	more?: string;
	/** What a condition must have known to be placed, for the "too few" statements. Default "size". */
	placedBy?: string;
}

/** Linear weights w such that Σ w_i·y_i is the statistic for any y (the fits are linear in y). */
function weights(n: number, statistic: (unit: number[]) => number): Float64Array {
	const w = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const unit = new Array<number>(n).fill(0);
		unit[i] = 1;
		w[i] = statistic(unit);
	}
	return w;
}

/**
 * Relative size below which a linear statistic Σ w·y is rounding noise: its terms cancel to within
 * about a million ulps. A constant series gives ±1e−17 where the exact answer is 0; left as is,
 * the sign of that noise would decide the verdict.
 */
export const NUMERICAL_NOISE = 1e-10;

/** `value` when it stands out of the rounding noise of terms whose magnitudes sum to `scale`, else exactly 0. */
export function numericalZero(value: number, scale: number): number {
	return Math.abs(value) <= NUMERICAL_NOISE * scale ? 0 : value;
}

/** Σ w·y, exactly 0 when it is within rounding of 0. */
function linear(w: ArrayLike<number>, y: ArrayLike<number>): number {
	let s = 0;
	let scale = 0;
	for (let i = 0; i < w.length; i++) {
		s += w[i] * y[i];
		scale += Math.abs(w[i] * y[i]);
	}
	return numericalZero(s, scale);
}

function replicateStatistic(rep: ReplicateMeans, columns: number[], w: Float64Array): Float64Array {
	const out = new Float64Array(rep.replicates);
	const y = new Float64Array(columns.length);
	for (let r = 0; r < rep.replicates; r++) {
		const base = r * rep.models;
		for (let i = 0; i < columns.length; i++) y[i] = rep.means[base + columns[i]];
		out[r] = linear(w, y);
	}
	return out;
}

/**
 * Whether an interval has any width beyond rounding. A bootstrap whose replicates all agree (every
 * example gives each model the same value, or no standard errors) has none, and is no evidence.
 */
export function hasSpread(iv: Interval): boolean {
	return iv.upper - iv.lower > NUMERICAL_NOISE * Math.max(Math.abs(iv.lower), Math.abs(iv.upper));
}

function toInterval(values: Float64Array, level: number): Interval | null {
	const iv = percentileInterval(values, level);
	return iv ? { lower: iv[0], upper: iv[1], level } : null;
}

function standardDeviation(values: Float64Array): number {
	let mean = 0;
	for (const v of values) mean += v;
	mean /= values.length;
	let ss = 0;
	for (const v of values) ss += (v - mean) ** 2;
	return values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0;
}

function bootstrapP(values: Float64Array): number {
	let le = 0;
	let ge = 0;
	for (const v of values) {
		if (v <= 0) le++;
		if (v >= 0) ge++;
	}
	return Math.min(1, (2 * (Math.min(le, ge) + 1)) / (values.length + 1));
}

/** Sorts the input by x and computes slope, quadratic, Spearman and the verdict. */
export function analyzeTrend(input: TrendInput): TrendResult {
	const level = input.level ?? DEFAULT_LEVEL;
	const order = input.x.map((_, i) => i).sort((a, b) => input.x[a] - input.x[b]);
	const names = order.map((i) => input.names[i]);
	const x = order.map((i) => input.x[i]);
	const scale = input.scale ?? "log10";
	const t = x.map((v) => toScale(scale, v));
	const y = order.map((i) => input.means[i]);
	const columns = order.map((i) => input.columns[i]);
	const n = names.length;
	const sign = metricInfo[input.metric].worseSign;
	const distinctT = new Set(t).size;
	const base = { metric: input.metric, models: names, n, flatBand: input.flatBand };

	if (n < 2 || distinctT < 2) {
		return {
			...base,
			slope: null,
			quadratic: null,
			spearman: null,
			monotonicity: "too-few",
			verdict: "insufficient",
			statement:
				n < 2
					? `Only ${n === 1 ? "one model" : "no model"} with a known ${input.placedBy ?? "size"}: there is no trend to measure.`
					: `All models have the same ${input.placedBy ?? "size"}: there is no trend to measure.`,
		};
	}

	const rep = input.replicates;
	const wSlope = weights(n, (u) => fitLine(t, u).slope);
	const slopeReps = rep ? replicateStatistic(rep, columns, wSlope) : null;
	const estimate = linear(wSlope, y);
	const interval = slopeReps ? toInterval(slopeReps, level) : null;
	const slope: SlopeResult = {
		estimate,
		interval,
		se: slopeReps ? standardDeviation(slopeReps) : null,
		p: slopeReps && interval && (hasSpread(interval) || estimate === 0) ? bootstrapP(slopeReps) : null,
	};

	let quadratic: QuadraticResult | null = null;
	if (distinctT >= 3) {
		const fit = fitQuadratic(t, y);
		const wCurv = weights(n, (u) => fitQuadratic(t, u).c);
		const curvReps = rep ? replicateStatistic(rep, columns, wCurv) : null;
		const curvature = Number.isFinite(fit.c) ? linear(wCurv, y) : Number.NaN;
		// A curvature within rounding of 0 has no turning point.
		const turning = curvature === 0 ? Number.NaN : fit.turningPoint;
		const inRange = Number.isFinite(turning) && turning > t[0] && turning < t[n - 1];
		let leftSlope: number | null = null;
		let rightSlope: number | null = null;
		if (inRange) {
			// The model nearest the turning point belongs to both sides.
			let nearest = 0;
			for (let i = 1; i < n; i++) if (Math.abs(t[i] - turning) < Math.abs(t[nearest] - turning)) nearest = i;
			const left = t.map((_, i) => i).filter((i) => i <= nearest);
			const right = t.map((_, i) => i).filter((i) => i >= nearest);
			const sideSlope = (idx: number[]): number | null => {
				if (idx.length < 2 || new Set(idx.map((i) => t[i])).size < 2) return null;
				const ts = idx.map((i) => t[i]);
				return linear(
					weights(idx.length, (u) => fitLine(ts, u).slope),
					idx.map((i) => y[i]),
				);
			};
			leftSlope = sideSlope(left);
			rightSlope = sideSlope(right);
		}
		quadratic = {
			curvature,
			interval: curvReps ? toInterval(curvReps, level) : null,
			turningX: Number.isFinite(turning) ? fromScale(scale, turning) : null,
			turningInRange: inRange,
			leftSlope,
			rightSlope,
		};
	}

	const spearman = spearmanTest(x, y, { seed: input.seed, permutations: input.permutations });
	const monotonicity = monotonicityOf(y, sign);

	const verdict = decideVerdict(sign, slope, quadratic, input.flatBand);
	const trend: TrendResult = {
		...base,
		slope,
		quadratic,
		spearman,
		monotonicity,
		verdict,
		statement: "",
	};
	const unit = input.unit ?? "decade";
	trend.statement = describeTrend(trend, input.xName ?? "x", {
		unit,
		per: input.per ?? `${unit} of ${input.xName ?? "x"}`,
		more: input.more ?? "larger models",
	});
	return trend;
}

/** How the means move step by step along the axis (see `Monotonicity`); "too-few" under 3 models. */
export function monotonicityOf(y: readonly number[], sign: 1 | -1): Monotonicity {
	if (y.length < 3) return "too-few";
	const steps = y.slice(1).map((v, i) => numericalZero(sign * (v - y[i]), Math.abs(v) + Math.abs(y[i])));
	const worse = steps.filter((d) => d > 0).length;
	const better = steps.filter((d) => d < 0).length;
	if (worse === 0 && better === 0) return "constant";
	if (better === 0) return worse === steps.length ? "strictly-inverse" : "non-strictly-inverse";
	if (worse === 0) return better === steps.length ? "strictly-positive" : "non-strictly-positive";
	return "not-monotone";
}

/** The monotonicity in words, naming the metric's direction: "monotone non-increasing accuracy (not strictly)". */
export function monotonicityWords(m: Monotonicity, metric: PlottedMetric, n: number): string | null {
	const info = metricInfo[metric];
	const what = info.label.toLowerCase();
	// In the metric's own direction: inverse is rising loss, falling accuracy.
	const inverseWord = info.worseSign > 0 ? "non-decreasing" : "non-increasing";
	const positiveWord = info.worseSign > 0 ? "non-increasing" : "non-decreasing";
	switch (m) {
		case "strictly-inverse":
			return `Every step up the ladder is worse (strictly monotonic over ${n} models).`;
		case "strictly-positive":
			return `Every step up the ladder is better (strictly monotonic over ${n} models).`;
		case "non-strictly-inverse":
			return `No step up the ladder is better and at least one is worse: ${what} is monotone ${inverseWord} over ${n} models (not strictly: some steps are ties).`;
		case "non-strictly-positive":
			return `No step up the ladder is worse and at least one is better: ${what} is monotone ${positiveWord} over ${n} models (not strictly: some steps are ties).`;
		case "constant":
			return `Every model has the same ${what}.`;
		default:
			return null;
	}
}

/**
 * The one decision rule every verdict goes through (pooled, per family, per group, from runs and
 * from tables).
 *
 * The shape rules, in "worse" units (metric × worseSign) so they read the same for loss and
 * accuracy. U-shaped follows Wei et al. (2022): performance first worsens, then recovers.
 */
export function decideVerdict(
	sign: 1 | -1,
	slope: SlopeResult,
	quadratic: QuadraticResult | null,
	flatBand: number,
): VerdictKind {
	if (
		quadratic?.interval &&
		hasSpread(quadratic.interval) &&
		quadratic.turningInRange &&
		quadratic.leftSlope !== null &&
		quadratic.rightSlope !== null
	) {
		const [lo, hi] = worseInterval(sign, quadratic.interval);
		const left = sign * quadratic.leftSlope;
		const right = sign * quadratic.rightSlope;
		if (hi < 0 && left > 0 && right < 0) return "u-shaped";
		if (lo > 0 && left < 0 && right > 0) return "inverted-u";
	}
	if (!slope.interval) return "inconclusive";
	// A zero-width interval is no evidence of a trend: only a slope inside the band reads as flat.
	if (!hasSpread(slope.interval)) return Math.abs(slope.estimate) <= flatBand ? "flat" : "inconclusive";
	const [lo, hi] = worseInterval(sign, slope.interval);
	if (lo > 0) return "inverse";
	if (hi < 0) return "positive";
	if (-flatBand <= lo && hi <= flatBand) return "flat";
	if (Math.max(Math.abs(lo), Math.abs(hi)) <= 2 * flatBand) return "flat";
	return "inconclusive";
}

/** An interval in "worse" units: [lower, upper] × sign, reordered. */
function worseInterval(sign: 1 | -1, iv: Interval): [number, number] {
	return sign > 0 ? [iv.lower, iv.upper] : [-iv.upper, -iv.lower];
}

export const verdictLabel: Record<VerdictKind, string> = {
	inverse: "Inverse scaling",
	positive: "Positive scaling",
	flat: "Flat",
	"u-shaped": "U-shaped",
	"inverted-u": "Inverted U",
	inconclusive: "Inconclusive",
	insufficient: "No trend (too few models)",
};

function fmt(v: number, digits = 3): string {
	if (!Number.isFinite(v)) return "n/a";
	if (v === 0) return "0";
	const a = Math.abs(v);
	return a >= 1000 || a < 0.001 ? v.toExponential(2) : v.toPrecision(digits);
}

function fmtP(p: number): string {
	return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

/** One sentence: the verdict, the slope with its interval, monotonicity and Spearman's ρ. */
export function describeTrend(
	trend: TrendResult,
	xName: string,
	words: { unit: string; per?: string; more: string } = { unit: "decade", more: "larger models" },
): string {
	const info = metricInfo[trend.metric];
	const what = info.label.toLowerCase();
	const unit = info.unit ? ` ${info.unit}` : "";
	const parts: string[] = [];
	const s = trend.slope;
	if (!s) return trend.statement;
	const iv = s.interval;
	const ivText = iv
		? ` (${Math.round(iv.level * 100)}% CI ${fmt(iv.lower)} to ${fmt(iv.upper)}${s.p !== null ? `; ${fmtP(s.p)}` : ""})`
		: "";
	const slopeText = `${what} changes by ${s.estimate >= 0 ? "+" : ""}${fmt(s.estimate)}${unit} per ${words.per ?? `${words.unit} of ${xName}`}${ivText}`;
	const direction = info.worseSign > 0 ? "higher is worse" : "higher is better";
	switch (trend.verdict) {
		case "inverse":
			parts.push(`Inverse scaling: ${words.more} do worse; ${slopeText}, and ${direction}.`);
			break;
		case "positive":
			parts.push(`Positive scaling (the usual direction): ${words.more} do better; ${slopeText}.`);
			break;
		case "flat":
			parts.push(`Flat: ${slopeText}, within ±${fmt(trend.flatBand)}${unit} per ${words.unit}.`);
			break;
		case "u-shaped":
		case "inverted-u": {
			const q = trend.quadratic!;
			const turn = q.turningX !== null ? fmt(q.turningX) : "n/a";
			const first = trend.verdict === "u-shaped" ? "worsens" : "improves";
			const then = trend.verdict === "u-shaped" ? "recovers" : "worsens";
			const civ = q.interval
				? ` (curvature ${fmt(q.curvature)}, ${Math.round(q.interval.level * 100)}% CI ${fmt(q.interval.lower)} to ${fmt(q.interval.upper)})`
				: "";
			parts.push(
				`${verdictLabel[trend.verdict]}: performance first ${first}, then ${then} along ${xName}, turning near ${turn} ${xName}${civ}; overall ${slopeText}.`,
			);
			break;
		}
		case "inconclusive":
			parts.push(
				!iv
					? `Inconclusive: ${slopeText}; without standard errors there is no interval, so no trend can be claimed.`
					: !hasSpread(iv)
						? `Inconclusive: ${slopeText}; the bootstrap has no spread (each model gives the same value on every example, or standard errors are missing), so the interval is no evidence either way.`
						: `Inconclusive: ${slopeText}; the interval is too wide to tell a trend from noise.`,
			);
			break;
		case "insufficient":
			return trend.statement;
	}
	const mono = monotonicityWords(trend.monotonicity, trend.metric, trend.n);
	if (mono) parts.push(mono);
	const sp = trend.spearman;
	if (sp && Number.isFinite(sp.rho)) {
		const floor =
			sp.minP >= 0.05
				? `; with ${sp.n} models the smallest possible p is ${fmt(sp.minP)}, so this test can never reach 0.05`
				: "";
		parts.push(`Spearman ρ = ${sp.rho.toFixed(2)} (${sp.method} permutation ${fmtP(sp.p)}${floor}).`);
	}
	return parts.join(" ");
}
