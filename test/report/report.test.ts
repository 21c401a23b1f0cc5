import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { register as registerAnalyze } from "../../src/cli/commands/analyze.js";
import { register as registerReport } from "../../src/cli/commands/report.js";
import { CliError } from "../../src/cli/errors.js";
import { writeReport } from "../../src/report/index.js";
import { toJson } from "../../src/report/json.js";
import { parseSize, readPrizeFolder, readSummaryTable } from "../../src/report/read-table.js";
import { makeRunDir } from "../helpers/make-run-dir.js";
import { ladder } from "../helpers/synthetic-ladder.js";

const work = mkdtempSync(join(tmpdir(), "invscale-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fast = { replicates: 300, png: false, generatedAt: "2024-05-01T00:00:00Z" };

describe("writeReport on one task", () => {
	it("says there is no trend for a single model", async () => {
		const dir = makeRunDir(join(work, "single"), ladder([1.0]), { examples: 50 });
		const r = await writeReport(dir, fast);
		expect(r.kind).toBe("task");
		const html = readFileSync(r.htmlPath, "utf8");
		expect(html).toContain("Only one model with a known size: there is no trend to measure.");
		const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
		expect(json.metrics[0].trend.verdict).toBe("insufficient");
		// An undefined slope is written as null, never as 0 or a missing field.
		expect(json.metrics[0].trend.slope).toBeNull();
	});
	it("leaves failed models out of the trend but lists them", async () => {
		const models = [
			...ladder([0.7, 0.9, 1.1]),
			{ name: "gone", family: "synthetic", parameters: 1e10, mean: 1, status: "failed" as const },
		];
		const dir = makeRunDir(join(work, "partial"), models, { examples: 120 });
		const r = await writeReport(dir, fast);
		if (r.kind !== "task") throw new Error("expected a task report");
		const m = r.analysis.metrics[0];
		expect(m.trend.n).toBe(3);
		expect(m.models.find((p) => p.name === "gone")?.inTrend).toBe(false);
		expect(m.flags.map((f) => f.code)).toContain("failed-models");
		expect(m.flags.map((f) => f.code)).toContain("few-examples");
		// Three models: the smallest two-sided Spearman p is 2/6, so the floor is flagged.
		expect(m.flags.map((f) => f.code)).toContain("spearman-floor");
		expect(readFileSync(r.htmlPath, "utf8")).toMatch(/data-model="gone"[\s\S]*?failed/);
	});
	it("reads example text from the data copy when labelled data is missing", async () => {
		const dir = makeRunDir(join(work, "nolabel"), ladder([0.6, 0.9, 1.2]), {
			examples: 30,
			noLabelled: true,
		});
		const r = await writeReport(dir, fast);
		if (r.kind !== "task") throw new Error("expected a task report");
		const c = r.analysis.changes[0];
		expect(c.text?.prompt).toBe(`Q${c.index}: Is ${c.index} even?\nA:`);
		expect(c.text?.classes).toEqual([" Yes", " No"]);
		expect(c.worsening).toBeGreaterThan(0);
	});
	it("names the file, row and column of a bad cell", async () => {
		const dir = makeRunDir(join(work, "bad"), ladder([0.6, 0.9]), { examples: 5 });
		const csv = join(dir, "synthetic-0.csv");
		writeFileSync(csv, readFileSync(csv, "utf8").replace(/\n1,[^,]*,/, "\n1,abc,"));
		await expect(writeReport(dir, fast)).rejects.toThrow(
			/synthetic-0\.csv: row 3, column "loss": "abc" is not a number/,
		);
	});
});

describe("writeReport on a folder of runs", () => {
	it("reports each task and a combined table with Benjamini–Hochberg", async () => {
		const parent = join(work, "many");
		makeRunDir(join(parent, "a-inverse"), ladder([0.6, 0.8, 1.0, 1.2]), { examples: 200, task: "a-inverse" });
		makeRunDir(join(parent, "b-flat"), ladder([1, 1, 1, 1]), { examples: 200, task: "b-flat" });
		const r = await writeReport(parent, fast);
		if (r.kind !== "tasks") throw new Error("expected a folder report");
		expect(r.tasks.map((t) => t.analysis.task.name)).toEqual(["a-inverse", "b-flat"]);
		const [a, b] = r.analysis.rows;
		expect(a.verdict).toBe("inverse");
		expect(b.verdict).toBe("flat");
		// BH with m = 2: q of the smaller p is p·2, of the larger max(p, that).
		expect(a.q).toBeCloseTo(Math.min(1, Math.min(a.p! * 2, b.p!)), 12);
		expect(a.discovery).toBe(true);
		expect(readFileSync(r.htmlPath, "utf8")).toContain('href="a-inverse/report.html"');
	});
});

describe("report.json NaN policy", () => {
	it("writes non-finite numbers as null and typed arrays as arrays", () => {
		expect(JSON.parse(toJson({ a: Number.NaN, b: Infinity, c: new Float64Array([1, 2]) }))).toEqual({
			a: null,
			b: null,
			c: [1, 2],
		});
	});
});

describe("summary tables", () => {
	it("parses sizes with suffixes", () => {
		expect(parseSize("124M")).toBe(124e6);
		expect(parseSize("1.5B")).toBe(1.5e9);
		expect(parseSize("6.7e9")).toBe(6.7e9);
		expect(parseSize("big")).toBeNaN();
	});
	it("reads a table and names row and column of a bad cell", () => {
		const file = join(work, "table.csv");
		writeFileSync(
			file,
			"model,family,parameters,mean,se\ngpt2,gpt2,124M,0.60,0.01\ngpt2-xl,gpt2,1.5B,oops,0.01\n",
		);
		expect(() => readSummaryTable(file)).toThrow(/table\.csv: row 3, column "mean": "oops" is not a number/);
		writeFileSync(file, "model,parameters,mean\ngpt2,124M,0.6\n");
		expect(readSummaryTable(file)).toEqual([
			{
				model: "gpt2",
				base: "gpt2",
				family: "gpt2",
				parameters: 124e6,
				nonEmbeddingParameters: undefined,
				trainingTokens: undefined,
				mean: 0.6,
				se: null,
				n: undefined,
			},
		]);
		writeFileSync(file, "name,mean\nmystery-model,0.6\n");
		expect(() => readSummaryTable(file)).toThrow(/no size column/);
	});
	it("reads a prize output folder with sizes from the prize's table", () => {
		const dir = join(work, "prize");
		mkdirSync(dir);
		writeFileSync(
			join(dir, "gpt2.csv"),
			"index,loss,correct,predicted,total_logprob\n0,0.5,1, Yes,-0.1\n1,0.7,0, No,-0.1\n",
		);
		writeFileSync(
			join(dir, "gpt2-xl.csv"),
			"index,loss,correct,predicted,total_logprob\n0,0.9,0, No,-0.1\n1,1.1,0, No,-0.1\n",
		);
		const run = readPrizeFolder(dir);
		expect(run.models.map((m) => [m.name, m.parameters])).toEqual([
			["gpt2", 124e6],
			["gpt2-xl", 1.5e9],
		]);
		expect(run.task.type).toBe("classification");
	});
});

async function cli(register: (p: Command) => void, args: string[]): Promise<string> {
	const program = new Command().exitOverride();
	register(program);
	let out = "";
	const write = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string) => {
		out += chunk;
		return true;
	}) as typeof process.stdout.write;
	try {
		await program.parseAsync(["node", "invscale", ...args]);
	} finally {
		process.stdout.write = write;
	}
	return out;
}

describe("CLI", () => {
	it("analyze gives a verdict from a summary table", async () => {
		const file = join(work, "paper.csv");
		writeFileSync(
			file,
			"model,family,parameters,mean,se\nopt-125m,opt,125M,0.55,0.01\nopt-1.3b,opt,1.3B,0.65,0.01\nopt-13b,opt,13B,0.75,0.01\nopt-175b,opt,175B,0.85,0.01\n",
		);
		const out = await cli(registerAnalyze, ["analyze", file, "--replicates", "500"]);
		// Means rise 0.1 per step over log10 steps of 1.017, 1, 1.129: clearly inverse for a loss.
		expect(out).toMatch(/Inverse scaling/);
		expect(out).toMatch(/opt-175b/);
	});
	it("report rejects an unknown axis with a usage error", async () => {
		await expect(cli(registerReport, ["report", work, "--x", "depth"])).rejects.toThrow(CliError);
	});
	it("report names a folder that holds no run", async () => {
		const empty = join(work, "empty");
		mkdirSync(empty);
		await expect(cli(registerReport, ["report", empty])).rejects.toThrow(/neither a run directory/);
	});
});
