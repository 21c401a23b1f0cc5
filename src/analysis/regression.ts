/** @module Least-squares fits of a metric against log10 of the x axis: a line and a quadratic. */

export interface LineFit {
	intercept: number;
	/** Change of the metric per unit of t (per decade when t = log10 x). */
	slope: number;
}

export interface QuadraticFit {
	/** y = a + b·u + c·u² with u = t − center, centred for numerical stability. */
	a: number;
	b: number;
	c: number;
	center: number;
	/** t at which the derivative is zero (−b / 2c + center); NaN when c = 0. */
	turningPoint: number;
}

/** Ordinary least squares of y on t; NaN slope when fewer than 2 distinct t. */
export function fitLine(t: ArrayLike<number>, y: ArrayLike<number>): LineFit {
	const n = t.length;
	let mt = 0;
	let my = 0;
	for (let i = 0; i < n; i++) {
		mt += t[i];
		my += y[i];
	}
	mt /= n;
	my /= n;
	let stt = 0;
	let sty = 0;
	for (let i = 0; i < n; i++) {
		stt += (t[i] - mt) ** 2;
		sty += (t[i] - mt) * (y[i] - my);
	}
	const slope = stt > 0 ? sty / stt : Number.NaN;
	return { slope, intercept: my - slope * mt };
}

/** Least-squares quadratic in t; NaN coefficients when fewer than 3 distinct t. */
export function fitQuadratic(t: ArrayLike<number>, y: ArrayLike<number>): QuadraticFit {
	const n = t.length;
	let center = 0;
	for (let i = 0; i < n; i++) center += t[i];
	center /= n;
	// Normal equations for [a, b, c] with u = t − center.
	let s1 = 0;
	let s2 = 0;
	let s3 = 0;
	let s4 = 0;
	let sy = 0;
	let suy = 0;
	let su2y = 0;
	for (let i = 0; i < n; i++) {
		const u = t[i] - center;
		const u2 = u * u;
		s1 += u;
		s2 += u2;
		s3 += u2 * u;
		s4 += u2 * u2;
		sy += y[i];
		suy += u * y[i];
		su2y += u2 * y[i];
	}
	const [a, b, c] = solve3(
		[
			[n, s1, s2],
			[s1, s2, s3],
			[s2, s3, s4],
		],
		[sy, suy, su2y],
	);
	return { a, b, c, center, turningPoint: c !== 0 ? center - b / (2 * c) : Number.NaN };
}

/** Cramer's rule for a 3×3 system; NaN when the matrix is singular (relative to its scale). */
function solve3(m: number[][], r: number[]): [number, number, number] {
	const det = (q: number[][]): number =>
		q[0][0] * (q[1][1] * q[2][2] - q[1][2] * q[2][1]) -
		q[0][1] * (q[1][0] * q[2][2] - q[1][2] * q[2][0]) +
		q[0][2] * (q[1][0] * q[2][1] - q[1][1] * q[2][0]);
	const d = det(m);
	const scale = Math.abs(m[0][0] * m[1][1] * m[2][2]) || 1;
	if (Math.abs(d) <= 1e-12 * scale) return [Number.NaN, Number.NaN, Number.NaN];
	const withColumn = (k: number): number[][] => m.map((row, i) => row.map((v, j) => (j === k ? r[i] : v)));
	return [det(withColumn(0)) / d, det(withColumn(1)) / d, det(withColumn(2)) / d];
}
