/** @module Formats cells as pandas' `to_csv` does, so the prize's own tools read our files unchanged. */

/** A number as pandas writes a float (shortest round-trip, `inf`, `-inf`, empty for NaN). */
export function csvNumber(value: number): string {
	if (Number.isNaN(value)) return "";
	if (value === Number.POSITIVE_INFINITY) return "inf";
	if (value === Number.NEGATIVE_INFINITY) return "-inf";
	return String(value);
}

/** A text cell, quoted only when it holds a comma, quote, or line break (RFC 4180). */
export function csvText(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(cells: ReadonlyArray<number | string>): string {
	return `${cells.map((c) => (typeof c === "number" ? csvNumber(c) : csvText(c))).join(",")}\n`;
}
