import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sizeTrainingInteraction } from "../../src/analysis/interaction.js";
import { ols } from "../../src/analysis/ols.js";
import { tTwoSidedP } from "../../src/analysis/t-dist.js";
import { analyzeSummaryTable } from "../../src/analysis/table.js";
import { fixturePath } from "../../src/testing/fixtures.js";
import { runCli } from "../helpers/cli.js";

// Pythia's published total parameter counts, written out here on their own.
const pythiaParameters: Record<string, number> = {
	"pythia-70m": 70426624,
	"pythia-160m": 162322944,
	"pythia-410m": 405334016,
	"pythia-1b": 1011781632,
	"pythia-1.4b": 1414647808,
	"pythia-2.8b": 2775208960,
	"pythia-6.9b": 6857302016,
	"pythia-12b": 11846072320,
};

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is copied). */
function gaussSolve(a: number[][], b: number[]): number[] {
	const n = b.length;
	const m = a.map((row, i) => [...row, b[i]]);
	for (let c = 0; c < n; c++) {
		let pivot = c;
		for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
		[m[c], m[pivot]] = [m[pivot], m[c]];
		for (let r = c + 1; r < n; r++) {
			const f = m[r][c] / m[c][c];
			for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
		}
	}
	const x = new Array<number>(n).fill(0);
	for (let r = n - 1; r >= 0; r--) {
		let s = m[r][n];
		for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
		x[r] = s / m[r][r];
	}
	return x;
}

/** OLS by the normal equations: coefficients, and the standard error of the last one. */
function referenceOls(x: number[][], y: number[]): { beta: number[]; seLast: number; df: number } {
	const p = x[0].length;
	const xtx = Array.from({ length: p }, (_, i) =>
		Array.from({ length: p }, (_, j) => x.reduce((s, row) => s + row[i] * row[j], 0)),
	);
	const xty = Array.from({ length: p }, (_, i) => x.reduce((s, row, k) => s + row[i] * y[k], 0));
	const beta = gaussSolve(xtx, xty);
	const rss = x.reduce((s, row, k) => s + (y[k] - row.reduce((f, v, j) => f + v * beta[j], 0)) ** 2, 0);
	const df = x.length - p;
	const unit = Array.from({ length: p }, (_, i) => (i === p - 1 ? 1 : 0));
	const lastColumnOfInverse = gaussSolve(xtx, unit);
	return { beta, seLast: Math.sqrt((rss / df) * lastColumnOfInverse[p - 1]), df };
}

/** Two-sided t p-value by Simpson's rule on the unnormalised density, normalised numerically. */
function referenceP(t: number, df: number): number {
	const f = (u: number) => (1 + (u * u) / df) ** (-(df + 1) / 2);
	const simpson = (a: number, b: number, n: number) => {
		const h = (b - a) / n;
		let s = f(a) + f(b);
		for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
		return (s * h) / 3;
	};
	const half = simpson(0, 200, 400_000);
	return 1 - simpson(0, Math.abs(t), 200_000) / half;
}

function zScore(v: number[]): number[] {
	const m = v.reduce((a, b) => a + b, 0) / v.length;
	const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
	return v.map((x) => (x - m) / sd);
}

function referenceBh(p: number[]): number[] {
	const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
	const q = new Array<number>(p.length);
	let running = 1;
	for (let k = order.length - 1; k >= 0; k--) {
		running = Math.min(running, (p[order[k]] * p.length) / (k + 1));
		q[order[k]] = running;
	}
	return q;
}

describe("Student's t p-values", () => {
	it("match closed forms for 1 and 2 degrees of freedom and the tabulated 97.5% point for 60", () => {
		for (const t of [0.3, 1, 2.5, 7]) {
			expect(tTwoSidedP(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(t), 12);
			expect(tTwoSidedP(-t, 2)).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 12);
		}
		// Tables: t(0.975, 60) = 2.000298, t(0.995, 60) = 2.660283.
		expect(tTwoSidedP(2.000298, 60)).toBeCloseTo(0.05, 6);
		expect(tTwoSidedP(2.660283, 60)).toBeCloseTo(0.01, 6);
		expect(tTwoSidedP(0, 60)).toBeCloseTo(1, 12);
	});
});

describe("OLS", () => {
	it("recovers an exact plane and gives the textbook slope SE", () => {
		const x = [0, 1, 2, 3, 4].map((v) => [1, v]);
		const y = [1.1, 2.9, 5.2, 6.8, 9.1];
		const fit = ols(x, y)!;
		// Slope Sxy/Sxx = 19.9/10; residual variance over df 3; SE = √(s²/Sxx).
		expect(fit.coefficients[1]).toBeCloseTo(1.99, 12);
		const residuals = y.map((v, i) => v - (fit.coefficients[0] + fit.coefficients[1] * i));
		const s2 = residuals.reduce((a, r) => a + r * r, 0) / 3;
		expect(fit.se[1]).toBeCloseTo(Math.sqrt(s2 / 10), 12);
		expect(ols([[1], [1]], [1, 2])!.df).toBe(1);
		expect(
			ols(
				[
					[1, 2],
					[1, 2],
					[1, 2],
				],
				[1, 2, 3],
			),
		).toBeNull();
	});
	it("gives no interaction without a grid", () => {
		const ladder = [1e8, 1e9, 1e10].map((p) => ({ parameters: p, trainingTokens: 3e11, mean: 0.5 }));
		expect(sizeTrainingInteraction(ladder, "correct")).toBeNull();
	});
});

