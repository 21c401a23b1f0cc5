import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statsOptions } from "../../src/cli/commands/report.js";
import { writeReport } from "../../src/report/index.js";
import { closeBrowserFolder, openBrowserFolder } from "../helpers/browser.js";
import { GRID_SIZES, GRID_STEPS, gridMean, makeGridRun } from "../helpers/grid-run.js";

let browser: Browser;
let work: string;

beforeAll(async () => {
	({ work, browser } = await openBrowserFolder());
});
afterAll(() => closeBrowserFolder({ work, browser }));

/** Least-squares slope of y on log10(x), written out. */
function slopePerDecade(x: number[], y: number[]): number {
	const t = x.map(Math.log10);
	const mt = t.reduce((a, b) => a + b, 0) / t.length;
	const my = y.reduce((a, b) => a + b, 0) / y.length;
	const num = t.reduce((s, v, i) => s + (v - mt) * (y[i] - my), 0);
	const den = t.reduce((s, v) => s + (v - mt) ** 2, 0);
	return num / den;
}

describe("a size × checkpoint run", () => {
	it("gives one trend per size along training tokens, the interaction and both grid charts in report.html", async () => {
		const dir = makeGridRun(join(work, "grid-task"));
		const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
		expect(run.schema).toBe("invscale.run/2");
		expect(run.models[0].coords.step).toBe(2000);

		const r = await writeReport(dir, {
			x: "tokens",
			replicates: 1000,
			png: false,
			generatedAt: "2024-05-01T00:00:00Z",
		});
		if (r.kind !== "task") throw new Error("expected a task report");
		const m = r.analysis.metrics[0];
		expect(m.along.axis).toBe("tokens");
		expect(m.along.groupBy).toEqual(["size"]);
		expect(m.groups.map((g) => g.label)).toEqual(GRID_SIZES.map(([name]) => name));
		const tokens = GRID_STEPS.map((s) => s * 2_097_152);
		GRID_SIZES.forEach((_, i) => {
			const expected = slopePerDecade(
				tokens,
				GRID_STEPS.map((_, j) => gridMean(i, j)),
			);
			expect(m.groups[i].trend.slope!.estimate).toBeCloseTo(expected, 10);
		});
		expect(m.groups.map((g) => g.trend.verdict)).toEqual(["positive", "positive", "inverse", "inverse"]);
		expect(m.along.statement).toBe(
			"Inverse in training tokens for pythia-410m and larger (2 of 4 sizes); the others: 2 positive scaling.",
		);
		// Loss rising with training for the larger sizes: in performance (−loss), a negative interaction.
		expect(m.interaction!.response).toBe("−loss");
		expect(m.interaction!.estimate).toBeLessThan(0);
		expect(m.interaction!.p).toBeLessThan(0.05);
		expect(r.analysis.rubric.strength.verdict).toBe("inverse");
		expect(r.analysis.rubric.strength.words).toMatch(
			/^Inverse in training tokens for pythia-410m and larger/,
		);
		// The examples compare the earliest and latest checkpoint of the largest size.
		expect(r.analysis.ends).toEqual({ low: "earliest checkpoint", high: "latest checkpoint" });
		expect(r.analysis.changes[0].low.model).toBe("pythia-1b-step2000");
		expect(r.analysis.changes[0].high.model).toBe("pythia-1b-step143000");

		const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
		await page.goto(pathToFileURL(r.htmlPath).href);
		const along = page.locator('figure[data-metric="loss"][data-chart="along"] svg');
		const transpose = page.locator('figure[data-metric="loss"][data-chart="transpose"] svg');
		// Along tokens: one line per size; the transpose: one line per checkpoint; 16 points each.
		expect(await along.locator(".lines_marks path").count()).toBe(4);
		expect(await along.locator(".points_marks path").count()).toBe(16);
		expect(await transpose.locator(".lines_marks path").count()).toBe(4);
		expect(await transpose.locator(".points_marks path").count()).toBe(16);
		expect(await along.locator(".labels_marks text").allTextContents()).toEqual(
			expect.arrayContaining(GRID_SIZES.map(([name]) => name)),
		);
		expect(await transpose.locator(".labels_marks text").allTextContents()).toEqual(
			expect.arrayContaining(["step 2000", "step 143000"]),
		);
		expect(await along.textContent()).toContain("Training tokens");
		expect(await transpose.textContent()).toContain("Parameters");
		expect(await page.textContent("#along-verdict")).toContain("pythia-410m and larger");
		expect(await page.locator('#verdict-table tr[data-verdict="inverse"]').count()).toBeGreaterThanOrEqual(2);
		expect(await page.locator("#interaction-table tbody tr").count()).toBeGreaterThanOrEqual(1);
		await page.close();
	}, 60_000);
	it("adjusts the tasks' interaction p-values with Benjamini–Hochberg in a report over several runs", async () => {
		const root = join(work, "two-grids");
		makeGridRun(join(root, "a"), "task-a", 1);
		makeGridRun(join(root, "b"), "task-b", 2);
		const r = await writeReport(root, { x: "tokens", replicates: 300, png: false });
		if (r.kind !== "tasks") throw new Error("expected a report over tasks");
		const ps = r.tasks.map((t) => t.analysis.metrics[0].interaction!.p);
		const [lo, hi] = [Math.min(...ps), Math.max(...ps)];
		// BH with two p-values: the larger keeps its p, the smaller gets min(2p, the larger).
		const expected = ps.map((p) => (p === hi ? hi : Math.min(2 * lo, hi)));
		expect(r.analysis.rows.map((row) => row.interaction!.q)).toEqual(expected);
		expect(readFileSync(r.htmlPath, "utf8")).toContain("Size × training");
	}, 60_000);
	it("groups as asked with --group-by: along compute, one line per size or one line in all", async () => {
		const dir = makeGridRun(join(work, "grid-compute"));
		const flags = { seed: "1", replicates: "300", x: "flops" };
		const bySize = await writeReport(dir, { ...statsOptions({ ...flags, groupBy: "size" }), png: false });
		const pooled = await writeReport(dir, { ...statsOptions(flags), png: false });
		if (bySize.kind !== "task" || pooled.kind !== "task") throw new Error("expected task reports");
		expect(bySize.analysis.metrics[0].groups.map((g) => g.label)).toEqual(GRID_SIZES.map(([n]) => n));
		// Compute spans size and training, so by default nothing splits the conditions.
		expect(pooled.analysis.metrics[0].groups).toEqual([]);
		expect(pooled.analysis.metrics[0].trend.n).toBe(16);
		expect(() => statsOptions({ ...flags, groupBy: "size,depth" })).toThrow(/unknown dimension "depth"/);
		expect(statsOptions({ ...flags, groupBy: "none" }).groupBy).toEqual([]);
	}, 60_000);
});

describe("a size × checkpoint run in a contest's private view", () => {
	it("names no model: groups, charts and verdicts use the private aliases", async () => {
		const { contestResult } = await import("../../src/contest/results-view.js");
		const dir = makeGridRun(join(work, "grid-private"));
		const text = JSON.stringify(contestResult(dir, { mode: "private" }));
		for (const [name] of GRID_SIZES) expect(text).not.toContain(name);
		expect(text).not.toContain("pythia");
		expect(text).toContain("private-16");
	}, 60_000);
});
