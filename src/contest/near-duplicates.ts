/**
 * @module Near-duplicate tasks by content: each example becomes normalised word shingles (case,
 * digits and punctuation folded, so renumbered or re-cased copies still match), the task a MinHash
 * signature of them; the share of equal signature slots estimates the Jaccard similarity of two
 * tasks' shingle sets. Row order, file format (CSV or JSONL) and quoting do not matter.
 */
import type { Example } from "../tasks/types.js";
import { hash64 } from "../util/hash.js";

export const signatureSize = 128;
const shingleWords = 3;

/** The text of an example that makes it what it is: prompts and answers, normalised. */
export function exampleText(e: Example): string {
	const parts =
		e.kind === "sequence_prob"
			? [e.prompt, e.completion]
			: e.kind === "logodds"
				? [e.prompt, e.otherPrompt, ...e.classes]
				: e.kind === "exact_answer"
					? [e.prompt, e.answer]
					: [e.prompt, ...e.classes];
	return normalise(parts.join(" "));
}

export function normalise(text: string): string {
	return text
		.toLowerCase()
		.normalize("NFKC")
		.replace(/\d+/g, "0")
		.replace(/[^\p{L}\p{N}]+/gu, " ")
		.trim();
}

/** Word n-grams of one example (the whole text when it is shorter than n words). */
export function shingles(text: string): string[] {
	const words = text.split(" ").filter(Boolean);
	if (words.length <= shingleWords) return words.length > 0 ? [words.join(" ")] : [];
	const out: string[] = [];
	for (let i = 0; i + shingleWords <= words.length; i++) out.push(words.slice(i, i + shingleWords).join(" "));
	return out;
}

/**
 * The MinHash signature of a task: slot i holds the minimum over shingles of h1 + i·h2 (mod 2^32),
 * the double-hashing family, from one 64-bit hash per shingle.
 */
export function fingerprint(examples: readonly Example[]): number[] {
	const mins = new Array<number>(signatureSize).fill(0xffffffff);
	const seen = new Set<string>();
	for (const e of examples) {
		for (const s of shingles(exampleText(e))) {
			if (seen.has(s)) continue;
			seen.add(s);
			const [h1, h2] = hash64([s]);
			for (let i = 0; i < signatureSize; i++) {
				const v = (h1 + Math.imul(i, h2)) >>> 0;
				if (v < mins[i]!) mins[i] = v;
			}
		}
	}
	return mins;
}

/** Estimated Jaccard similarity (0–1) of the two tasks' shingle sets. */
export function similarity(a: readonly number[], b: readonly number[]): number {
	if (a.length !== b.length || a.length === 0) return 0;
	let same = 0;
	for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
	return same / a.length;
}
