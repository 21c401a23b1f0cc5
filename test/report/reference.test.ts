/**
 * `report --reference` on a constructed run whose models are named like Pythia's: the published
 * points are drawn, and the differences and z-scores match an independent computation from the
 * published table (Michaelov & Bergen 2023, a committed copy in test/fixtures/data).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareWithReference } from "../../src/analysis/reference.js";
import { analyzeRun } from "../../src/analysis/run.js";
import { buildChartSpec } from "../../src/report/chart-spec.js";
import { loadRun } from "../../src/report/load-run.js";
import { addReferenceLayer } from "../../src/report/reference-chart.js";
import { parseReferenceTable } from "../../src/report/reference-read.js";
import { referenceCachePath } from "../../src/report/reference-sources.js";
import { fixturePath } from "../../src/testing/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { closeHubHome, openHubHome } from "../helpers/hub-home.js";
import type { HubServer } from "../helpers/hub-server.js";

/** The published table, a committed fixture (checked when a test first needs it). */
const table = (): string => fixturePath("michaelovBergen");
const n = 200;

/** The run: model name, parameters, examples answered correctly (of 200), checkpoint fields. */
const models = [
	{ name: "pythia-70m", parameters: 70_426_624, right: 180, family: "pythia-ckpt", revision: "step8000" },
	{ name: "pythia-160m", parameters: 162_322_944, right: 170, family: "pythia" },
	{ name: "pythia-410m", parameters: 405_334_016, right: 140, family: "pythia" },
	{ name: "pythia-1b", parameters: 1_011_781_632, right: 156, family: "pythia" },
	{ name: "pythia-1b-step64000", parameters: 1_011_781_632, right: 160, family: "pythia-ckpt" },
];

/** Published accuracy and SE from the TSV, read with nothing but split. */
function published(model: string, revision: string, task: string): { mean: number; se: number } {
	const row = readFileSync(table(), "utf8")
		.split("\n")
		.map((line) => line.split("\t"))
		.find((c) => c[0] === `EleutherAI/${model}` && c[1] === revision && c[2] === task);
	if (!row) throw new Error(`no row for ${model} ${revision} ${task}`);
	return { mean: Number(row[3]), se: Number(row[4]) };
}

/** Ours: mean k/n, SE = population SD / √n = √(p(1 − p)/n) for 0/1 values. */
function ours(right: number): { mean: number; se: number } {
	const p = right / n;
	return { mean: p, se: Math.sqrt((p * (1 - p)) / n) };
}

function writeRun(dir: string): void {
	mkdirSync(dir, { recursive: true });
	for (const m of models) {
		const lines = Array.from({ length: n }, (_, i) => {
			const correct = i < m.right ? 1 : 0;
			const loss = correct ? 0.2 : 1.9;
			return `${i},${loss},${correct},${correct ? '" Yes"' : '" No"'},-0.05`;
		});
		writeFileSync(
			join(dir, `${m.name}.csv`),
			`index,loss,correct,predicted,total_logprob\n${lines.join("\n")}\n`,
		);
	}
	const manifest = {
		schema: "invscale.run/1",
		invscaleVersion: "0.1.0",
		task: {
			name: "memo-trap_classification",
			file: "memo-trap_classification.jsonl",
			dataCopy: "memo-trap_classification.jsonl",
			sha256: "ab".repeat(32),
			type: "classification",
			typeName: "classification_acc",
			examples: n,
		},
		options: { boundary: "strict", truncate: "none", precision: "fast" },
		models: models.map((m) => ({
			name: m.name,
			family: m.family,
			source: `hf:test/${m.name}.gguf`,
			parameters: m.parameters,
			...(m.revision && { revision: m.revision }),
			status: "ok",
			examplesScored: n,
			tokensEvaluated: 1,
		})),
		startedAt: "2024-05-01T10:00:00.000Z",
		status: "complete",
	};
	writeFileSync(join(dir, "run.json"), JSON.stringify(manifest));
}

let work: string;
let hub: HubServer;
beforeAll(async () => {
	({ home: work, hub } = await openHubHome("invscale-reference-"));
});
afterAll(() => closeHubHome({ home: work, hub }));

