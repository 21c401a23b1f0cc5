import { describe, expect, it } from "vitest";
import {
	classificationMetrics,
	firstArgmax,
	logoddsMetrics,
	logSumExp,
	sequenceProbMetrics,
} from "./metrics.js";

describe("prize metrics from fixed log-probs (worked by hand)", () => {
	it("classification: loss, correct, predicted, total_logprob", () => {
		// Probabilities 0.5, 0.25, 0.125 on three classes: mass 0.875.
		const lp = [Math.log(0.5), Math.log(0.25), Math.log(0.125)];
		const right = classificationMetrics(lp, [" a", " b", " c"], 0);
		expect(right.total_logprob).toBeCloseTo(Math.log(0.875), 12);
		expect(right.loss).toBeCloseTo(-Math.log(0.5 / 0.875), 12); // 0.5596...
		expect(right.loss).toBeCloseTo(0.5596157879354227, 12);
		expect(right.correct).toBe(1);
		expect(right.predicted).toBe(" a");
		const wrong = classificationMetrics(lp, [" a", " b", " c"], 2);
		expect(wrong.loss).toBeCloseTo(Math.log(7), 12); // 0.875 / 0.125
		expect(wrong.correct).toBe(0);
		expect(wrong.predicted).toBe(" a");
	});

	it("classification ties go to the first class, as numpy's argmax", () => {
		const lp = [-1, -0.5, -0.5];
		expect(firstArgmax(lp)).toBe(1);
		expect(classificationMetrics(lp, ["x", "y", "z"], 2).correct).toBe(0);
	});

	it("sequence_prob: summed negative log-prob", () => {
		expect(sequenceProbMetrics([-0.25, -1.5, -0.125]).loss).toBe(1.875);
	});

	it("logodds: d = L(prompt) − L(other), sign by answer, correct on other_prompt", () => {
		// prompt: p(c0)=0.6, p(c1)=0.2 → L = ln 3; other: p(c0)=0.1, p(c1)=0.4 → L = ln 0.25.
		const prompt = [Math.log(0.6), Math.log(0.2)] as const;
		const other = [Math.log(0.1), Math.log(0.4)] as const;
		const a0 = logoddsMetrics(prompt, other, 0, false);
		expect(a0.logodds_difference).toBeCloseTo(Math.log(3) - Math.log(0.25), 12); // ln 12
		expect(a0.correct).toBe(0); // other_prompt prefers c1
		expect(a0.total_logprob).toBeCloseTo(Math.log(0.6 + 0.2 + 0.1 + 0.4), 12);
		const a1 = logoddsMetrics(prompt, other, 1, false);
		expect(a1.logodds_difference).toBeCloseTo(-Math.log(12), 12);
		expect(a1.correct).toBe(1);
		expect(logoddsMetrics(prompt, other, 1, true).logodds_difference).toBeCloseTo(Math.log(12), 12);
	});

	it("logsumexp stays finite far below exp's range", () => {
		expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.log(2), 10);
		expect(logSumExp([Number.NEGATIVE_INFINITY, -2])).toBe(-2);
	});
});
