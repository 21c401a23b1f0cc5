/**
 * @module Spearman's rank correlation and its permutation p-value: exact (all n! orders) for
 * small ladders, Monte Carlo with a seeded PRNG beyond.
 */
import { createPrng } from "../util/prng.js";

/** Largest n for which every permutation is enumerated (9! = 362,880 orders). */
export const EXACT_SPEARMAN_MAX_N = 9;

export interface SpearmanResult {
	rho: number;
	n: number;
	/** Two-sided p: share of orderings of y whose |ρ| is at least the observed |ρ|. */
	p: number;
	/** The smallest two-sided p any data of this size could give (2/n! without ties). */
	minP: number;
	method: "exact" | "monte-carlo" | "undefined";
}

/** Ranks 1..n with ties given their average rank. */
export function ranks(values: ArrayLike<number>): Float64Array {
	const n = values.length;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
	const r = new Float64Array(n);
	for (let i = 0; i < n; ) {
		let j = i;
		while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
		const average = (i + j) / 2 + 1;
		for (let k = i; k <= j; k++) r[order[k]] = average;
		i = j + 1;
	}
	return r;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
	const n = x.length;
	let mx = 0;
	let my = 0;
	for (let i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) ** 2;
		syy += (y[i] - my) ** 2;
	}
	return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** Spearman's ρ of x and y (Pearson correlation of their average ranks). */
export function spearmanRho(x: ArrayLike<number>, y: ArrayLike<number>): number {
	return pearson(ranks(x), ranks(y));
}

/**
 * Spearman's ρ with its two-sided permutation p-value. A perfectly monotone ladder of 4 models
 * gets p = 2/24 ≈ 0.083: four models can never show p < 0.05, which the report says.
 */
export function spearmanTest(
	x: ArrayLike<number>,
	y: ArrayLike<number>,
	options: { seed?: number; permutations?: number } = {},
): SpearmanResult {
	const n = x.length;
	const rx = ranks(x);
	const ry = ranks(y);
	const rho = pearson(rx, ry);
	const minP = n >= 2 ? Math.min(1, 2 / factorial(n)) : 1;
	if (!Number.isFinite(rho)) return { rho: Number.NaN, n, p: Number.NaN, minP, method: "undefined" };
	const threshold = Math.abs(rho) - 1e-12;
	const perm = Float64Array.from(ry);
	if (n <= EXACT_SPEARMAN_MAX_N) {
		let hits = 0;
		let total = 0;
		forEachPermutation(perm, () => {
			total++;
			if (Math.abs(pearson(rx, perm)) >= threshold) hits++;
		});
		return { rho, n, p: hits / total, minP, method: "exact" };
	}
	const rounds = options.permutations ?? 100_000;
	const prng = createPrng(options.seed ?? 1);
	let hits = 0;
	for (let r = 0; r < rounds; r++) {
		for (let i = n - 1; i > 0; i--) {
			const j = prng.nextInt(i + 1);
			const t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		if (Math.abs(pearson(rx, perm)) >= threshold) hits++;
	}
	// The observed order counts as one of the permutations, so p is never 0.
	return { rho, n, p: (hits + 1) / (rounds + 1), minP, method: "monte-carlo" };
}

function factorial(n: number): number {
	let f = 1;
	for (let i = 2; i <= n; i++) f *= i;
	return f;
}

/** Heap's algorithm: calls `visit` once for each ordering of `a`, permuting it in place. */
function forEachPermutation(a: Float64Array, visit: () => void): void {
	const n = a.length;
	const c = new Int32Array(n);
	visit();
	let i = 0;
	while (i < n) {
		if (c[i] < i) {
			const j = i % 2 === 0 ? 0 : c[i];
			const t = a[j];
			a[j] = a[i];
			a[i] = t;
			visit();
			c[i]++;
			i = 0;
		} else {
			c[i] = 0;
			i++;
		}
	}
}
