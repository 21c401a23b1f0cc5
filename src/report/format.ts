/** @module Number and text formatting for the report: sensible precision, sizes, p-values, HTML escaping. */

export function escapeHtml(s: string): string {
	return s.replace(
		/[&<>"']/g,
		(c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
	);
}

/** A number with `digits` significant digits, trailing zeros kept to the decimals of the precision. */
export function fmt(v: number | null | undefined, digits = 3): string {
	if (v === null || v === undefined || Number.isNaN(v)) return "—";
	if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
	if (v === 0) return "0";
	const a = Math.abs(v);
	const s = a >= 1e5 || a < 1e-3 ? v.toExponential(digits - 1) : v.toPrecision(digits);
	return s.replace("-", "−");
}

/** Fixed decimals (for means and SEs in one table column), with a true minus sign. */
export function fixed(v: number | null | undefined, decimals = 3): string {
	if (v === null || v === undefined || Number.isNaN(v)) return "—";
	if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
	return v.toFixed(decimals).replace("-", "−");
}

export function signed(v: number | null | undefined, decimals = 3): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return fixed(v, decimals);
	return (v >= 0 ? "+" : "") + fixed(v, decimals);
}

/** Model sizes as papers write them: 124M, 1.5B, 6.7T. */
export function fmtSize(v: number | null | undefined): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return "—";
	const units: [number, string][] = [
		[1e24, "Y"],
		[1e21, "Z"],
		[1e18, "E"],
		[1e15, "P"],
		[1e12, "T"],
		[1e9, "B"],
		[1e6, "M"],
		[1e3, "K"],
	];
	for (const [base, suffix] of units) {
		if (v >= base) return `${Number((v / base).toPrecision(3))}${suffix}`;
	}
	return String(Number(v.toPrecision(3)));
}

export function fmtP(p: number | null | undefined): string {
	if (p === null || p === undefined || Number.isNaN(p)) return "—";
	if (p < 0.001) return "< 0.001";
	return p.toFixed(3);
}

export function fmtPercent(v: number | null | undefined, decimals = 1): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return "—";
	return `${(v * 100).toFixed(decimals)}%`;
}

/** Decimals that show a metric's differences: 3 for accuracy and loss near 1, fewer for big losses. */
export function decimalsFor(values: number[]): number {
	const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
	return max >= 100 ? 1 : max >= 10 ? 2 : 3;
}
