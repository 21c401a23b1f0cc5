/**
 * Flat is flat through the commands a user runs: `analyze` on a table whose mean is the same at
 * every size, `report` on a run whose models answer every example alike, and `report --reference`
 * beside a published table. None of them may say "Inverse" or "Positive".
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../src/testing/fixtures.js";
import { runCli } from "../helpers/cli.js";

const TABLE = fixturePath("michaelovBergen");
const n = 200;
const pythia = [
	["pythia-70m", 70_426_624],
	["pythia-160m", 162_322_944],
	["pythia-410m", 405_334_016],
	["pythia-1b", 1_011_781_632],
	["pythia-1.4b", 1_414_647_808],
] as const;

/** A run of the Pythia models named above; `right[m]` of the 200 examples answered correctly (the same ones). */
function writeRun(dir: string, right: number[]): void {
	mkdirSync(dir, { recursive: true });
	pythia.forEach(([name], m) => {
		const lines = Array.from({ length: n }, (_, i) => {
			const correct = i < right[m] ? 1 : 0;
			return `${i},${correct ? 0.2 : 1.9},${correct},${correct ? '" Yes"' : '" No"'},-0.05`;
		});
		writeFileSync(
			join(dir, `${name}.csv`),
			`index,loss,correct,predicted,total_logprob\n${lines.join("\n")}\n`,
		);
	});
	writeFileSync(
		join(dir, "run.json"),
		JSON.stringify({
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
			models: pythia.map(([name, parameters]) => ({
				name,
				family: "pythia",
				source: `hf:test/${name}.gguf`,
				parameters,
				status: "ok",
				examplesScored: n,
				tokensEvaluated: 1,
			})),
			startedAt: "2024-05-01T10:00:00.000Z",
			status: "complete",
		}),
	);
}

let work: string;
beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), "invscale-flat-"));
});

const noDirection = /Inverse|Positive|U-shaped|Inverted U/;

describe("analyze on a table with the same mean at every size", () => {
	for (const [mean, se] of [
		[1, 0],
		[0, 0],
		[0.7, 0],
		[0.7, Math.sqrt((0.7 * 0.3) / 300)],
	]) {
		it(`gives no direction at accuracy ${mean} (se ${se.toFixed(4)}), and Flat when nothing varies`, async () => {
			const file = join(work, `table-${mean}.csv`);
			const rows = ["125M", "350M", "1.3B", "2.7B", "6.7B", "13B"].map(
				(size, i) => `opt-${i},opt,${size},${mean},${se}`,
			);
			writeFileSync(file, `model,family,parameters,mean,se\n${rows.join("\n")}\n`);
			const result = await runCli(["analyze", file, "--metric", "accuracy", "--replicates", "500"]);
			expect(result.stderr).toBe("");
			// With standard errors of 0.026 the interval (±0.03) is wider than the flat band: inconclusive.
			expect(result.stdout).toMatch(
				se === 0
					? /^Flat: accuracy changes by \+?0 per decade/m
					: /^Inconclusive: accuracy changes by \+?0 per decade/m,
			);
			expect(result.stdout).not.toMatch(noDirection);
		}, 120_000);
	}
	it("says Inconclusive, not a direction, without standard errors", async () => {
		const file = join(work, "table-nose.csv");
		writeFileSync(file, "model,family,parameters,mean\na,f,1B,0.9\nb,f,10B,0.8\nc,f,100B,0.7\n");
		const result = await runCli(["analyze", file, "--metric", "accuracy", "--replicates", "500"]);
		expect(result.stdout).toMatch(/^Inconclusive: .*without standard errors there is no interval/m);
		expect(result.stdout).toMatch(/no standard error; without one for every model/);
		expect(result.stdout).not.toMatch(noDirection);
	}, 120_000);
});

describe("report on a run whose models answer every example alike", () => {
	for (const right of [n, 0, 140]) {
		it(`is flat in every metric at ${right} of ${n} right, in report.json and in the text`, async () => {
			const dir = join(work, `run-${right}`);
			writeRun(dir, [right, right, right, right, right]);
			const result = await runCli(["report", dir, "--replicates", "500", "--no-png"], {
				INVSCALE_HOME: work,
			});
			expect(result.code).toBe(0);
			const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
			for (const m of report.metrics) {
				expect(m.trend.verdict, m.metric).toBe("flat");
				expect(m.trend.slope.estimate).toBe(0);
				expect(m.trend.slope.p).toBe(1);
			}
			expect(result.stdout).toMatch(/^Flat: /m);
			expect(result.stdout).not.toMatch(noDirection);
			expect(readFileSync(join(dir, "report.html"), "utf8")).not.toMatch(
				/<strong>(Inverse|Positive) scaling/,
			);
			// No bootstrap spread: no power line either.
			expect(readFileSync(join(dir, "report.html"), "utf8")).not.toContain('class="power"');
		}, 120_000);
	}

	it("gives no direction when one model is off by one example of 200", async () => {
		const dir = join(work, "run-one-off");
		writeRun(dir, [n, n, n, n, n - 1]);
		const result = await runCli(["report", dir, "--replicates", "500", "--no-png"], { INVSCALE_HOME: work });
		const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
		for (const m of report.metrics) expect(["flat", "inconclusive"]).toContain(m.trend.verdict);
		expect(result.stdout).not.toMatch(noDirection);
		// One model varies, so the bootstrap has a spread and the report names the design's power.
		expect(result.stdout).toMatch(/^Power: with 5 models and 200 examples, /m);
		expect(readFileSync(join(dir, "report.html"), "utf8")).toMatch(
			/<p class="power" id="power">Power: with 5 models and 200 examples, /,
		);
	}, 120_000);
});

describe("report --reference on a constant run", () => {
	it("is flat beside the published table, which it still compares", async () => {
		const dir = join(work, "run-reference");
		writeRun(dir, [n, n, n, n, n]);
		const result = await runCli(["report", dir, "--reference", TABLE, "--replicates", "500", "--no-png"], {
			INVSCALE_HOME: work,
		});
		expect(result.code).toBe(0);
		const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
		expect(report.reference.metrics[0].comparisons.length).toBeGreaterThan(0);
		for (const m of report.metrics) expect(m.trend.verdict, m.metric).toBe("flat");
		expect(result.stdout).toMatch(/^Flat: /m);
		expect(result.stdout).not.toMatch(noDirection);
	}, 120_000);
});
