/** @module Reads the `classes` cell for display: a JSON array or a Python list literal of strings. */

/** The class strings, or null when the cell is not a list of strings. */
export function readClasses(cell: unknown): string[] | null {
	if (Array.isArray(cell)) return cell.every((c) => typeof c === "string") ? (cell as string[]) : null;
	if (typeof cell !== "string") return null;
	const s = cell.trim();
	if (!s.startsWith("[") || !s.endsWith("]")) return null;
	const out: string[] = [];
	let i = 1;
	const escapes: Record<string, string> = {
		n: "\n",
		t: "\t",
		r: "\r",
		"\\": "\\",
		"'": "'",
		'"': '"',
		"0": "\0",
	};
	while (i < s.length - 1) {
		const ch = s[i];
		if (ch === " " || ch === ",") {
			i++;
			continue;
		}
		if (ch !== "'" && ch !== '"') return null;
		let value = "";
		i++;
		while (i < s.length && s[i] !== ch) {
			if (s[i] === "\\") {
				const e = s[i + 1];
				if (e === "x" || e === "u") {
					const len = e === "x" ? 2 : 4;
					value += String.fromCodePoint(Number.parseInt(s.slice(i + 2, i + 2 + len), 16));
					i += 2 + len;
					continue;
				}
				value += escapes[e] ?? e;
				i += 2;
				continue;
			}
			value += s[i++];
		}
		if (i >= s.length) return null;
		out.push(value);
		i++;
	}
	return out;
}
