/**
 * @module The power a run's design had: how often the verdict's slope test detects a true slope
 * of a given size, from the run's own bootstrap standard error of the slope (normal approximation;
 * `npm run bench -- verdicts` checks it against simulation).
 */
import { DEFAULT_LEVEL } from "./bootstrap.js";
import { normalCdf, normalQuantile } from "./normal.js";
import type { TrendResult } from "./trend.js";

export interface DesignPower {
	/** Models (conditions) in the trend. */
	models: number;
	/** Examples behind each mean (the shared examples of a run; a table's n when given, else null). */
	examples: number | null;
	/** The slope the run found, per unit of the axis' scale. */
	slope: number;
	/** Bootstrap standard error of the slope. */
	se: number;
	/** Share of runs of this design that would call a true slope of this size significant, in its direction. */
	power: number;
	/** The smallest |slope| detected 80% of the time by this design. */
	detectable80: number;
	level: number;
}

/**
 * Power of the two-sided test at `level` for a true slope `slope` whose estimate has standard
 * error `se`: P(the interval excludes 0 on the slope's side) = Φ(|slope|/se − z), z = Φ⁻¹(1 − α/2).
 * The wrong-side term Φ(−|slope|/se − z) is left out: calling the opposite direction is no detection.
 */
export function slopePower(slope: number, se: number, level = DEFAULT_LEVEL): number {
	if (!(se > 0)) return Number.NaN;
	const z = normalQuantile(1 - (1 - level) / 2);
	return normalCdf(Math.abs(slope) / se - z);
}

/** The |slope| a design with this standard error detects with probability `power`: (z_{1−α/2} + z_power)·se. */
export function detectableSlope(se: number, level = DEFAULT_LEVEL, power = 0.8): number {
	return (normalQuantile(1 - (1 - level) / 2) + normalQuantile(power)) * se;
}

/** The design's power for the slope it found; null without a bootstrap spread (no standard error). */
export function designPower(trend: TrendResult, examples: number | null): DesignPower | null {
	const s = trend.slope;
	if (!s?.interval || s.se === null || !(s.se > 0)) return null;
	const level = s.interval.level;
	return {
		models: trend.n,
		examples,
		slope: s.estimate,
		se: s.se,
		power: slopePower(s.estimate, s.se, level),
		detectable80: detectableSlope(s.se, level),
		level,
	};
}

function fmt(v: number): string {
	const a = Math.abs(v);
	return a !== 0 && (a < 0.001 || a >= 1000) ? v.toExponential(2) : v.toPrecision(2);
}

/**
 * One line beside the verdict: "With 6 models and 300 examples, a slope this size (−0.031 per
 * decade) is detected 83% of the time; 80% needs ±0.027."
 */
export function powerSentence(p: DesignPower, per: string): string {
	const design = `${p.models} models${p.examples !== null ? ` and ${p.examples} examples` : " (standard errors as given)"}`;
	const pct = Math.round(p.power * 100);
	const found =
		p.slope === 0
			? "the slope found is 0"
			: `a slope this size (${p.slope > 0 ? "+" : ""}${fmt(p.slope)} per ${per}) is detected ${pct < 1 ? "under 1" : pct > 99 ? "over 99" : pct}% of the time`;
	return `Power: with ${design}, ${found}; 80% of runs detect a slope of ±${fmt(p.detectable80)} per ${per} or steeper.`;
}
