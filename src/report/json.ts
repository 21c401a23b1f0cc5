/**
 * @module JSON for report.json. NaN policy: JSON has no NaN or Infinity, so every non-finite
 * number (an undefined statistic, an infinite loss) is written as null; typed arrays become arrays.
 */

export function toJson(value: unknown): string {
	return `${JSON.stringify(
		value,
		(_key, v) => {
			if (typeof v === "number" && !Number.isFinite(v)) return null;
			if (ArrayBuffer.isView(v) && !(v instanceof DataView))
				return Array.from(v as unknown as ArrayLike<number>);
			if (v instanceof Map) return Object.fromEntries(v);
			return v;
		},
		2,
	)}\n`;
}
