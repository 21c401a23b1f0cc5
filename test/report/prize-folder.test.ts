import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPrizeFolder, readSizesTable } from "../../src/report/read-table.js";
import { runCli } from "../helpers/cli.js";

let work: string;
beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), "invscale-folder-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A prize `<model>.csv` of classification rows with the given per-example losses. */
function modelCsv(losses: number[]): string {
	const rows = losses.map((l, i) => `${i},${l},${l < Math.LN2 ? 1 : 0}, Yes,-0.1`);
	return `index,loss,correct,predicted,total_logprob\n${rows.join("\n")}\n`;
}

function folder(name: string, models: Record<string, number[]>): string {
	const dir = join(work, name);
	mkdirSync(dir);
	for (const [model, losses] of Object.entries(models))
		writeFileSync(join(dir, `${model}.csv`), modelCsv(losses));
	return dir;
}

describe("analyze --metric", () => {
	// Means fall by 0.1 per model as size grows: inverse scaling for an accuracy, standard for a loss.
	const table =
		"model,family,parameters,mean,se\nopt-125m,opt,125M,0.85,0.01\nopt-1.3b,opt,1.3B,0.75,0.01\nopt-13b,opt,13B,0.65,0.01\nopt-175b,opt,175B,0.55,0.01\n";

	it("accepts accuracy and classification_acc as names of the correct column", async () => {
		const file = join(work, "falling.csv");
		writeFileSync(file, table);
		const json = async (metric: string) => {
			const r = await runCli(["analyze", file, "--metric", metric, "--replicates", "500", "--json"]);
			expect(r.stderr).toBe("");
			expect(r.code).toBe(0);
			return JSON.parse(r.stdout);
		};
		const correct = await json("correct");
		expect(correct.metric).toBe("correct");
		expect(correct.trend.verdict).toBe("inverse");
		expect(await json("accuracy")).toEqual(correct);
		expect(await json("classification_acc")).toEqual(correct);
		// The same numbers read as a loss fall the other way: the name really selects the metric.
		const loss = await json("loss");
		expect(loss.trend.verdict).not.toBe("inverse");
	});

	it("refuses an unknown metric and lists the accepted names", async () => {
		const file = join(work, "falling2.csv");
		writeFileSync(file, table);
		const r = await runCli(["analyze", file, "--metric", "f1"]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/--metric f1: unknown metric/);
		expect(r.stderr).toMatch(/accuracy/);
	});
});

describe("prize pipeline folders", () => {
	it("knows the InstructGPT names the pipeline wrote, at their base models' sizes", () => {
		const dir = folder("instruct", {
			"text-davinci-001": [0.9, 1.1],
			"text-ada-001": [0.5, 0.7],
			"text-curie-001": [0.8, 0.9],
			"text-babbage-001": [0.6, 0.8],
		});
		writeFileSync(join(dir, "data.csv"), "prompt,classes,answer_index\nQ,\"[' Yes', ' No']\",0\n");
		const run = readPrizeFolder(dir);
		expect(run.models.map((m) => [m.name, m.family, m.parameters])).toEqual([
			["text-ada-001", "instructgpt", 350e6],
			["text-babbage-001", "instructgpt", 1.3e9],
			["text-curie-001", "instructgpt", 6.7e9],
			["text-davinci-001", "instructgpt", 175e9],
		]);
	});

	it("analyses unknown names with a sizes file, and says how when it is missing", async () => {
		const dir = folder("mine", {
			"my-small": [0.3, 0.5, 0.4],
			"my-big": [0.9, 1.0, 1.1],
			"my-mid": [0.6, 0.7, 0.8],
		});
		const without = await runCli(["analyze", dir]);
		expect(without.code).not.toBe(0);
		expect(without.stderr).toMatch(/no <model>\.csv file named after a known model/);
		expect(without.stderr).toMatch(/--sizes FILE/);

		const sizes = join(work, "sizes.csv");
		writeFileSync(sizes, "model,family,parameters\nmy-small,mine,10M\nmy-mid,mine,100M\nmy-big,mine,1B\n");
		const read = readPrizeFolder(dir, undefined, readSizesTable(sizes));
		expect(read.models.map((m) => [m.name, m.parameters])).toEqual([
			["my-small", 10e6],
			["my-mid", 100e6],
			["my-big", 1e9],
		]);
		const r = await runCli(["analyze", dir, "--sizes", sizes, "--replicates", "500", "--json"]);
		expect(r.code).toBe(0);
		const analysis = JSON.parse(r.stdout);
		const loss = analysis.metrics[0];
		expect(loss.models.map((m: { name: string; x: number }) => [m.name, m.x])).toEqual([
			["my-small", 10e6],
			["my-mid", 100e6],
			["my-big", 1e9],
		]);
		expect(loss.models[2].mean).toBeCloseTo(1.0, 12);

		writeFileSync(sizes, "model,family,parameters\nmy-small,mine,10M\nmy-big,mine,1B\n");
		const partial = await runCli(["analyze", dir, "--sizes", sizes]);
		expect(partial.code).not.toBe(0);
		expect(partial.stderr).toMatch(/the sizes file has no row for my-mid/);
	});
});