describe("published results beside a run", () => {
	it("reads Michaelov & Bergen's table: Pythia sizes by name, tokens = step × 2,097,152, catalog task names", () => {
		const points = parseReferenceTable(readFileSync(table(), "utf8"), table());
		expect(points).toHaveLength(768);
		const p = points.find(
			(x) => x.model === "pythia-410m" && x.revision === "step64000" && x.task === "memo-trap",
		);
		expect(p).toMatchObject({
			family: "pythia",
			parameters: 405_334_016,
			step: 64000,
			trainingTokens: 64000 * 2_097_152,
			metric: "correct",
			mean: published("pythia-410m", "step64000", "isp_memo_trap").mean,
		});
		expect(new Set(points.map((x) => x.task))).toContain("pattern-matching-suppression");
	});

	it("gives the difference and z-score of every model in both, by name and by step", async () => {
		const dir = join(work, "run");
		writeRun(dir);
		const result = await runCli(
			["report", dir, "--reference", table(), "--replicates", "200", "--json", "--no-png"],
			{
				INVSCALE_HOME: work,
			},
		);
		expect(result.stderr).toBe("");
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout);
		const accuracy = json.tasks[0].reference.metrics.find((m: { metric: string }) => m.metric === "correct");
		const expected = [
			["pythia-70m", "step8000"],
			["pythia-160m", "step143000"],
			["pythia-410m", "step143000"],
			["pythia-1b", "step143000"],
			["pythia-1b-step64000", "step64000"],
		];
		expect(accuracy.comparisons.map((c: { model: string }) => c.model).sort()).toEqual(
			expected.map(([m]) => m).sort(),
		);
		for (const [model, revision] of expected) {
			const c = accuracy.comparisons.find((x: { model: string }) => x.model === model);
			const pub = published(model.replace(/-step\d+$/, ""), revision, "isp_memo_trap");
			const run = ours(models.find((m) => m.name === model)!.right);
			const z = (run.mean - pub.mean) / Math.sqrt(run.se ** 2 + pub.se ** 2);
			expect(c.published.revision, model).toBe(revision);
			expect(c.published.mean).toBeCloseTo(pub.mean, 12);
			expect(c.ours.mean).toBeCloseTo(run.mean, 12);
			expect(c.difference).toBeCloseTo(run.mean - pub.mean, 12);
			expect(c.z).toBeCloseTo(z, 9);
			expect(c.words).toBe(
				Math.abs(z) < 2 ? "agrees with the published value" : `differs by ${Math.abs(z).toFixed(1)} SE`,
			);
		}
		// 0.70 against 0.833 ± 0.012: far apart; 0.85 against 0.848: together.
		expect(accuracy.comparisons.find((c: { model: string }) => c.model === "pythia-410m").words).toMatch(
			/^differs by \d+\.\d SE$/,
		);
		expect(accuracy.comparisons.find((c: { model: string }) => c.model === "pythia-160m").agrees).toBe(true);
		// Loss is not in the published table: no comparison, no layer.
		expect(json.tasks[0].reference.metrics.map((m: { metric: string }) => m.metric)).toEqual(["correct"]);

		const html = readFileSync(join(dir, "report.html"), "utf8");
		expect(html).toContain('<h2 id="published">Published results</h2>');
		expect(html).toMatch(/<tr data-model="pythia-410m" data-agrees="false">/);
		expect(html).toMatch(/<tr data-model="pythia-160m" data-agrees="true">.*agrees with the published value/);
		const reportJson = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
		expect(reportJson.reference.metrics[0].comparisons).toHaveLength(5);
		// The plain text also says it.
		const text = await runCli(["report", dir, "--reference", table(), "--replicates", "200", "--no-png"], {
			INVSCALE_HOME: work,
		});
		expect(text.stdout).toMatch(
			/pythia-410m gets 0\.700 ± 0\.032 on memo-trap_classification \(accuracy\); Michaelov & Bergen \(2023\) report 0\.833 ± 0\.012 at step143000: differs by/,
		);
	}, 60_000);

	it("draws the published points: the run's models at their own x, the others at their Pythia sizes", () => {
		const dir = join(work, "run");
		const loaded = loadRun(dir);
		const analysis = analyzeRun(loaded.input, { replicates: 200 });
		const points = parseReferenceTable(readFileSync(table(), "utf8"), table());
		const reference = compareWithReference(
			analysis,
			[{ name: "pythia-160m" }],
			points,
			"memo-trap_classification",
		);
		const accuracy = analysis.metrics.find((m) => m.metric === "correct")!;
		const drawn = reference.metrics.find((m) => m.metric === "correct")!.points;
		// Matched: 160m, 410m, 1b (final checkpoint; the step models name their step). Unmatched sizes: 1.4b … 12b.
		const unmatched = drawn
			.filter((p) => !p.matched)
			.map((p) => p.model)
			.sort();
		expect(unmatched).toEqual(["pythia-1.4b", "pythia-12b", "pythia-2.8b", "pythia-6.9b"]);
		const twelve = drawn.find((p) => p.model === "pythia-12b")!;
		expect(twelve.x).toBe(11_846_072_320);
		expect(twelve.mean).toBe(published("pythia-12b", "step143000", "isp_memo_trap").mean);
		const spec = addReferenceLayer(buildChartSpec(accuracy, {}), drawn);
		const layer = spec.layer.find((l: { name?: string }) => l.name === "published");
		expect(layer.data.values).toHaveLength(drawn.length);
		// The y range holds every published bar.
		const domain = spec.layer.find(
			(l: { encoding?: { y?: { scale?: { domain?: number[] } } } }) => l.encoding?.y?.scale?.domain,
		).encoding.y.scale.domain as number[];
		for (const p of drawn) {
			expect(p.mean - (p.se ?? 0)).toBeGreaterThanOrEqual(domain[0]);
			expect(p.mean + (p.se ?? 0)).toBeLessThanOrEqual(domain[1]);
		}
	});

	it("adds a Published column to the combined table of a folder of runs", async () => {
		const folder = join(work, "folder");
		writeRun(join(folder, "memo-trap_classification"));
		const result = await runCli(
			["report", folder, "--reference", table(), "--replicates", "200", "--no-png"],
			{
				INVSCALE_HOME: work,
			},
		);
		expect(result.code).toBe(0);
		const index = readFileSync(join(folder, "report.html"), "utf8");
		expect(index).toContain("<th>Published</th>");
		// 410m differs (z ≈ −3.9); the other four agree (|z| < 2), as the test above computes.
		expect(index).toMatch(/<tr data-task="memo-trap_classification">.*<td>4 of 5 agree<\/td><\/tr>/);
	}, 60_000);

	it("fetches a reference by URL once, caches it, and uses the cache offline", async () => {
		const dir = join(work, "run");
		hub.addFile("jm/ei", "all_results.tsv", readFileSync(table()));
		const url = `${hub.endpoint}/jm/ei/resolve/main/all_results.tsv`;
		const first = await runCli(
			["report", dir, "--reference", url, "--replicates", "200", "--json", "--no-png"],
			{
				INVSCALE_HOME: work,
			},
		);
		expect(first.code).toBe(0);
		expect(JSON.parse(first.stdout).references[0].points).toBe(768);
		expect(readFileSync(referenceCachePath(url, { INVSCALE_HOME: work }), "utf8")).toBe(
			readFileSync(table(), "utf8"),
		);
		const requests = hub.requests.length;
		const offline = await runCli(
			["report", dir, "--reference", url, "--replicates", "200", "--json", "--no-png"],
			{
				INVSCALE_HOME: work,
				INVSCALE_OFFLINE: "1",
			},
		);
		expect(offline.code).toBe(0);
		expect(hub.requests.length).toBe(requests);
		const uncached = await runCli(["report", dir, "--reference", "michaelov-bergen-2023", "--no-png"], {
			INVSCALE_HOME: mkdtempSync(join(tmpdir(), "invscale-empty-")),
			INVSCALE_OFFLINE: "1",
		});
		expect(uncached.code).toBe(1);
		expect(uncached.stderr).toMatch(
			/offline, and the reference table https:\/\/raw\.githubusercontent\.com\/jmichaelov\/emergent-inabilities\/.*all_results\.tsv is not cached/,
		);
	}, 60_000);

	it("says plainly that no public OPT table exists, and names a bad row of a long-format table", async () => {
		const dir = join(work, "run");
		const opt = await runCli(["report", dir, "--reference", "lm-eval-opt", "--no-png"], {
			INVSCALE_HOME: work,
		});
		expect(opt.code).toBe(1);
		expect(opt.stderr).toMatch(/No stable public table of lm-evaluation-harness numbers for OPT/);
		const bad = join(work, "bad.csv");
		writeFileSync(
			bad,
			"model,family,parameters,training_tokens,task,metric,mean,se,n,source\nopt-125m,opt,125M,180B,memo-trap,accuracy,0.9,oops,936,paper\n",
		);
		const result = await runCli(["report", dir, "--reference", bad, "--no-png"], { INVSCALE_HOME: work });
		expect(result.stderr).toMatch(/bad\.csv: row 2, column "se": "oops" is not a number/);
	}, 60_000);
});
