/** @module Accuracy in bins of the reasoning length actually used, checked on hand-counted cases. */
import { describe, expect, it } from "vitest";
import { lengthBins } from "../../src/generation/length-bins.js";

describe("length bins", () => {
	it("splits examples into equal-count bins by tokens used, with each bin's accuracy", () => {
		// 8 examples, lengths 10…80; right only when short.
		const rows = [10, 20, 30, 40, 50, 60, 70, 80].map((tokens) => ({
			tokens,
			correct: tokens <= 30 ? 1 : 0,
		}));
		const bins = lengthBins(rows, 4);
		expect(bins.map((b) => [b.from, b.to, b.correct.mean, b.correct.n])).toEqual([
			[10, 20, 1, 2],
			[30, 40, 0.5, 2],
			[50, 60, 0, 2],
			[70, 80, 0, 2],
		]);
	});

	it("keeps examples of one length in one bin, and gives none when every length is the same", () => {
		const rows = [5, 5, 5, 5, 5, 9].map((tokens, i) => ({ tokens, correct: i % 2 }));
		expect(lengthBins(rows, 3).map((b) => [b.from, b.to, b.correct.n])).toEqual([
			[5, 5, 5],
			[9, 9, 1],
		]);
		expect(
			lengthBins([
				{ tokens: 64, correct: 1 },
				{ tokens: 64, correct: 0 },
			]),
		).toEqual([]);
	});
});
