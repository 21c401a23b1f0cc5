/** @module Code-point arithmetic: the prize counts characters in code points, JavaScript in UTF-16 units. */

/** Number of Unicode code points in a string. */
export function codePointLength(text: string): number {
	let n = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		// A high surrogate followed by a low one is a single code point.
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) i++;
		}
		n++;
	}
	return n;
}

/** Code-point offset of every UTF-8 byte of `text`'s encoding (continuation bytes map to their character). */
export function utf8ByteToCodePoint(text: string): Uint32Array {
	const bytes = Buffer.byteLength(text, "utf8");
	const map = new Uint32Array(bytes + 1);
	let b = 0;
	let cp = 0;
	for (const ch of text) {
		const len = Buffer.byteLength(ch, "utf8");
		for (let k = 0; k < len; k++) map[b++] = cp;
		cp++;
	}
	map[bytes] = cp;
	return map;
}

/** `text` between two code-point offsets (end exclusive). */
export function sliceCodePoints(text: string, start: number, end: number = Number.POSITIVE_INFINITY): string {
	let cp = 0;
	let from = text.length;
	let to = text.length;
	for (let i = 0; i < text.length; i++) {
		if (cp === start) from = Math.min(from, i);
		if (cp === end) {
			to = i;
			break;
		}
		const c = text.charCodeAt(i);
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) i++;
		}
		cp++;
	}
	if (cp === start) from = Math.min(from, to);
	return text.slice(from, to);
}
