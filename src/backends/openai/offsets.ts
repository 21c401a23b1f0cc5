/**
 * @module Code-point spans of echoed prompt tokens.
 *
 * Assumption: `text_offset` counts Unicode code points (Python string indices), as vLLM and the
 * OpenAI API compute it in Python. vLLM also counts the text of tokens it added itself (`<s>`), so
 * offsets are taken relative to the first prompt token. Each offset is checked against the token's
 * own text; when they disagree (offsets in bytes or UTF-16 units, or meaningless ones such as with
 * `return_tokens_as_token_ids`), the spans are rebuilt from the token texts if those spell the
 * prompt exactly, and refused otherwise.
 */
import { codePointLength, sliceCodePoints } from "../../util/codepoints.js";
import type { EchoChoice } from "./echo.js";

export interface Span {
	start: number;
	end: number;
}

export type SpanResult = { kind: "ok"; spans: Span[] } | { kind: "problem"; reason: string };

/**
 * Spans of the tokens after the first `leading` (those the server added, e.g. BOS), within `text`.
 * Tokens that start at or after the end of `text` (generated ones) are not part of the prompt.
 */
export function promptSpans(text: string, choice: EchoChoice, leading: number): SpanResult {
	const length = codePointLength(text);
	const tokens = choice.tokens.slice(leading);
	if (tokens.length === 0)
		return length === 0 ? { kind: "ok", spans: [] } : problem("no prompt tokens were echoed");
	const byOffsets = choice.offsets
		? fromOffsets(text, length, tokens, choice.offsets.slice(leading))
		: undefined;
	if (byOffsets) return { kind: "ok", spans: byOffsets };
	const byTexts = fromTexts(text, tokens);
	if (byTexts) return { kind: "ok", spans: byTexts };
	return problem(
		"the echoed tokens do not line up with the prompt (text_offset is not in code points and the token texts do not spell the prompt)",
	);
}

function fromOffsets(text: string, length: number, tokens: string[], offsets: number[]): Span[] | undefined {
	// Offsets are trusted only where some token's own text confirms them.
	if (!tokens.some((piece) => isPlain(piece) && piece !== "")) return undefined;
	const base = offsets[0]!;
	const starts: number[] = [];
	for (const offset of offsets) {
		const start = offset - base;
		if (start >= length && starts.length > 0) break;
		if (start < (starts.at(-1) ?? 0) || start > length) return undefined;
		starts.push(start);
	}
	const spans: Span[] = [];
	for (let i = 0; i < starts.length; i++) {
		const start = starts[i]!;
		const piece = tokens[i]!;
		if (isPlain(piece)) {
			// Its own text must be found where its offset says (pieces of one character share it).
			const end = start + codePointLength(piece);
			if (end > length || sliceCodePoints(text, start, end) !== piece) return undefined;
			spans.push({ start, end });
		} else {
			spans.push({ start, end: starts.slice(i + 1).find((s) => s > start) ?? length });
		}
	}
	return spans;
}

/** Cumulative lengths of the token texts, when they spell the prompt (plus any generated tail). */
function fromTexts(text: string, tokens: string[]): Span[] | undefined {
	if (!tokens.every(isPlain)) return undefined;
	const spans: Span[] = [];
	let joined = "";
	let at = 0;
	for (const piece of tokens) {
		if (joined.length >= text.length && spans.length > 0) break;
		const size = codePointLength(piece);
		spans.push({ start: at, end: at + size });
		at += size;
		joined += piece;
	}
	return joined === text ? spans : undefined;
}

/** Text that is the token's own characters: not `bytes:\xe2`, `token_id:5`, or a broken UTF-8 marker. */
function isPlain(piece: string): boolean {
	return !piece.startsWith("bytes:") && !/^token_id:\d+$/.test(piece) && !piece.includes("\uFFFD");
}

function problem(reason: string): SpanResult {
	return { kind: "problem", reason };
}
