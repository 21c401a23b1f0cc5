/**
 * The analysis options and flags: `analyze --invert` and `report --invert` end to end (the verdict
 * and the slope flip, against means and slopes recomputed here from the written CSVs), and each
 * flag on a constructed run that must raise it and one that must not.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeRun } from "../../src/analysis/run.js";
import type { RunInput } from "../../src/analysis/types.js";
import { runCli } from "../helpers/cli.js";
import { makeRunDir } from "../helpers/make-run-dir.js";
import { ladder, type SyntheticModel, syntheticRun } from "../helpers/synthetic-ladder.js";

const work = mkdtempSync(join(tmpdir(), "invscale-flags-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The prize's invert transform of a loss, written out here. */
const invertLoss = (loss: number) => -Math.log(1 - Math.exp(-loss));

/** Least-squares slope of y on log10(x). */
function slopeOnLog10(x: number[], y: number[]): number {
	const t = x.map(Math.log10);
	const mt = t.reduce((a, b) => a + b, 0) / t.length;
	const my = y.reduce((a, b) => a + b, 0) / y.length;
	let stt = 0;
	let sty = 0;
	for (let i = 0; i < t.length; i++) {
		stt += (t[i] - mt) ** 2;
		sty += (t[i] - mt) * (y[i] - my);
	}
	return sty / stt;
}

