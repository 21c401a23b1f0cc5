/** Matching published points to a run's models, and the z-score, on in-memory runs with numbers set by hand. */
import { describe, expect, it } from "vitest";
import { compareWithReference, type ReferencePoint } from "../../src/analysis/reference.js";
import { analyzeRun } from "../../src/analysis/run.js";
import type { ModelInput, RunInput } from "../../src/analysis/types.js";
import { parseReferenceTable } from "../../src/report/reference-read.js";

/** A classification run: each model answers `right` of 100 examples correctly. */
function run(models: { name: string; parameters: number; right: number }[]): RunInput {
	const n = 100;
	const inputs: ModelInput[] = models.map((m) => {
		const correct = Float64Array.from({ length: n }, (_, i) => (i < m.right ? 1 : 0));
		return {
			name: m.name,
			family: "opt",
			parameters: m.parameters,
			status: "ok",
			columns: {
				index: Int32Array.from({ length: n }, (_, i) => i),
				correct,
				loss: correct.map((c) => (c ? 0.3 : 1.5)),
			},
		};
	});
	return {
		task: {
			name: "neqa_classification",
			type: "classification",
			typeName: "classification_acc",
			examples: n,
		},
		plotted: "correct",
		models: inputs,
	};
}

const table = `model,family,parameters,training_tokens,task,metric,mean,se,n,source
opt-125m,opt,125M,180B,neqa,accuracy,0.60,0.05,300,Paper A
opt-1.3b,opt,1.3B,180B,isp_neqa,accuracy,0.40,,300,Paper A
opt-13b,opt,13B,180B,NeQA,accuracy,0.55,0.02,300,Paper A
opt-125m,opt,125M,180B,neqa,accuracy,0.52,0.04,300,Paper B
opt-125m,opt,125M,180B,memo-trap,accuracy,0.99,0.01,300,Paper A
`;

describe("compareWithReference", () => {
	const points: ReferencePoint[] = parseReferenceTable(table, "paper.csv");
	const analysis = analyzeRun(
		run([
			{ name: "opt-125m", parameters: 125e6, right: 50 },
			{ name: "OPT-1.3b", parameters: 1.3e9, right: 45 },
		]),
		{ replicates: 200 },
	);
	const result = compareWithReference(analysis, [{ name: "opt-125m" }, { name: "OPT-1.3b" }], points);
	const accuracy = result.metrics.find((m) => m.metric === "correct")!;

	it("compares each model with each source that has it, on the same task only", () => {
		expect(result.task).toBe("neqa");
		expect(result.sources).toEqual(["Paper A", "Paper B"]);
		expect(accuracy.comparisons.map((c) => `${c.model}/${c.source}`)).toEqual([
			"opt-125m/Paper A",
			"opt-125m/Paper B",
			"OPT-1.3b/Paper A",
		]);
		// Only accuracy is published: loss gets nothing.
		expect(result.metrics.map((m) => m.metric)).toEqual(["correct"]);
	});

	it("z = (ours − published) / √(se² + se²), with ours' SE = √(p(1−p)/n)", () => {
		const a = accuracy.comparisons[0];
		const se = Math.sqrt((0.5 * 0.5) / 100); // 0.05
		expect(a.ours.se).toBeCloseTo(se, 12);
		expect(a.difference).toBeCloseTo(-0.1, 12);
		expect(a.z).toBeCloseTo(-0.1 / Math.sqrt(se ** 2 + 0.05 ** 2), 12); // −1.414…
		expect(a.words).toBe("agrees with the published value");
		const b = accuracy.comparisons[1];
		expect(b.z).toBeCloseTo(-0.02 / Math.sqrt(se ** 2 + 0.04 ** 2), 12);
		// No published SE: the run's SE alone. 0.45 vs 0.40 with se √(0.45·0.55/100) = 0.04975 → z ≈ 1.005.
		const c = accuracy.comparisons[2];
		expect(c.published.se).toBeNull();
		expect(c.z).toBeCloseTo(0.05 / Math.sqrt((0.45 * 0.55) / 100), 12);
	});

	it("draws the run's models at their own x and the others at their published size", () => {
		const unmatched = accuracy.points.filter((p) => !p.matched);
		expect(unmatched.map((p) => [p.model, p.x, p.mean])).toEqual([["opt-13b", 13e9, 0.55]]);
		expect(accuracy.points.filter((p) => p.matched).map((p) => p.x)).toEqual([125e6, 125e6, 1.3e9]);
	});

	it("says plainly when a difference is large, and leaves inverted analyses alone", () => {
		const far = analyzeRun(run([{ name: "opt-13b", parameters: 13e9, right: 80 }]), { replicates: 200 });
		const c = compareWithReference(far, [{ name: "opt-13b" }], points).metrics[0].comparisons[0];
		const z = (0.8 - 0.55) / Math.sqrt(0.0016 + 0.0004);
		expect(c.z).toBeCloseTo(z, 12);
		expect(c.words).toBe(`differs by ${z.toFixed(1)} SE`); // 5.6
		const inverted = analyzeRun(run([{ name: "opt-13b", parameters: 13e9, right: 80 }]), {
			replicates: 200,
			invert: true,
		});
		expect(compareWithReference(inverted, [{ name: "opt-13b" }], points).metrics).toEqual([]);
	});

	it("matches checkpoints: by step when both have one, else the last checkpoint", () => {
		const steps: ReferencePoint[] = [1000, 5000, 9000].map((step, i) => ({
			model: "pythia-70m",
			task: "neqa",
			metric: "correct",
			mean: 0.5 + i * 0.1,
			se: 0.01,
			step,
			source: "S",
		}));
		const one = analyzeRun(run([{ name: "pythia-70m", parameters: 7e7, right: 50 }]), { replicates: 200 });
		const at = (ref: { name: string; step?: number; revision?: string }) =>
			compareWithReference(one, [ref], steps).metrics[0].comparisons[0]?.published.step;
		expect(at({ name: "pythia-70m" })).toBe(9000);
		expect(at({ name: "pythia-70m", step: 5000 })).toBe(5000);
		expect(at({ name: "pythia-70m", revision: "step1000" })).toBe(1000);
		expect(at({ name: "pythia-70m", step: 2000 })).toBeUndefined();
	});
});
