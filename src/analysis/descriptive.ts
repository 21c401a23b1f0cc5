/** @module Descriptive statistics: mean, the prize's standard error, percentiles. */
import type { MeanSe } from "../run/manifest.js";

/** Mean and standard error (population standard deviation / √n, as the prize); se is null for n < 2. */
export function meanSe(values: ArrayLike<number>): MeanSe {
	const n = values.length;
	if (n === 0) return { mean: Number.NaN, se: null, n: 0 };
	let sum = 0;
	for (let i = 0; i < n; i++) sum += values[i];
	const mean = sum / n;
	if (n < 2) return { mean, se: null, n };
	let ss = 0;
	for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
	return { mean, se: Math.sqrt(ss / n) / Math.sqrt(n), n };
}

/**
 * Percentile by linear interpolation between order statistics (type 7, the default of R and
 * numpy). `sorted` must be ascending and free of NaN; `q` in [0, 1].
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
	const n = sorted.length;
	if (n === 0) return Number.NaN;
	const h = (n - 1) * q;
	const lo = Math.floor(h);
	const hi = Math.min(n - 1, lo + 1);
	return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Percentile interval [lower, upper] of the finite values, for a confidence level such as 0.95. */
export function percentileInterval(values: ArrayLike<number>, level: number): [number, number] | null {
	const finite = Float64Array.from(values).filter((v) => Number.isFinite(v));
	if (finite.length === 0) return null;
	finite.sort();
	const alpha = (1 - level) / 2;
	return [percentileSorted(finite, alpha), percentileSorted(finite, 1 - alpha)];
}
