/**
 * @module Decoding a byte stream as strict UTF-8, chunk by chunk. A bad byte stops the stream with
 * its byte offset and its line and column, instead of turning into a replacement character.
 */
import { isUtf8 } from "node:buffer";

export interface InvalidUtf8 {
	/** 0-based offset of the first byte that is not valid UTF-8. */
	byteOffset: number;
	line: number;
	column: number;
	/** The bad bytes in hex, e.g. `0xE9 0x74`. */
	bytes: string;
}

export class InvalidUtf8Error extends Error {
	constructor(readonly where: InvalidUtf8) {
		super(`invalid UTF-8 at byte ${where.byteOffset}`);
	}
}

/**
 * Length of the longest prefix of `bytes` that is valid UTF-8 (the offset of the first bad byte).
 * Rejects overlong forms, surrogates and code points past U+10FFFF, like `TextDecoder` with `fatal`.
 */
export function validUtf8Prefix(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		let need: number;
		let min: number;
		if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
		else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
		else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
		else return i;
		if (i + need >= bytes.length) return i; // cut short
		let code = b & (0x3f >> need);
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if ((c & 0xc0) !== 0x80) return i;
			code = (code << 6) | (c & 0x3f);
		}
		if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
		i += need + 1;
	}
	return i;
}

/** How many bytes at the end of `bytes` begin a character that the next chunk may complete. */
function incompleteTail(bytes: Uint8Array): number {
	for (let back = 1; back <= Math.min(3, bytes.length); back++) {
		const b = bytes[bytes.length - back];
		if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
		const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
		return length > back ? back : 0;
	}
	return 0;
}

/** Yields the text of `chunks`, throwing `InvalidUtf8Error` at the first byte that is not UTF-8. */
export async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
	let carry: Uint8Array = new Uint8Array(0);
	let offset = 0; // bytes of the stream before `carry`
	let line = 1;
	let lineCharacters = 0; // characters on the current line so far
	let first = true;
	for await (const chunk of chunks) {
		// A byte order mark is not a character of the first line.
		if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) lineCharacters = -1;
		first = false;
		const bytes =
			carry.length > 0
				? Buffer.concat([carry, chunk])
				: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
		const cut = bytes.length - incompleteTail(bytes);
		const whole = bytes.subarray(0, cut);
		if (!isUtf8(whole)) {
			const bad = validUtf8Prefix(whole);
			// The text before the bad byte is still good: hand it over first.
			if (bad > 0) yield whole.subarray(0, bad).toString("utf8");
			throw new InvalidUtf8Error(locate(whole, bad, offset, line, lineCharacters));
		}
		[line, lineCharacters] = advanceLines(whole, line, lineCharacters);
		yield whole.toString("utf8");
		offset += cut;
		carry = bytes.subarray(cut);
	}
	if (carry.length > 0) throw new InvalidUtf8Error(locate(carry, 0, offset, line, lineCharacters));
}

function advanceLines(bytes: Buffer, line: number, lineCharacters: number): [number, number] {
	let last = -1;
	for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) {
		line++;
		last = at;
	}
	let characters = last === -1 ? lineCharacters : 0;
	for (let i = last + 1; i < bytes.length; i++) if ((bytes[i] & 0xc0) !== 0x80) characters++;
	return [line, characters];
}

function locate(
	bytes: Uint8Array,
	bad: number,
	offset: number,
	line: number,
	lineCharacters: number,
): InvalidUtf8 {
	const [badLine, characters] = advanceLines(Buffer.from(bytes.subarray(0, bad)), line, lineCharacters);
	const shown = Array.from(
		bytes.subarray(bad, bad + 4),
		(b) => `0x${b.toString(16).toUpperCase().padStart(2, "0")}`,
	);
	return { byteOffset: offset + bad, line: badLine, column: characters + 1, bytes: shown.join(" ") };
}
