/**
 * A fast version of the bench's null study (`npm run bench -- verdicts`): simulated ladders with no
 * trend, run through `analyzeRun` at its default level, must not call "inverse" more often than
 * the test's α allows beyond a 95% binomial interval. α is this file's own 0.05, not the code's, so
 * a liberal test inside the code (α doubled, say) fails here.
 */
import { describe, expect, it } from "vitest";
import { runCell, wilson } from "../../src/bench/verdicts/cells.js";
import { defaultSpec, type SimMetric } from "../../src/bench/verdicts/ladders.js";

const alpha = 0.05;
const runs = 1200;

describe("false positives on null ladders", () => {
	for (const metric of ["correct", "loss"] as SimMetric[]) {
		it(`keeps "inverse" within α/2 and any direction within α (${metric}, 6 models, 100 examples)`, () => {
			const c = runCell({ spec: defaultSpec(metric, 6, 100, "params"), runs, seed: 1, replicates: 200 });
			expect(c.runs).toBe(runs);
			// The slope's interval is two-sided at α: "inverse" is its upper tail, α/2 of null runs.
			const inverse = wilson(c.verdicts.inverse, runs);
			expect(inverse[0], `inverse in ${c.verdicts.inverse} of ${runs}`).toBeLessThanOrEqual(alpha / 2);
			const direction = wilson(c.verdicts.inverse + c.verdicts.positive, runs);
			expect(
				direction[0],
				`a direction in ${c.verdicts.inverse + c.verdicts.positive} of ${runs}`,
			).toBeLessThanOrEqual(alpha);
			// And the rate is not zero either: a test that never fires would pass the bounds above.
			expect(direction[1]).toBeGreaterThanOrEqual(alpha / 2);
			// The slope p-values are valid: P(p ≤ α) within α beyond its interval.
			const small = c.p.filter((p) => p <= alpha).length;
			expect(wilson(small, runs)[0]).toBeLessThanOrEqual(alpha);
		}, 120_000);
	}
});

describe("the binomial interval", () => {
	it("is Wilson's score interval", () => {
		// 15 of 600 at z = 1.96: centre (0.025 + 1.92/600)/(1 + 3.84/600), half-width by hand.
		const z = 1.959963984540054;
		const n = 600;
		const p = 15 / n;
		const denom = 1 + (z * z) / n;
		const centre = (p + (z * z) / (2 * n)) / denom;
		const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
		const [lo, hi] = wilson(15, n);
		expect(lo).toBeCloseTo(centre - half, 12);
		expect(hi).toBeCloseTo(centre + half, 12);
		expect(lo).toBeCloseTo(0.01523, 4);
		expect(hi).toBeCloseTo(0.04083, 4);
	});
});
