/**
 * @module Finding where values sit in one line of JSON text (JSON.parse gives no positions), and
 * where a character of a decoded JSON string sits in its raw, escaped form.
 */

function skipSpace(text: string, i: number): number {
	while (i < text.length) {
		const c = text.charCodeAt(i);
		if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
		i++;
	}
	return i;
}

/** Offset just past the JSON value starting at `i` (the text is known to be valid JSON). */
function skipValue(text: string, i: number): number {
	const c = text[i];
	if (c === '"') {
		for (i++; i < text.length; i++) {
			if (text[i] === "\\") i++;
			else if (text[i] === '"') return i + 1;
		}
		return i;
	}
	if (c === "{" || c === "[") {
		let depth = 0;
		for (; i < text.length; i++) {
			const d = text[i];
			if (d === '"') i = skipValue(text, i) - 1;
			else if (d === "{" || d === "[") depth++;
			else if (d === "}" || d === "]") {
				depth--;
				if (depth === 0) return i + 1;
			}
		}
		return i;
	}
	while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
	return i;
}

/** Offset of each top-level member's value in a JSON object text, by key (the last one wins, as in JSON.parse). */
export function memberValueOffsets(text: string): Map<string, number> {
	const offsets = new Map<string, number>();
	let i = skipSpace(text, 0);
	if (text[i] !== "{") return offsets;
	i = skipSpace(text, i + 1);
	while (i < text.length && text[i] === '"') {
		const keyEnd = skipValue(text, i);
		const key = JSON.parse(text.slice(i, keyEnd)) as string;
		i = skipSpace(text, keyEnd);
		i = skipSpace(text, i + 1); // past ":"
		offsets.set(key, i);
		i = skipSpace(text, skipValue(text, i));
		if (text[i] === ",") i = skipSpace(text, i + 1);
	}
	return offsets;
}

/** Offset of each element of the JSON array starting at `start`. */
export function arrayElementOffsets(text: string, start: number): number[] {
	const offsets: number[] = [];
	if (text[start] !== "[") return offsets;
	let i = skipSpace(text, start + 1);
	while (i < text.length && text[i] !== "]") {
		offsets.push(i);
		i = skipSpace(text, skipValue(text, i));
		if (text[i] === ",") i = skipSpace(text, i + 1);
	}
	return offsets;
}

/**
 * Offset in `text` of character `offset` of the decoded JSON string whose opening quote is at
 * `quote`: escapes like `\n` or `\u00e9` are several raw characters for one decoded one.
 */
export function rawStringOffset(text: string, quote: number, offset: number): number {
	let i = quote + 1;
	for (let decoded = 0; decoded < offset && i < text.length; decoded++) {
		if (text[i] !== "\\") {
			i++;
			continue;
		}
		if (text[i + 1] !== "u") {
			i += 2;
			continue;
		}
		// A \uXXXX pair for one astral character is two UTF-16 units of the decoded string.
		i += 6;
	}
	return i;
}
