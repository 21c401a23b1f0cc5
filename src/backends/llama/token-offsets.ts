/**
 * @module Character offsets (in code points) of each token of a tokenized text, worked out from the
 * vocabulary's byte pieces: SentencePiece `▁` and `<0xNN>` pieces, GPT-2 byte-level pieces.
 */
import { utf8ByteToCodePoint } from "../../util/codepoints.js";
import type { Token } from "../types.js";

/** Turns one token id into the bytes it stands for, or undefined when the vocabulary has no byte form. */
export type PieceDecoder = (id: number) => Uint8Array | undefined;

const SPM_SPACE = "\u2581";
const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/** SentencePiece: `▁` is a space, `<0xNN>` a raw byte, control tokens are empty. */
export function spmPieceDecoder(tokens: string[], types?: number[]): PieceDecoder {
	const cache = new Map<number, Uint8Array>();
	return (id) => {
		const hit = cache.get(id);
		if (hit) return hit;
		const piece = tokens[id];
		if (piece === undefined) return undefined;
		const type = types?.[id];
		let bytes: Uint8Array;
		const byte = BYTE_TOKEN.exec(piece);
		if (byte && (type === undefined || type === 6)) bytes = Uint8Array.of(Number.parseInt(byte[1], 16));
		else if (type === 3) bytes = new Uint8Array(0);
		else bytes = Buffer.from(piece.replaceAll(SPM_SPACE, " "), "utf8");
		cache.set(id, bytes);
		return bytes;
	};
}

/** GPT-2's table mapping each byte to a printable character (the inverse decodes pieces). */
function gpt2ByteDecoder(): Map<string, number> {
	const bs: number[] = [];
	for (let b = 33; b <= 126; b++) bs.push(b);
	for (let b = 161; b <= 172; b++) bs.push(b);
	for (let b = 174; b <= 255; b++) bs.push(b);
	const cs = [...bs];
	let n = 0;
	for (let b = 0; b < 256; b++) {
		if (!bs.includes(b)) {
			bs.push(b);
			cs.push(256 + n);
			n++;
		}
	}
	return new Map(bs.map((b, i) => [String.fromCodePoint(cs[i]), b]));
}

/** Byte-level BPE (GPT-2, Pythia, Qwen, SmolLM): every piece character stands for one byte. */
export function bpePieceDecoder(tokens: string[], types?: number[]): PieceDecoder {
	const table = gpt2ByteDecoder();
	const cache = new Map<number, Uint8Array>();
	return (id) => {
		const hit = cache.get(id);
		if (hit) return hit;
		const piece = tokens[id];
		if (piece === undefined) return undefined;
		if (types?.[id] === 3) return new Uint8Array(0);
		const out: number[] = [];
		for (const ch of piece) {
			const b = table.get(ch);
			if (b === undefined) return undefined;
			out.push(b);
		}
		const bytes = Uint8Array.from(out);
		cache.set(id, bytes);
		return bytes;
	};
}

/**
 * Offsets of `ids` in `text`, or undefined when the pieces do not spell the text (a normalising
 * tokenizer), so the caller can fall back to a slower method. A leading space that the tokenizer
 * added itself (SentencePiece's space prefix) is accounted for.
 */
export function offsetsFromPieces(text: string, ids: number[], decode: PieceDecoder): Token[] | undefined {
	const pieces: Uint8Array[] = [];
	let total = 0;
	for (const id of ids) {
		const bytes = decode(id);
		if (!bytes) return undefined;
		pieces.push(bytes);
		total += bytes.length;
	}
	const joined = Buffer.concat(pieces, total);
	const target = Buffer.from(text, "utf8");
	let shift = 0;
	if (!joined.equals(target)) {
		// SentencePiece prefixes a space; it covers no character of the text.
		if (joined.length === target.length + 1 && joined[0] === 0x20 && joined.subarray(1).equals(target))
			shift = 1;
		else return undefined;
	}
	const cp = utf8ByteToCodePoint(text);
	const tokens: Token[] = [];
	let byte = 0;
	for (let i = 0; i < ids.length; i++) {
		const startByte = Math.max(0, byte - shift);
		const endByte = Math.max(0, byte + pieces[i].length - shift);
		byte += pieces[i].length;
		const start = cp[startByte];
		// A token ending inside a multi-byte character still covers that whole character.
		const end = endByte > startByte ? cp[endByte - 1] + 1 : start;
		tokens.push({ id: ids[i], start, end: Math.max(end, start) });
	}
	return tokens;
}