function csvColumn(path: string, column: string): number[] {
	return (parse(readFileSync(path, "utf8"), { columns: true }) as Record<string, string>[]).map((r) =>
		Number(r[column]),
	);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

interface MetricJson {
	metric: string;
	inverted: boolean;
	models: Array<{ name: string; mean: number }>;
	trend: { verdict: string; slope: { estimate: number } };
}

describe("--invert end to end", () => {
	// gpt2 … gpt2-xl, sizes as the prize's table gives them; per-example losses in (0.3, 1.6).
	const sizes: Record<string, number> = {
		gpt2: 124e6,
		"gpt2-medium": 355e6,
		"gpt2-large": 774e6,
		"gpt2-xl": 1.5e9,
	};
	const examples = 40;

	function prizeFolder(): string {
		const dir = join(work, "prize-folder");
		mkdirSync(dir, { recursive: true });
		Object.keys(sizes).forEach((name, m) => {
			const lines = Array.from({ length: examples }, (_, i) => {
				const loss = 0.5 + 0.25 * m + 0.2 * Math.sin(i * 1.7) + 0.01 * ((i * (m + 3)) % 7);
				return `${i},${loss},${loss < Math.LN2 ? 1 : 0},${loss < Math.LN2 ? " Yes" : " No"},-0.05`;
			});
			writeFileSync(
				join(dir, `${name}.csv`),
				`index,loss,correct,predicted,total_logprob\n${lines.join("\n")}\n`,
			);
		});
		return dir;
	}

	async function analyze(dir: string, invert: boolean): Promise<MetricJson> {
		const result = await runCli([
			"analyze",
			dir,
			"--json",
			"--replicates",
			"400",
			...(invert ? ["--invert"] : []),
		]);
		expect(result.stderr).toBe("");
		expect(result.code).toBe(0);
		return JSON.parse(result.stdout).metrics[0];
	}

	it("analyze --invert turns a rising loss into a falling inverted loss", { timeout: 60_000 }, async () => {
		const dir = prizeFolder();
		const names = Object.keys(sizes);
		const x = names.map((n) => sizes[n]);
		const losses = names.map((n) => csvColumn(join(dir, `${n}.csv`), "loss"));
		const [plain, inverted] = await Promise.all([analyze(dir, false), analyze(dir, true)]);

		expect(plain.inverted).toBe(false);
		expect(plain.models.map((m) => m.name)).toEqual(names);
		plain.models.forEach((m, i) => {
			expect(m.mean).toBeCloseTo(mean(losses[i]), 10);
		});
		const plainSlope = slopeOnLog10(x, losses.map(mean));
		expect(plainSlope).toBeGreaterThan(0.5);
		expect(plain.trend.slope.estimate).toBeCloseTo(plainSlope, 10);
		expect(plain.trend.verdict).toBe("inverse");

		expect(inverted.inverted).toBe(true);
		const invertedMeans = losses.map((l) => mean(l.map(invertLoss)));
		inverted.models.forEach((m, i) => {
			expect(m.mean).toBeCloseTo(invertedMeans[i], 10);
		});
		const invertedSlope = slopeOnLog10(x, invertedMeans);
		expect(invertedSlope).toBeLessThan(-0.5);
		expect(inverted.trend.slope.estimate).toBeCloseTo(invertedSlope, 10);
		expect(inverted.trend.verdict).toBe("positive");
	});

	it("report --invert writes the flipped verdict and slope into report.json", {
		timeout: 60_000,
	}, async () => {
		const models = ladder([0.8, 0.95, 1.1, 1.25]);
		const report = async (invert: boolean): Promise<MetricJson> => {
			const dir = makeRunDir(join(work, `run-${invert}`), models, {
				examples: 60,
				sharedSd: 0.1,
				noiseSd: 0.03,
			});
			const result = await runCli([
				"report",
				dir,
				"--replicates",
				"400",
				"--no-png",
				...(invert ? ["--invert"] : []),
			]);
			expect(result.code, result.stderr).toBe(0);
			return JSON.parse(readFileSync(join(dir, "report.json"), "utf8")).metrics[0];
		};
		const [plain, inverted] = await Promise.all([report(false), report(true)]);
		const dir = join(work, "run-true");
		const x = models.map((m) => m.parameters!);
		const losses = models.map((m) => csvColumn(join(dir, `${m.name}.csv`), "loss"));
		expect(Math.min(...losses.flat())).toBeGreaterThan(0);

		expect(plain.inverted).toBe(false);
		expect(plain.trend.verdict).toBe("inverse");
		expect(plain.trend.slope.estimate).toBeCloseTo(slopeOnLog10(x, losses.map(mean)), 10);

		expect(inverted.inverted).toBe(true);
		const invertedMeans = losses.map((l) => mean(l.map(invertLoss)));
		inverted.models.forEach((m, i) => {
			expect(m.mean).toBeCloseTo(invertedMeans[i], 10);
		});
		expect(inverted.trend.slope.estimate).toBeCloseTo(slopeOnLog10(x, invertedMeans), 10);
		expect(inverted.trend.slope.estimate).toBeLessThan(0);
		expect(inverted.trend.verdict).toBe("positive");
	});
});

const opts = { replicates: 300, seed: 5 };
const codes = (run: RunInput) => analyzeRun(run, opts).metrics[0].flags.map((f) => f.code);
const flagMessage = (run: RunInput, code: string) =>
	analyzeRun(run, opts).metrics[0].flags.find((f) => f.code === code)?.message;

/** Sets one example of one model to NaN (a row the model could not score). */
function withNaN(run: RunInput, model: number, example: number): RunInput {
	const columns = run.models[model].columns!;
	const loss = Array.from(columns.loss as ArrayLike<number>);
	loss[example] = Number.NaN;
	columns.loss = loss;
	return run;
}

describe("flags, each on a run that must raise it and one that must not", () => {
	const rising = [0.3, 0.35, 0.4, 0.45, 0.5];

	it("near-chance: every model within noise of ln 2, and not when the losses are far from it", () => {
		// Two classes per example: chance loss ln 2 ≈ 0.693. Means within 1% of it.
		const near = syntheticRun(ladder([0.69, 0.692, 0.695, 0.697, 0.7]), { examples: 400 });
		expect(codes(near)).toContain("near-chance");
		expect(flagMessage(near, "near-chance")).toContain("(0.693)");
		expect(codes(syntheticRun(ladder(rising), { examples: 400 }))).not.toContain("near-chance");
		// One model far from chance is enough to drop the flag.
		expect(codes(syntheticRun(ladder([0.69, 0.692, 0.695, 0.697, 0.3]), { examples: 400 }))).not.toContain(
			"near-chance",
		);
	});

	it("low-coverage: classes get under half of the mass, and not at 90%", () => {
		const low = syntheticRun(ladder(rising), { examples: 400, coverage: 0.3 });
		expect(codes(low)).toContain("low-coverage");
		expect(flagMessage(low, "low-coverage")).toContain("synthetic-0 (30%)");
		expect(codes(syntheticRun(ladder(rising), { examples: 400, coverage: 0.9 }))).not.toContain(
			"low-coverage",
		);
		expect(codes(syntheticRun(ladder(rising), { examples: 400, coverage: 0.5 }))).not.toContain(
			"low-coverage",
		);
	});

	it("few-examples: under the prize's 300, and not at 300", () => {
		expect(codes(syntheticRun(ladder(rising), { examples: 299 }))).toContain("few-examples");
		expect(codes(syntheticRun(ladder(rising), { examples: 300 }))).not.toContain("few-examples");
	});

	it("failed-models: a model that failed, and not when all ran", () => {
		const models: SyntheticModel[] = ladder(rising);
		models[2] = { ...models[2], status: "failed" };
		const run = syntheticRun(models, { examples: 300 });
		expect(codes(run)).toContain("failed-models");
		expect(flagMessage(run, "failed-models")).toContain("synthetic-2");
		expect(codes(syntheticRun(ladder(rising), { examples: 300 }))).not.toContain("failed-models");
	});

	it("size-unknown: a model with no size, and not when all are sized", () => {
		const models: SyntheticModel[] = ladder(rising);
		models[1] = { ...models[1], parameters: undefined };
		const run = syntheticRun(models, { examples: 300 });
		expect(codes(run)).toContain("size-unknown");
		expect(flagMessage(run, "size-unknown")).toContain("synthetic-1");
		expect(codes(syntheticRun(ladder(rising), { examples: 300 }))).not.toContain("size-unknown");
	});

	it("non-finite and dropped-examples: a NaN row, and neither without one", () => {
		const run = withNaN(syntheticRun(ladder(rising), { examples: 300 }), 3, 17);
		expect(codes(run)).toEqual(expect.arrayContaining(["non-finite", "dropped-examples"]));
		expect(flagMessage(run, "non-finite")).toContain("synthetic-3: 1 example(s)");
		expect(flagMessage(run, "dropped-examples")).toContain("the 299 examples shared");
		const clean = codes(syntheticRun(ladder(rising), { examples: 300 }));
		expect(clean).not.toContain("non-finite");
		expect(clean).not.toContain("dropped-examples");
	});

	it("spearman-floor: with 4 models the rank test cannot reach 0.05, with 5 it can", () => {
		// Smallest exact two-sided p: 2/4! = 0.083 for 4 models, 2/5! = 0.017 for 5.
		expect(codes(syntheticRun(ladder(rising.slice(0, 4)), { examples: 300 }))).toContain("spearman-floor");
		expect(codes(syntheticRun(ladder(rising), { examples: 300 }))).not.toContain("spearman-floor");
	});

	it("a clean run of 5 sized models, 300 examples, far from chance raises no flag", () => {
		expect(codes(syntheticRun(ladder(rising), { examples: 300 }))).toEqual([]);
	});
});
