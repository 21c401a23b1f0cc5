import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeTables } from "../../src/analysis/tables.js";
import { readTable } from "../../src/report/read-table.js";

const work = mkdtempSync(join(tmpdir(), "invscale-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("long tables with coordinate columns", () => {
	it("reads several tasks, each with conditions named by model and what tells them apart", () => {
		const file = join(work, "long.csv");
		const lines = ["model,family,parameters,training_tokens,step,shots,task,mean,se,n"];
		for (const task of ["t1", "t2"])
			for (const [model, p] of [
				["pythia-70m", ""],
				["mine-1b", "1B"],
			])
				for (const step of [1000, 143000]) lines.push(`${model},,${p},,${step},0,${task},0.5,0.01,300`);
		writeFileSync(file, `${lines.join("\n")}\n`);
		const t = readTable(file);
		expect(t.hasTaskColumn).toBe(true);
		expect(t.tasks.map((x) => x.task)).toEqual(["t1", "t2"]);
		const rows = t.tasks[0].rows;
		expect(rows.map((r) => r.model)).toEqual([
			"pythia-70m@step1000",
			"pythia-70m@step143000",
			"mine-1b@step1000",
			"mine-1b@step143000",
		]);
		// Pythia: size known by name, tokens = step × 2,097,152; other models only get what the row says.
		expect(rows[0]).toMatchObject({
			base: "pythia-70m",
			family: "pythia",
			parameters: 70_426_624,
			nonEmbeddingParameters: 18_915_328,
			trainingTokens: 1000 * 2_097_152,
			step: 1000,
			shots: 0,
			n: 300,
		});
		expect(rows[2]).toMatchObject({ family: "default", parameters: 1e9, step: 1000 });
		expect(rows[2].trainingTokens).toBeUndefined();
	});

	it("reads tab-separated tables and names duplicate conditions by row", () => {
		const file = join(work, "dup.tsv");
		writeFileSync(file, "model\tparameters\ttask\tmean\ngpt2\t124M\ta\t0.5\ngpt2\t124M\ta\t0.6\n");
		expect(() => readTable(file)).toThrow(/dup\.tsv: rows 2 and 3 both give gpt2 on task a/);
	});

	it("refuses a Michaelov & Bergen table row whose model invscale cannot size", () => {
		const file = join(work, "mb.tsv");
		writeFileSync(
			file,
			"ModelName\tModelRevision\tTask\tAccuracy\tAccuracy_SE\nEleutherAI/pythia-70m\tstep1000\tx\t0.5\t0.01\nacme/llm-7b\tstep1000\tx\t0.5\t0.01\n",
		);
		expect(() => readTable(file)).toThrow(
			/mb\.tsv: row 3, column "modelname": "acme\/llm-7b" is not a Pythia model/,
		);
	});

	it("gives no interaction for a task that is not a size × tokens grid, and q only across grids", () => {
		const rows = (sizes: number[], tokens: number[]) =>
			sizes.flatMap((p, i) =>
				tokens.map((d, j) => ({
					model: `m${i}@${j}`,
					family: "f",
					parameters: p,
					trainingTokens: d,
					mean: 0.5 + 0.01 * i - 0.02 * i * j + 0.003 * ((i * 7 + j * 3) % 5),
					se: 0.01,
				})),
			);
		const a = analyzeTables(
			[
				{ task: "grid", rows: rows([1e8, 1e9, 1e10], [1e10, 1e11, 1e12]) },
				{ task: "ladder", rows: rows([1e8, 1e9, 1e10], [3e11]) },
			],
			"correct",
			{ x: "tokens", replicates: 200 },
		);
		expect(a.tasks[1].interaction).toBeNull();
		// One p among the grids: its BH q is the p itself.
		expect(a.tasks[0].interaction!.q).toBe(a.tasks[0].interaction!.p);
		expect(a.tasks[0].interaction!.estimate).toBeLessThan(0);
	});
});