describe("the interaction's bootstrap interval", () => {
	it("matches the normal spread implied by the means' standard errors and the OLS weights", () => {
		const sizes = [1e8, 4e8, 1e9, 4e9];
		const tokens = [1e10, 4e10, 1e11, 3e11];
		const rows = sizes.flatMap((p, i) =>
			tokens.map((d, j) => ({
				model: `m${i}@${j}`,
				family: "f",
				parameters: p,
				trainingTokens: d,
				mean: 0.6 + 0.02 * i - 0.01 * j - 0.015 * i * j + 0.004 * ((i * 5 + j * 3) % 4),
				se: 0.005 + 0.001 * ((i + j) % 3),
			})),
		);
		const m = analyzeSummaryTable(rows, "correct", { x: "tokens", replicates: 20_000, seed: 5 });
		const i = m.interaction!;
		// The weights of the product coefficient, from the normal equations applied to unit responses.
		const zn = zScore(rows.map((r) => Math.log10(r.parameters)));
		const zd = zScore(rows.map((r) => Math.log10(r.trainingTokens)));
		const x = rows.map((_, k) => [1, zn[k], zd[k], zn[k] * zd[k]]);
		const w = rows.map(
			(_, k) =>
				referenceOls(
					x,
					rows.map((__, h) => (h === k ? 1 : 0)),
				).beta[3],
		);
		const sd = Math.sqrt(rows.reduce((s, r, k) => s + (w[k] * r.se) ** 2, 0));
		expect(i.estimate).toBeCloseTo(
			referenceOls(
				x,
				rows.map((r) => r.mean),
			).beta[3],
			12,
		);
		expect(i.interval!.level).toBe(0.95);
		expect((i.interval!.upper - i.interval!.lower) / (2 * 1.959964 * sd)).toBeCloseTo(1, 1);
		expect((i.interval!.upper + i.interval!.lower) / 2).toBeCloseTo(i.estimate, 3);
	});
});

describe("invscale analyze on Michaelov & Bergen's all_results.tsv", () => {
	it("gives each task's interaction t and p as an independent OLS, and names the tasks where inverse scaling grows with training", async () => {
		const tsv = fixturePath("michaelovBergen");
		const lines = readFileSync(tsv, "utf8").trim().split("\n");
		expect(lines[0].split("\t")).toEqual(["ModelName", "ModelRevision", "Task", "Accuracy", "Accuracy_SE"]);
		const byTask = new Map<string, { n: number; d: number; y: number }[]>();
		for (const line of lines.slice(1)) {
			const [model, revision, task, accuracy] = line.split("\t");
			const n = pythiaParameters[model.replace("EleutherAI/", "")];
			const d = Number(revision.replace("step", "")) * 2097152;
			if (!byTask.has(task)) byTask.set(task, []);
			byTask.get(task)!.push({ n, d, y: Number(accuracy) });
		}
		expect(byTask.size).toBe(12);
		const reference = new Map<string, { estimate: number; t: number; p: number; df: number }>();
		for (const [task, rows] of byTask) {
			expect(rows.length).toBe(64);
			const zn = zScore(rows.map((r) => Math.log10(r.n)));
			const zd = zScore(rows.map((r) => Math.log10(r.d)));
			const fit = referenceOls(
				rows.map((_, i) => [1, zn[i], zd[i], zn[i] * zd[i]]),
				rows.map((r) => r.y),
			);
			const t = fit.beta[3] / fit.seLast;
			reference.set(task, { estimate: fit.beta[3], t, p: referenceP(t, fit.df), df: fit.df });
		}
		const tasks = [...reference.keys()];
		const q = referenceBh(tasks.map((t) => reference.get(t)!.p));

		const json = await runCli(["analyze", tsv, "--x", "tokens", "--json", "--replicates", "200"]);
		expect(json.stderr).toBe("");
		expect(json.code).toBe(0);
		const out = JSON.parse(json.stdout);
		expect(out.format).toBe("michaelov-bergen");
		expect(out.tasks).toHaveLength(12);
		for (const t of out.tasks) {
			const ref = reference.get(t.task)!;
			expect(t.interaction.df).toBe(60);
			expect(t.interaction.estimate).toBeCloseTo(ref.estimate, 10);
			expect(t.interaction.t).toBeCloseTo(ref.t, 8);
			expect(t.interaction.p).toBeCloseTo(ref.p, 8);
			expect(t.interaction.q).toBeCloseTo(q[tasks.indexOf(t.task)], 8);
			// One trend per size along training tokens.
			expect(t.analysis.groups).toHaveLength(8);
		}
		const grows = tasks.filter((t, i) => reference.get(t)!.estimate < 0 && q[i] < 0.05);
		// Michaelov & Bergen's tasks with inverse scaling emerging in training are among them.
		expect(grows).toEqual(
			expect.arrayContaining(["isp_memo_trap", "isp_pattern_matching_suppression", "isp_hindsight_neglect"]),
		);
		expect(out.inverseGrowsWithTraining).toEqual(grows);

		const text = await runCli(["analyze", tsv, "--x", "tokens", "--replicates", "200"]);
		expect(text.code).toBe(0);
		const verdict = text.stdout.split("\n").find((l) => l.startsWith("Inverse scaling grows with training"));
		expect(verdict).toBeDefined();
		const named = verdict!.replace(/^.*: /, "").replace(/\.$/, "").split(", ");
		expect(named).toEqual(grows);
		expect(text.stdout).toMatch(/isp_memo_trap: Inverse in training tokens for /);
	}, 120_000);
});
