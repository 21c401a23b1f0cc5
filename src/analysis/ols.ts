/**
 * @module Ordinary least squares with standard errors for small designs: modified Gram–Schmidt QR
 * of the design matrix, coefficients from R·β = Qᵀy and their covariance σ²·R⁻¹R⁻ᵀ.
 */

export interface OlsFit {
	coefficients: number[];
	/** Standard error of each coefficient. */
	se: number[];
	/** Residual degrees of freedom n − p. */
	df: number;
	/** Residual sum of squares. */
	rss: number;
}

/** Fits y on the columns of `x` (rows are observations); null when the design is rank-deficient or df < 1. */
export function ols(x: readonly (readonly number[])[], y: readonly number[]): OlsFit | null {
	const n = x.length;
	const p = n > 0 ? x[0].length : 0;
	if (n !== y.length) throw new RangeError(`ols: ${n} rows of x but ${y.length} values of y`);
	if (p === 0 || n - p < 1) return null;
	// Columns of X, orthogonalised in place into Q; R is upper triangular.
	const q = Array.from({ length: p }, (_, j) => x.map((row) => row[j]));
	const r = Array.from({ length: p }, () => new Array<number>(p).fill(0));
	for (let j = 0; j < p; j++) {
		const scale = Math.sqrt(q[j].reduce((s, v) => s + v * v, 0));
		for (let k = 0; k < j; k++) {
			let dot = 0;
			for (let i = 0; i < n; i++) dot += q[k][i] * q[j][i];
			r[k][j] = dot;
			for (let i = 0; i < n; i++) q[j][i] -= dot * q[k][i];
		}
		const norm = Math.sqrt(q[j].reduce((s, v) => s + v * v, 0));
		if (!(norm > 1e-10 * (scale || 1))) return null;
		r[j][j] = norm;
		for (let i = 0; i < n; i++) q[j][i] /= norm;
	}
	const qty = q.map((col) => col.reduce((s, v, i) => s + v * y[i], 0));
	const beta = new Array<number>(p).fill(0);
	for (let j = p - 1; j >= 0; j--) {
		let s = qty[j];
		for (let k = j + 1; k < p; k++) s -= r[j][k] * beta[k];
		beta[j] = s / r[j][j];
	}
	let rss = 0;
	for (let i = 0; i < n; i++) {
		let fit = 0;
		for (let j = 0; j < p; j++) fit += x[i][j] * beta[j];
		rss += (y[i] - fit) ** 2;
	}
	const df = n - p;
	const sigma2 = rss / df;
	// R⁻¹ by back substitution; (XᵀX)⁻¹ = R⁻¹R⁻ᵀ, whose diagonal is the row sums of squares of R⁻¹.
	const inv = Array.from({ length: p }, () => new Array<number>(p).fill(0));
	for (let c = 0; c < p; c++) {
		for (let j = p - 1; j >= 0; j--) {
			let s = j === c ? 1 : 0;
			for (let k = j + 1; k < p; k++) s -= r[j][k] * inv[k][c];
			inv[j][c] = s / r[j][j];
		}
	}
	const se = inv.map((row) => Math.sqrt(sigma2 * row.reduce((s, v) => s + v * v, 0)));
	return { coefficients: beta, se, df, rss };
}
