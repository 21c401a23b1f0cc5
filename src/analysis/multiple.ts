/** @module Benjamini–Hochberg adjustment of p-values across tasks (false discovery rate). */

/**
 * BH-adjusted p-values (q-values) in the input order: p_(i)·m/i with a running minimum from the
 * largest p down, capped at 1. NaN p-values are passed through and do not count in m.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
	const indexed = pValues.map((p, i) => ({ p, i })).filter((e) => Number.isFinite(e.p));
	const m = indexed.length;
	indexed.sort((a, b) => a.p - b.p);
	const adjusted = pValues.map(() => Number.NaN);
	let running = 1;
	for (let k = m - 1; k >= 0; k--) {
		running = Math.min(running, (indexed[k].p * m) / (k + 1));
		adjusted[indexed[k].i] = running;
	}
	return adjusted;
}

/** Which hypotheses BH rejects at false discovery rate q. */
export function bhRejections(pValues: readonly number[], q = 0.05): boolean[] {
	return benjaminiHochberg(pValues).map((p) => Number.isFinite(p) && p <= q);
}
