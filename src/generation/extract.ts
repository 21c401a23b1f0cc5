/**
 * @module Reading the answer out of a model's final answer (never its reasoning): a letter or a
 * class's text for a classification question, a number or a string for an exact answer. An
 * answer that cannot be read is `undefined`: it counts as wrong, and the parse rate shows how often.
 */
import type { Question } from "./question.js";

/** What was read from one final answer. */
export interface Extracted {
	/** The answer as read (a letter, a class's text, a number as written), or undefined when none. */
	answer?: string;
	/** Classification: the class the answer names. */
	predicted?: number;
	correct: boolean;
}

/** Lower case, no surrounding space, quotes, brackets, markdown emphasis or final punctuation. */
export function normalize(text: string): string {
	return text
		.replace(/\*\*|__|`/g, "")
		.trim()
		.replace(/^["'“‘([{<\s]+|["'”’)\]}>\s.,;:!?]+$/gu, "")
		.trim()
		.toLowerCase();
}

/** The part of a final answer that states the answer: a `\boxed{}`, else what follows "answer:" / "answer is", else all. */
export function answerSpan(text: string): string {
	const boxed = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)];
	if (boxed.length > 0) return boxed[boxed.length - 1][1];
	const cued = [...text.matchAll(/answer\s*(?:is|:)\s*:?\s*(.+)/gi)];
	if (cued.length > 0) return cued[cued.length - 1][1];
	return text;
}

/** A number as written in text: sign, thousands commas, decimals, exponent, or a fraction a/b. */
const numberPattern = /[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?(?:\s*\/\s*\d+)?/g;

/** The value of a number as written, or undefined when `text` is not one. */
export function parseNumber(text: string): number | undefined {
	const t = text.trim().replace(/^\$/, "").replace(/%$/, "").replace(/−/g, "-");
	const fraction = /^([-+]?\d+)\s*\/\s*(\d+)$/.exec(t);
	if (fraction) {
		const den = Number(fraction[2]);
		return den === 0 ? undefined : Number(fraction[1]) / den;
	}
	if (!/^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(t) || !/\d/.test(t))
		return undefined;
	return Number(t.replace(/,/g, ""));
}

/** The last number in a text, as written. */
function lastNumber(text: string): string | undefined {
	const found = [...text.matchAll(numberPattern)].map((m) => m[0].trim()).filter((m) => /\d/.test(m));
	return found[found.length - 1];
}

function sameNumber(a: number, b: number): boolean {
	return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The letter a multiple-choice answer gives, when it gives exactly one of `letters`. */
function readLetter(span: string, letters: readonly string[]): string | undefined {
	const valid = new Set(letters);
	// The first line that says something: a forced answer may run on past it.
	const bare = (
		span
			.replace(/\*\*|__|`/g, "")
			.split("\n")
			.find((l) => l.trim() !== "") ?? ""
	).trim();
	// "B", "(B)", "B.", "[B]"
	const alone = /^[([{]?\s*([A-Z]{1,2})\s*[)\]}]?[.:)]?$/.exec(bare);
	if (alone && valid.has(alone[1])) return alone[1];
	// "B. Paris", "B) Paris", "(B) Paris", "B: Paris"
	const led = /^[([{]?([A-Z]{1,2})(?:[)\]}.:]|\s*[)\]}]?\s*[-–—]\s)/.exec(bare);
	if (led && valid.has(led[1])) return led[1];
	// "Option B", "letter B", "choice (B)"
	const named = /\b(?:option|letter|choice)\s*[([{]?([A-Z]{1,2})\b/i.exec(bare);
	if (named && valid.has(named[1].toUpperCase())) return named[1].toUpperCase();
	return undefined;
}

/** Reads a final answer against a question and grades it. */
export function extractAnswer(question: Question, finalText: string): Extracted {
	const span = answerSpan(finalText);
	if (question.expected) {
		const expected = question.expected;
		const wantsNumber = parseNumber(expected[0]) !== undefined;
		if (wantsNumber) {
			const written = lastNumber(span);
			if (written === undefined) return { correct: false };
			const value = parseNumber(written);
			const right = expected.some((e) => {
				const n = parseNumber(e);
				return n !== undefined
					? value !== undefined && sameNumber(n, value)
					: normalize(e) === normalize(span);
			});
			return { answer: written, correct: right };
		}
		const said = normalize(span);
		if (said === "") return { correct: false };
		return { answer: said, correct: expected.some((e) => normalize(e) === said) };
	}
	const choices = question.choices;
	const isLetters = choices.every((c) => /^[A-Z]{1,2}$/.test(c));
	let predicted: number | undefined;
	if (isLetters) {
		const letter =
			readLetter(span, choices) ?? (span === finalText ? undefined : readLetter(finalText, choices));
		if (letter !== undefined) predicted = choices.indexOf(letter);
	}
	if (predicted === undefined) {
		// The answer written as a class's text: exactly, else the one class named as a whole word.
		const said = normalize(span);
		const exact = question.texts.findIndex((c) => normalize(c) === said);
		if (exact >= 0 && said !== "") predicted = exact;
		else if (!isLetters) {
			const named = question.texts.flatMap((c, k) => (wordIn(said, normalize(c)) ? [k] : []));
			if (named.length === 1) predicted = named[0];
		}
	}
	if (predicted === undefined) return { correct: false };
	return { answer: choices[predicted], predicted, correct: predicted === question.answerIndex };
}

function wordIn(text: string, word: string): boolean {
	if (word === "") return false;
	const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	return new RegExp(`(?:^|[^\\p{L}\\p{N}])${escaped}(?:$|[^\\p{L}\\p{N}])`, "u").test(text);
}
