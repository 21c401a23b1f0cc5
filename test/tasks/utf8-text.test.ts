/** @module Strict UTF-8 decoding across chunk boundaries, with the offset of the first bad byte. */
import { describe, expect, it } from "vitest";
import { decodeUtf8, InvalidUtf8Error, validUtf8Prefix } from "../../src/tasks/utf8-text.js";

async function decode(chunks: number[][]): Promise<string> {
	async function* source() {
		for (const c of chunks) yield Uint8Array.from(c);
	}
	let text = "";
	for await (const part of decodeUtf8(source())) text += part;
	return text;
}

describe("decodeUtf8", () => {
	it("joins characters split between chunks", async () => {
		// "é" = C3 A9, "😀" = F0 9F 98 80, split inside each.
		expect(await decode([[0x61, 0xc3], [0xa9, 0xf0, 0x9f], [0x98], [0x80, 0x62]])).toBe("aé😀b");
	});

	it("stops at the first bad byte with its offset, line and column", async () => {
		const chunks = [
			[0x61, 0x0a, 0xc3, 0xa9],
			[0x62, 0xff, 0x63],
		]; // "a\néb" then 0xFF at byte 5
		const error = await decode(chunks).catch((e) => e);
		expect(error).toBeInstanceOf(InvalidUtf8Error);
		expect(error.where).toEqual({ byteOffset: 5, line: 2, column: 3, bytes: "0xFF 0x63" });
	});

	it("reports a character cut off by the end of the stream", async () => {
		const error = await decode([[0x61, 0x62, 0xe2, 0x82]]).catch((e) => e);
		expect(error.where.byteOffset).toBe(2);
	});
});

describe("validUtf8Prefix", () => {
	it.each([
		[[0x61, 0xc0, 0x80], 1], // overlong NUL
		[[0xed, 0xa0, 0x80], 0], // a surrogate
		[[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
		[[0xe2, 0x82, 0xac, 0x80], 3], // stray continuation byte after "€"
		[[0xe2, 0x82, 0xac], 3], // all valid
	])("%j is valid up to byte %i", (bytes, length) => {
		expect(validUtf8Prefix(Uint8Array.from(bytes))).toBe(length);
	});
});
