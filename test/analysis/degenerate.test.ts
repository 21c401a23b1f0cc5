/**
 * Degenerate data never gets a significant verdict: constant series at several levels, all-correct
 * and all-wrong conditions, one model, two identical models, a series constant except for one
 * model, missing or non-numeric standard errors; ties are named as monotone non-strict steps. Runs
 * (paired bootstrap over examples), summary tables (parametric bootstrap), families and budget
 * groups all go through the same rule.
 */
import { describe, expect, it } from "vitest";
import { analyzeRun } from "../../src/analysis/run.js";
import { analyzeSummaryTable, type SummaryRow } from "../../src/analysis/table.js";
import { analyzeTrend, type TrendResult } from "../../src/analysis/trend.js";
import type { ModelInput, RunInput } from "../../src/analysis/types.js";

const opts = { replicates: 2000, seed: 7 };
const examples = 300;

/** A run whose models answer the examples as given: `right[m]` is how many of the first examples model m gets right. */
function accuracyRun(
	right: number[],
	o: { examples?: number; coords?: ModelInput["coords"][] } = {},
): RunInput {
	const n = o.examples ?? examples;
	const index = Array.from({ length: n }, (_, i) => i);
	return {
		task: { name: "degenerate", type: "classification", typeName: "classification_acc", examples: n },
		plotted: "correct",
		models: right.map((r, m) => {
			const correct = index.map((i) => (i < r ? 1 : 0));
			return {
				name: `m${m}`,
				family: "f",
				parameters: 10 ** (8 + m / 2),
				...(o.coords && { coords: o.coords[m], model: `model-${m}` }),
				status: "ok" as const,
				columns: { index, correct, loss: correct.map((c) => (c ? 0.1 : 2.3)) },
			};
		}),
	};
}

const trendsOf = (run: RunInput): TrendResult[] =>
	analyzeRun(run, opts).metrics.flatMap((m) => [m.trend, ...m.families.map((f) => f.trend)]);

/** Never significant: not a direction, not a shape, and no p below 0.05. */
function expectNoClaim(t: TrendResult): void {
	expect(["flat", "inconclusive", "insufficient"]).toContain(t.verdict);
	if (t.slope?.p !== null && t.slope?.p !== undefined) expect(t.slope.p).toBeGreaterThanOrEqual(0.05);
}

describe("constant series", () => {
	for (const [level, right] of [
		[0, 0],
		[1, examples],
		[0.7, 210],
	] as const) {
		it(`is flat at accuracy ${level}, with slope exactly 0 and p = 1, for accuracy and loss`, () => {
			for (const t of trendsOf(accuracyRun([right, right, right, right, right, right]))) {
				expect(t.verdict).toBe("flat");
				expect(t.slope!.estimate).toBe(0);
				expect(t.slope!.interval).toMatchObject({ lower: 0, upper: 0 });
				expect(t.slope!.p).toBe(1);
				expect(t.monotonicity).toBe("constant");
				expect(t.quadratic!.turningX).toBeNull();
			}
		});
		it(`is flat at ${level} from a summary table (standard error √(p(1 − p)/n))`, () => {
			const se = Math.sqrt((level * (1 - level)) / examples);
			const rows: SummaryRow[] = [0, 1, 2, 3, 4].map((i) => ({
				model: `m${i}`,
				family: "f",
				parameters: 10 ** (8 + i),
				mean: level,
				se,
			}));
			const t = analyzeSummaryTable(rows, "correct", opts).trend;
			expectNoClaim(t);
			expect(t.slope!.estimate).toBe(0);
			if (se === 0) expect(t.verdict).toBe("flat");
		});
	}
});

