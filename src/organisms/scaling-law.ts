/**
 * @module The ladder's own scaling law: held-out loss against non-embedding parameters, fitted as
 * L(N) = E + A·N^(−α) (Kaplan et al. 2020's form at a fixed token budget). α is searched on a grid;
 * for each α, E and A are the least-squares line in N^(−α).
 */

export interface ScalingLawFit {
	/** Irreducible loss, scale and exponent. */
	E: number;
	A: number;
	alpha: number;
	/** Share of the loss's variance across sizes that the fit explains. */
	r2: number;
}

/** Fits the law to (N, L) points; undefined for fewer than 3 sizes (three parameters). */
export function fitScalingLaw(points: ReadonlyArray<{ n: number; loss: number }>): ScalingLawFit | undefined {
	if (points.length < 3 || points.some((p) => !(p.n > 0) || !Number.isFinite(p.loss))) return undefined;
	const mean = points.reduce((s, p) => s + p.loss, 0) / points.length;
	const total = points.reduce((s, p) => s + (p.loss - mean) ** 2, 0);
	let best: ScalingLawFit | undefined;
	let bestSse = Number.POSITIVE_INFINITY;
	for (let alpha = 0.005; alpha <= 3; alpha += 0.005) {
		const xs = points.map((p) => p.n ** -alpha);
		const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
		const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
		if (sxx === 0) continue;
		const A = xs.reduce((s, x, i) => s + (x - mx) * (points[i].loss - mean), 0) / sxx;
		const E = mean - A * mx;
		const sse = xs.reduce((s, x, i) => s + (points[i].loss - E - A * x) ** 2, 0);
		if (sse < bestSse) {
			bestSse = sse;
			best = { E, A, alpha, r2: total > 0 ? 1 - sse / total : Number.NaN };
		}
	}
	return best;
}
