/**
 * The power line beside the verdict: Φ(|slope|/se − z) from the run's bootstrap standard error of
 * the slope, the slope detected 80% of the time, and the sentence the report prints.
 */
import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile } from "../../src/analysis/normal.js";
import { designPower, detectableSlope, powerSentence, slopePower } from "../../src/analysis/power.js";
import { analyzeRun } from "../../src/analysis/run.js";
import { metricText } from "../../src/report/text.js";
import { ladder, syntheticRun } from "../helpers/synthetic-ladder.js";

describe("the normal distribution", () => {
	it("matches tabulated values", () => {
		// Tables: Φ(1.96) = 0.975002, Φ(−1) = 0.158655, Φ⁻¹(0.8) = 0.841621, Φ⁻¹(0.001) = −3.090232.
		expect(normalCdf(1.96)).toBeCloseTo(0.975002, 6);
		expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
		expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
		expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
		expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
	});
});

describe("power of the slope test", () => {
	it("is one half when the slope is z standard errors, and 80% at (z + 0.8416) standard errors", () => {
		expect(slopePower(1.959964 * 0.01, 0.01)).toBeCloseTo(0.5, 5);
		expect(slopePower(-1.959964 * 0.01, 0.01)).toBeCloseTo(0.5, 5);
		expect(detectableSlope(0.01)).toBeCloseTo((1.959964 + 0.841621) * 0.01, 6);
		expect(slopePower(detectableSlope(0.02), 0.02)).toBeCloseTo(0.8, 6);
		// At level 0.9, z = 1.644854.
		expect(detectableSlope(1, 0.9)).toBeCloseTo(1.644854 + 0.841621, 5);
	});

	it("is computed from the run's own bootstrap standard error, and printed beside the verdict", () => {
		const run = syntheticRun(ladder([1.0, 1.01, 1.02, 1.03, 1.04, 1.05]), { examples: 300, noiseSd: 0.3 });
		const m = analyzeRun(run, { replicates: 2000, seed: 5 }).metrics[0];
		const s = m.trend.slope!;
		expect(s.se).toBeGreaterThan(0);
		// The standard error is the spread of the slope's replicates: about a quarter of the 95% interval.
		expect(s.se! * 2 * 1.96).toBeCloseTo(s.interval!.upper - s.interval!.lower, 2);
		const p = designPower(m.trend, m.examplesUsed)!;
		expect(p).toMatchObject({ models: 6, examples: 300 });
		expect(p.power).toBeCloseTo(normalCdf(Math.abs(s.estimate) / s.se! - 1.959964), 6);
		expect(m.power).toEqual(p);
		const text = metricText(m, "synthetic");
		const pct = Math.round(p.power * 100);
		expect(text).toContain(
			`Power: with 6 models and 300 examples, a slope this size (+${s.estimate.toPrecision(2)} per decade of parameters) is detected ${pct}% of the time`,
		);
		expect(powerSentence(p, "decade of parameters")).toMatch(
			/80% of runs detect a slope of ±0\.\d+ per decade/,
		);
	});

	it("says nothing without a bootstrap spread", () => {
		const run = syntheticRun(ladder([1, 1, 1]), { examples: 50, sharedSd: 0, noiseSd: 0 });
		const m = analyzeRun(run, { replicates: 200 }).metrics[0];
		expect(m.power).toBeNull();
		expect(metricText(m, "t")).not.toMatch(/Power:/);
	});
});