describe("a series constant except for one model", () => {
	it("makes no claim when the odd model differs on one example of 300", () => {
		// Five models right on every example; the largest wrong on one. A third of the bootstrap
		// replicates (e^−1) leave that example out and give a slope of exactly 0.
		for (const t of trendsOf(accuracyRun([300, 300, 300, 300, 300, 299]))) {
			expectNoClaim(t);
			expect(t.monotonicity).toBe("non-strictly-inverse");
		}
	});
	it("names a real drop of the largest model inverse, monotone non-increasing but not strictly", () => {
		const t = analyzeRun(accuracyRun([300, 300, 300, 300, 300, 150]), opts).metrics[0].trend;
		expect(t.verdict).toBe("inverse");
		expect(t.monotonicity).toBe("non-strictly-inverse");
		expect(t.statement).toMatch(/accuracy is monotone non-increasing over 6 models \(not strictly/);
	});
});

describe("two identical models", () => {
	it("are flat with slope 0, alone or inside a ladder", () => {
		for (const t of trendsOf(accuracyRun([210, 210]))) {
			expect(t.verdict).toBe("flat");
			expect(t.slope!.estimate).toBe(0);
		}
		const rows: SummaryRow[] = [0, 1].map((i) => ({
			model: `m${i}`,
			family: "f",
			parameters: 10 ** (8 + i),
			mean: 0.62,
			se: 0.03,
		}));
		expectNoClaim(analyzeSummaryTable(rows, "correct", opts).trend);
	});
});

describe("all-correct and all-wrong conditions", () => {
	it("make no claim when every condition is all correct or all wrong: each has no spread", () => {
		// Right on every example, then wrong on every one: the bootstrap has no spread, so its
		// zero-width interval is no evidence (the series is monotone non-increasing, though).
		const t = analyzeRun(accuracyRun([300, 300, 300, 300, 0, 0, 0]), opts).metrics[0].trend;
		expectNoClaim(t);
		expect(t.verdict).toBe("inconclusive");
		expect(t.slope!.p).toBeNull();
		expect(t.statement).toMatch(/no spread/);
		expect(t.monotonicity).toBe("non-strictly-inverse");
		expect(t.statement).toMatch(/accuracy is monotone non-increasing over 7 models/);
	});
	it("labels 1,1,1,1,0,0,0 monotone non-increasing, for accuracy and (reversed) for loss", () => {
		const trend = (metric: "correct" | "loss", means: number[]) =>
			analyzeTrend({
				metric,
				names: means.map((_, i) => `m${i}`),
				x: means.map((_, i) => 10 ** (8 + i / 2)),
				means,
				replicates: null,
				columns: means.map((_, i) => i),
				flatBand: 0.01,
			});
		const acc = trend("correct", [1, 1, 1, 1, 0, 0, 0]);
		expect(acc.monotonicity).toBe("non-strictly-inverse");
		const loss = trend("loss", [1, 1, 1, 1, 0, 0, 0]);
		expect(loss.monotonicity).toBe("non-strictly-positive");
		expect(trend("loss", [0, 0, 1, 1]).monotonicity).toBe("non-strictly-inverse");
		expect(trend("loss", [0, 1, 0, 1]).monotonicity).toBe("not-monotone");
	});
});

describe("one model", () => {
	it("has no trend", () => {
		for (const t of trendsOf(accuracyRun([210]))) {
			expect(t.verdict).toBe("insufficient");
			expect(t.slope).toBeNull();
		}
	});
});

describe("missing or non-numeric standard errors", () => {
	const rows = (ses: (number | null)[]): SummaryRow[] =>
		[0.9, 0.8, 0.7, 0.6].map((mean, i) => ({
			model: `m${i}`,
			family: "f",
			parameters: 10 ** (8 + i),
			mean,
			se: ses[i],
		}));
	it("give no interval and no claim, however steep the means, and say why", () => {
		for (const ses of [
			[null, null, null, null],
			[0.01, 0.01, null, 0.01],
			[0.01, Number.NaN, 0.01, 0.01],
		]) {
			const m = analyzeSummaryTable(rows(ses), "correct", opts);
			expectNoClaim(m.trend);
			expect(m.trend.slope!.interval).toBeNull();
			expect(m.trend.slope!.p).toBeNull();
			expect(m.flags.map((f) => f.message).join("\n")).toMatch(
				/no standard error.*cannot go beyond inconclusive/,
			);
		}
	});
	it("a zero standard error everywhere is no evidence either", () => {
		const m = analyzeSummaryTable(rows([0, 0, 0, 0]), "correct", opts);
		expect(m.trend.verdict).toBe("inconclusive");
		expect(m.trend.slope!.p).toBeNull();
	});
});

describe("budget trends go through the same rule", () => {
	it("calls the model that is right at every budget flat, the one that flips not flat", () => {
		const budgets = [0, 1024, 2048, 4096, 8192, 16384];
		// Model A: right on every example up to 2048 tokens, then on 60%; model B: right everywhere.
		const right = [...budgets.map((b) => (b <= 2048 ? 300 : 180)), ...budgets.map(() => 300)];
		const coords = [...budgets, ...budgets].map((budget) => ({ budget }));
		const run = accuracyRun(right, { coords });
		run.models.forEach((m, i) => {
			m.model = i < budgets.length ? "model-a" : "model-b";
			m.parameters = undefined;
		});
		const m = analyzeRun(run, opts).metrics[0];
		expect(m.along.axis).toBe("budget");
		const byModel = new Map(m.groups.map((g) => [g.label, g.trend]));
		expect(byModel.size).toBe(2);
		const constant = [...byModel.entries()].find(([label]) => label.includes("model-b"))![1];
		expect(constant.verdict).toBe("flat");
		expect(constant.slope!.estimate).toBe(0);
		expect(constant.slope!.p).toBe(1);
		const flips = [...byModel.entries()].find(([label]) => label.includes("model-a"))![1];
		expect(flips.verdict).toBe("inverse");
		expect(m.along.statement).toMatch(/for model-a \(1 of 2 models\)/);
	});
});
