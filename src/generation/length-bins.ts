/**
 * @module "Natural" reasoning length: a condition's examples binned by the reasoning tokens they
 * actually used (equal-count bins, as Gema et al. 2025 do), with the accuracy in each bin, so a
 * fall in accuracy with longer chosen reasoning shows even without a budget sweep.
 */
import { meanSe } from "../analysis/descriptive.js";
import type { MeanSe } from "../run/manifest.js";

export interface LengthBin {
	/** Reasoning tokens of the shortest and longest example in the bin (inclusive). */
	from: number;
	to: number;
	/** Accuracy of the bin's examples (mean of their per-example accuracy). */
	correct: MeanSe;
}

/**
 * Up to `bins` bins of about equal size over examples sorted by reasoning tokens; examples with
 * the same length always share a bin. Empty when fewer than two lengths occur.
 */
export function lengthBins(rows: ReadonlyArray<{ tokens: number; correct: number }>, bins = 4): LengthBin[] {
	const sorted = [...rows].sort((a, b) => a.tokens - b.tokens);
	if (sorted.length === 0 || sorted[0].tokens === sorted[sorted.length - 1].tokens) return [];
	const out: LengthBin[] = [];
	let start = 0;
	for (let b = 1; b <= bins && start < sorted.length; b++) {
		let end = Math.max(start + 1, Math.round((b * sorted.length) / bins));
		// Keep ties together: extend the bin over every example of its last length.
		while (end < sorted.length && sorted[end].tokens === sorted[end - 1].tokens) end++;
		const part = sorted.slice(start, end);
		out.push({
			from: part[0].tokens,
			to: part[part.length - 1].tokens,
			correct: meanSe(part.map((r) => r.correct)),
		});
		start = end;
	}
	return out;
}
