import { describe, expect, it } from "vitest";
import { findBoundary } from "./boundary.js";

const t = (start: number, end: number, id = 0) => ({ id, start, end });

describe("boundary by code-point offsets", () => {
	it("finds the first token starting at the join", () => {
		// "Is it?" + " Yes" as SentencePiece splits it: ▁I|s|▁it|?|▁|Y|es
		const tokens = [t(0, 1), t(1, 2), t(2, 5), t(5, 6), t(6, 7), t(7, 8), t(8, 10)];
		expect(findBoundary(tokens, 6, "strict")).toEqual({ kind: "ok", index: 4, straddled: false });
	});

	it("a token across the join is an error in strict mode and part of the class in lenient mode", () => {
		// "Answer" + "ing": one token "Answering" covers both sides.
		const tokens = [t(0, 9)];
		expect(findBoundary(tokens, 6, "strict")).toMatchObject({ kind: "straddle", index: 0 });
		expect(findBoundary(tokens, 6, "lenient")).toEqual({ kind: "ok", index: 0, straddled: true });
	});

	it("zero-width tokens before the join stay in the context; at the join they start the class", () => {
		const tokens = [t(0, 0), t(0, 3), t(3, 3), t(3, 5)];
		expect(findBoundary(tokens, 3, "strict")).toEqual({ kind: "ok", index: 2, straddled: false });
		expect(findBoundary(tokens, 0, "strict")).toEqual({ kind: "ok", index: 0, straddled: false });
	});

	it("no tokens after the join", () => {
		expect(findBoundary([t(0, 3)], 3, "strict")).toEqual({ kind: "empty" });
	});
});
