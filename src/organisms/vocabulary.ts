/**
 * @module The organisms' tokenizer: a SentencePiece-style vocabulary in which every word of the
 * language is one token. llama.cpp's SentencePiece tokenizer merges characters pairwise, so each
 * word's prefixes are in the vocabulary too (scored by length, so whole words always win). The 256
 * byte tokens catch any other text (a user's own task), as SentencePiece's byte fallback does.
 */

export interface Vocabulary {
	tokens: string[];
	scores: number[];
	/** llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte. */
	types: number[];
	unk: number;
	bos: number;
	eos: number;
}

const SPACE = "\u2581";

/** Builds the vocabulary for `words` (no spaces): specials, the 256 bytes, then the words' pieces. */
export function buildVocabulary(words: readonly string[]): Vocabulary {
	const tokens = ["<unk>", "<s>", "</s>"];
	const scores = [0, 0, 0];
	const types = [2, 3, 3];
	for (let b = 0; b < 256; b++) {
		tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
		scores.push(0);
		types.push(6);
	}
	const seen = new Set(tokens);
	for (const word of words) {
		if (/\s/.test(word) || word.length === 0) throw new Error(`not a word: ${JSON.stringify(word)}`);
		const piece = SPACE + word;
		for (let end = 2; end <= piece.length; end++) {
			const prefix = piece.slice(0, end);
			if (seen.has(prefix)) continue;
			seen.add(prefix);
			tokens.push(prefix);
			scores.push(end);
			types.push(1);
		}
	}
	return { tokens, scores, types, unk: 0, bos: 1, eos: 2 };
}
