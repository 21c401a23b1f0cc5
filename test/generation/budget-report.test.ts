/**
 * @module The report of a budget sweep: accuracy (and loss, where read) along the reasoning budget,
 * one line per model, a verdict naming the axis and the model, and the examples that got worse
 * with each end's reasoning and final answer.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Backend } from "../../src/backends/types.js";
import { runEval } from "../../src/engine/run-eval.js";
import { parseBudgets } from "../../src/generation/budget.js";
import type { LadderModel } from "../../src/ladders/types.js";
import { runCli } from "../helpers/cli.js";
import { scriptedChat, scriptedCompleter } from "../helpers/scripted-generation.js";

const N = 40;
const right = (i: number) => "AB"[i % 2];
const wrong = (i: number) => "AB"[1 - (i % 2)];

async function sweep(backends: Record<string, Backend>, budgets: string) {
	const dir = mkdtempSync(join(tmpdir(), "invscale-gen-report-"));
	const rows = Array.from({ length: N }, (_, i) => `"Q${i}: which one?","[' yes', ' no']",${i % 2}`);
	writeFileSync(join(dir, "pick.csv"), `prompt,classes,answer_index\n${rows.join("\n")}\n`);
	const models: LadderModel[] = Object.keys(backends).map((name) => ({
		name,
		family: "claude",
		source: { kind: "anthropic", baseUrls: ["http://scripted.invalid"], model: name },
	}));
	const outcome = await runEval({
		tasks: [join(dir, "pick.csv")],
		models,
		outDir: join(dir, "runs"),
		store: false,
		openBackend: async (m) => backends[m.name],
		generation: { budgets: parseBudgets(budgets) },
	});
	expect(outcome.status).toBe("complete");
	const read = (f: string) => readFileSync(join(dir, "runs", "pick", f), "utf8");
	return { report: JSON.parse(read("report.json")), html: read("report.html") };
}

describe("the report of a reasoning-budget sweep", () => {
	it("names the axis and the model that gets worse with more reasoning", async () => {
		// sonnet: wrong on the last budget/200 examples (0, 5, 10, 20 of 40); haiku: right on 3 of 4 at every budget.
		const sonnet = scriptedChat("anthropic", (i, b) => (i < N - b / 200 ? right(i) : wrong(i)), "sonnet");
		const haiku = scriptedChat("anthropic", (i) => (i % 4 ? right(i) : wrong(i)), "haiku");
		const { report, html } = await sweep({ sonnet, haiku }, "0,1024,2048,4096");
		const [accuracy] = report.metrics;
		expect(report.options.x).toBe("budget");
		expect(accuracy.metric).toBe("correct");
		expect(accuracy.along).toMatchObject({ axis: "budget", groupBy: ["model"] });
		expect(accuracy.along.statement).toBe(
			"Inverse in reasoning budget for sonnet (1 of 2 models); the others: 1 flat.",
		);
		const means = (model: string) =>
			accuracy.models
				.filter((p: { name: string }) => p.name.startsWith(model))
				.map((p: { mean: number }) => p.mean);
		expect(means("sonnet")).toEqual([1, 35 / 40, 30 / 40, 20 / 40]);
		expect(means("haiku")).toEqual([0.75, 0.75, 0.75, 0.75]);
		expect(html).toContain("Inverse in reasoning budget for sonnet (1 of 2 models)");
		// The models table: every answer read; reasoning tokens as the API reported them (min(budget, 7 + i), mean over i).
		expect(html).toContain('<th class="num">Answers read</th><th class="num">Reasoning tokens</th>');
		const meanTokens = (b: number) =>
			Array.from({ length: N }, (_, i) => Math.min(b, 7 + i)).reduce((x, y) => x + y, 0) / N;
		const row = html.slice(html.indexOf('<tr data-model="sonnet-budget1024">'));
		expect(row.slice(0, row.indexOf("</tr>"))).toContain(
			`<td class="num">100.0%</td><td class="num">${meanTokens(1024).toFixed(1)}</td>`,
		);
		// The examples that got worse (within sonnet): its reasoning and answers at budgets 0 and 4096.
		expect(report.changes[0]).toMatchObject({
			low: {
				model: "sonnet-budget0",
				value: 1,
				predicted: right(report.changes[0].index) === "A" ? " yes" : " no",
			},
			high: { model: "sonnet-budget4096", value: 0 },
		});
		const block = html.slice(html.indexOf(`data-index="${report.changes[0].index}"`));
		expect(block).toMatch(
			/sonnet-budget0: answered <code>&quot;[AB]&quot;<\/code><\/div><div class="muted">No reasoning \(0 tokens\)/,
		);
		expect(block).toMatch(
			/sonnet-budget4096: answered <code>&quot;[AB]&quot;<\/code><\/div><details><summary>Reasoning \(\d+ tokens\)<\/summary><pre>thinking about Q\d+/,
		);
	});

	it("plots the loss after the answer cue along the budget beside generated accuracy when forcing", async () => {
		const forced = scriptedCompleter(
			(i, thought) => ` ${thought >= 30 ? wrong(i) : right(i)}`,
			(i) => 10 + i,
		);
		const { report } = await sweep({ forced }, "0,16,64");
		expect(report.metrics.map((m: { metric: string }) => m.metric)).toEqual(["correct", "loss"]);
		const loss = report.metrics[1];
		expect(loss.along.axis).toBe("budget");
		expect(loss.models.map((p: { x: number }) => p.x)).toEqual([0, 16, 64]);
		expect(loss.models.every((p: { n: number }) => p.n === N)).toBe(true);
	});
});

describe("invscale analyze on a table of accuracy against budget", () => {
	it("draws one line per model and names the one that gets worse", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-gen-table-"));
		const table = join(dir, "ttc.csv");
		// Accuracy falls by 0.1 per budget step for sonnet, stays at 0.70 for haiku.
		const rows = [0, 1024, 4096, 16384].flatMap((b, k) => [
			`sonnet,claude,${b},${(0.9 - 0.1 * k).toFixed(2)},0.01,1000`,
			`haiku,claude,${b},0.70,0.014,1000`,
		]);
		writeFileSync(table, `model,family,budget,mean,se,n\n${rows.join("\n")}\n`);
		const r = await runCli(["analyze", table, "--metric", "accuracy"]);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toContain("Inverse in reasoning budget for sonnet (1 of 2 models); the others: 1 flat.");
		expect(r.stdout).toMatch(/sonnet: Inverse scaling, slope −0\.\d+ per doubling of 1 \+ budget/);
	}, 60_000);
});
