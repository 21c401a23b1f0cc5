/**
 * @module Where a prompt ends and its class (or completion) begins, in the tokenization of the
 * joined string, found by character offsets (code points) as the prize's API path did.
 *
 * strict (default): some token must start exactly at the join, and no token may cross it.
 * lenient: a token that crosses the join is counted as part of the continuation, so the context is
 * cut at the last token boundary before the join and the crossing token is scored with the class.
 */
import type { Token } from "../backends/types.js";
import type { BoundaryMode } from "../run/manifest.js";

export type BoundaryResult =
	| { kind: "ok" /** Index of the first continuation token. */; index: number; straddled: boolean }
	| { kind: "straddle"; token: Token; index: number }
	| { kind: "empty" };

/** Boundary method names recorded with results. */
export const boundaryMethods: Record<BoundaryMode, string> = {
	strict: "joint-tokenization-offsets-strict",
	lenient: "joint-tokenization-offsets-lenient",
};

/** Finds the first continuation token for a join at code-point offset `join`. */
export function findBoundary(tokens: Token[], join: number, mode: BoundaryMode): BoundaryResult {
	for (let i = 0; i < tokens.length; i++) {
		const token = tokens[i];
		if (token.end <= join && token.end > token.start) continue;
		if (token.start >= join) {
			// Zero-width tokens (a SentencePiece space prefix) at the join belong to the continuation.
			return { kind: "ok", index: i, straddled: false };
		}
		if (token.end <= join) continue;
		// token.start < join < token.end: the token covers both sides.
		if (mode === "strict") return { kind: "straddle", token, index: i };
		return { kind: "ok", index: i, straddled: true };
	}
	return { kind: "empty" };
}
