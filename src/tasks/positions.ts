/** @module Counting columns in Unicode characters and walking a value's raw text to a spot inside it. */
import type { SourcePosition } from "./types.js";

/** True for the second half of a surrogate pair: it does not start a new character. */
export function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/** Number of Unicode characters in `text` from `start` to `end` (UTF-16 offsets). */
export function countCharacters(text: string, start = 0, end = text.length): number {
	let count = 0;
	for (let i = start; i < end; i++) if (!isLowSurrogate(text.charCodeAt(i))) count++;
	return count;
}

/**
 * The position of `value[offset]` given where the value's first character sits and how each of its
 * characters is written: `width(ch)` raw characters for one value character (2 for a doubled quote).
 * Line breaks (`\n`, `\r\n`, `\r`) inside the value move to the next line.
 */
export function walkValue(
	start: SourcePosition,
	value: string,
	offset: number,
	width: (code: number) => number = () => 1,
): SourcePosition {
	let { line, column } = start;
	const end = Math.min(offset, value.length);
	for (let i = 0; i < end; i++) {
		const code = value.charCodeAt(i);
		if (code === 10 || (code === 13 && value.charCodeAt(i + 1) !== 10)) {
			line++;
			column = 1;
		} else if (code !== 13 && !isLowSurrogate(code)) {
			column += width(code);
		}
	}
	return { line, column };
}
