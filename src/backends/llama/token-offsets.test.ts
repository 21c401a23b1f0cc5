import { describe, expect, it } from "vitest";
import { bpePieceDecoder, offsetsFromPieces, spmPieceDecoder } from "./token-offsets.js";

describe("token offsets from vocabulary pieces", () => {
	it("GPT-2 byte-level pieces: Ġ is a space, multi-byte characters in code points", () => {
		// "Hi wörld 😀": ö is two bytes (Ã¶ in GPT-2's byte alphabet), 😀 four (ðŁĺĢ).
		const vocab = ["Hi", "Ġw", "Ã¶", "rld", "Ġ", "ðŁĺ", "Ģ"];
		const decode = bpePieceDecoder(vocab);
		const tokens = offsetsFromPieces("Hi wörld 😀", [0, 1, 2, 3, 4, 5, 6], decode);
		expect(tokens?.map((t) => [t.start, t.end])).toEqual([
			[0, 2], // "Hi"
			[2, 4], // " w"
			[4, 5], // "ö"
			[5, 8], // "rld"
			[8, 9], // " "
			[9, 10], // first three bytes of 😀: inside the one character at offset 9
			[9, 10], // its last byte
		]);
	});

	it("SentencePiece: ▁ is a space, the added space prefix covers nothing, byte tokens", () => {
		const vocab = ["<unk>", "<s>", "</s>", "▁Is", "▁it", "?", "▁", "Y", "es", "<0xE2>", "<0x98>", "<0x83>"];
		const types = [2, 3, 3, 1, 1, 1, 1, 1, 1, 6, 6, 6];
		const decode = spmPieceDecoder(vocab, types);
		const tokens = offsetsFromPieces("Is it? Yes ☃", [3, 4, 5, 6, 7, 8, 6, 9, 10, 11], decode);
		expect(tokens?.map((t) => [t.start, t.end])).toEqual([
			[0, 2],
			[2, 5],
			[5, 6],
			[6, 7],
			[7, 8],
			[8, 10],
			[10, 11],
			[11, 12],
			[11, 12],
			[11, 12],
		]);
	});

	it("gives up (undefined) when the pieces do not spell the text", () => {
		const decode = bpePieceDecoder(["Hello"]);
		expect(offsetsFromPieces("Hullo", [0], decode)).toBeUndefined();
	});
});
