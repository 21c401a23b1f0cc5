import { describe, expect, it } from "vitest";
import { analyzeRun } from "../../src/analysis/run.js";
import { analyzeTrend, decideVerdict } from "../../src/analysis/trend.js";
import { ladder, syntheticRun } from "../helpers/synthetic-ladder.js";

const opts = { replicates: 1000, seed: 11 };
const verdictOf = (means: number[], o: Parameters<typeof syntheticRun>[1] = { examples: 300 }) =>
	analyzeRun(syntheticRun(ladder(means), o), opts).metrics[0].trend;

describe("shape verdicts on constructed ladders (loss: higher is worse)", () => {
	it("calls a loss rising with size inverse scaling", () => {
		const t = verdictOf([0.8, 0.9, 1.0, 1.1, 1.2]);
		expect(t.verdict).toBe("inverse");
		// Means rise 0.1 per half decade: 0.2 per decade, exactly (sample means are set exactly).
		expect(t.slope!.estimate).toBeCloseTo(0.2, 9);
		expect(t.slope!.interval!.lower).toBeGreaterThan(0);
		expect(t.monotonicity).toBe("strictly-inverse");
		expect(t.statement).toMatch(/^Inverse scaling/);
	});
	it("calls a falling loss positive scaling", () => {
		const t = verdictOf([1.2, 1.1, 1.0, 0.9, 0.8]);
		expect(t.verdict).toBe("positive");
		expect(t.monotonicity).toBe("strictly-positive");
	});
	it("calls worse-then-better U-shaped (loss rises then falls)", () => {
		const t = verdictOf([0.8, 1.0, 1.1, 1.0, 0.8]);
		expect(t.verdict).toBe("u-shaped");
		expect(t.quadratic!.turningInRange).toBe(true);
		// Symmetric means: the turning point is the middle model, 10^9 parameters.
		expect(Math.log10(t.quadratic!.turningX!)).toBeCloseTo(9, 6);
	});
	it("calls better-then-worse an inverted U (loss falls then rises)", () => {
		expect(verdictOf([1.1, 0.95, 0.9, 0.95, 1.1]).verdict).toBe("inverted-u");
	});
	it("calls a constant ladder flat", () => {
		const t = verdictOf([1.0, 1.0, 1.0, 1.0, 1.0]);
		expect(t.verdict).toBe("flat");
		expect(t.slope!.estimate).toBeCloseTo(0, 9);
	});
	it("calls a small difference buried in noise inconclusive", () => {
		const t = verdictOf([1.0, 1.02, 0.99, 1.03], { examples: 40, sharedSd: 0.1, noiseSd: 1.5 });
		expect(t.verdict).toBe("inconclusive");
		expect(t.slope!.interval!.lower).toBeLessThan(0);
		expect(t.slope!.interval!.upper).toBeGreaterThan(0);
	});
	it("says there is no trend with a single model", () => {
		const t = verdictOf([1.0]);
		expect(t.verdict).toBe("insufficient");
		expect(t.statement).toMatch(/one model/);
	});
});

describe("direction per metric", () => {
	it("treats falling accuracy as inverse", () => {
		const t = analyzeTrend({
			metric: "correct",
			names: ["a", "b", "c"],
			x: [1e8, 1e9, 1e10],
			means: [0.9, 0.8, 0.7],
			replicates: null,
			columns: [0, 1, 2],
			flatBand: 0.01,
		});
		expect(t.slope!.estimate).toBeCloseTo(-0.1, 12);
		expect(t.monotonicity).toBe("strictly-inverse");
		// Without replicates there is no interval, so no claim beyond "inconclusive".
		expect(t.verdict).toBe("inconclusive");
		const iv = { lower: -0.12, upper: -0.08, level: 0.95 };
		expect(decideVerdict(-1, { estimate: -0.1, interval: iv, se: 0.01, p: 0.001 }, null, 0.01)).toBe(
			"inverse",
		);
		expect(decideVerdict(1, { estimate: -0.1, interval: iv, se: 0.01, p: 0.001 }, null, 0.01)).toBe(
			"positive",
		);
	});
	it("treats a rising log-odds difference as inverse", () => {
		const r = analyzeRun(
			syntheticRun(ladder([0.1, 0.3, 0.5, 0.7]), { examples: 300, type: "logodds" }),
			opts,
		);
		expect(r.metrics[0].metric).toBe("logodds_difference");
		expect(r.metrics[0].trend.verdict).toBe("inverse");
	});
});

describe("families and generality", () => {
	it("counts the families with an inverse trend", () => {
		const models = [
			...ladder([0.8, 1.0, 1.2], "alpha"),
			...ladder([1.2, 1.0, 0.8], "beta"),
			...ladder([0.7, 0.9, 1.1], "gamma", 8.2),
		];
		const m = analyzeRun(syntheticRun(models, { examples: 300 }), opts).metrics[0];
		expect(m.families.map((f) => [f.family, f.trend.verdict])).toEqual([
			["alpha", "inverse"],
			["beta", "positive"],
			["gamma", "inverse"],
		]);
		expect(m.generality).toEqual({ inverse: 2, families: 3 });
	});
});
