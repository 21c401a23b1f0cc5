/** @module Counts written the way people write them: `160M`, `1.4B`, `300B`, `2T`, `1_000_000`. */

const suffixes: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** The result of reading a count: the integer, or why the text is not one. */
export type CountParse = { ok: true; value: number } | { ok: false; reason: string };

/**
 * Reads a positive count: a plain integer (underscores and commas allowed as separators), or a
 * decimal with a suffix K, M, B (or G) or T, case-insensitive. The value must be a whole number.
 */
export function parseCount(input: string | number): CountParse {
	if (typeof input === "number") {
		if (!Number.isSafeInteger(input) || input <= 0)
			return { ok: false, reason: `${input} is not a positive whole number` };
		return { ok: true, value: input };
	}
	const text = input.trim().replace(/[_,]/g, "");
	const match = /^(\d+(?:\.\d+)?)(?:e(\d+))?\s*([kmbgt])?$/i.exec(text);
	if (!match)
		return { ok: false, reason: `"${input}" is not a count (write e.g. 160M, 1.4B, 300B, 2T or 1_000_000)` };
	const [, mantissa, exponent, suffix] = match;
	const scale = (suffix ? suffixes[suffix.toLowerCase()] : 1) * (exponent ? 10 ** Number(exponent) : 1);
	// Scale the decimal digits as integers so 1.4B is exactly 1,400,000,000 (1.4 * 1e9 can drift).
	const [whole, fraction = ""] = mantissa.split(".");
	const raw = Number(whole) * scale + (fraction ? (Number(fraction) * scale) / 10 ** fraction.length : 0);
	const value = Math.round(raw);
	if (Math.abs(raw - value) > 1e-6) return { ok: false, reason: `"${input}" is not a whole number` };
	if (!Number.isSafeInteger(value) || value <= 0)
		return { ok: false, reason: `"${input}" must be a positive whole number below 2^53` };
	return { ok: true, value };
}

/** Short human form of a count: 162322944 → "162M", 1414647808 → "1.4B", 2e12 → "2T". */
export function formatCount(value: number): string {
	const units: Array<[number, string]> = [
		[1e12, "T"],
		[1e9, "B"],
		[1e6, "M"],
		[1e3, "K"],
	];
	for (const [size, unit] of units) {
		if (value >= size) {
			const scaled = value / size;
			const digits = scaled >= 100 ? 0 : scaled >= 10 ? 0 : 1;
			return `${Number(scaled.toFixed(digits))}${unit}`;
		}
	}
	return String(value);
}
