/** @module The web app's per-example table of a generation run: each condition's answer, what was read, and the reasoning. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEval } from "../../src/engine/run-eval.js";
import { parseBudgets } from "../../src/generation/budget.js";
import { exampleTable } from "../../src/server/example-table.js";
import { scriptedChat, scriptedCompleter } from "../helpers/scripted-generation.js";

async function runTask(backend: Parameters<typeof runEval>[0]["openBackend"], budgets: string, samples = 1) {
	const dir = mkdtempSync(join(tmpdir(), "invscale-gen-table-"));
	const rows = Array.from({ length: 4 }, (_, i) => `"Q${i}: which one?","[' yes', ' no']",${i % 2}`);
	writeFileSync(join(dir, "pick.csv"), `prompt,classes,answer_index\n${rows.join("\n")}\n`);
	await runEval({
		tasks: [join(dir, "pick.csv")],
		models: [
			{ name: "m", family: "f", source: { kind: "openai", baseUrls: ["http://x.invalid"], model: "m" } },
		],
		outDir: join(dir, "runs"),
		store: false,
		report: false,
		openBackend: backend,
		generation: {
			budgets: parseBudgets(budgets),
			samples,
			...(samples > 1 ? { temperature: 1, seed: 7 } : {}),
		},
	});
	return exampleTable(join(dir, "runs", "pick"));
}

describe("the example table of a generation run", () => {
	it("shows each condition's answer, what was read and the reasoning", async () => {
		const chat = scriptedChat("anthropic", (i, b) => (b === 0 ? "AB"[i % 2] : i === 1 ? "no idea" : "A"));
		const table = await runTask(async () => chat, "0,2048");
		expect(table.models).toEqual(["m-budget0", "m-budget2048"]);
		const row = table.rows[1];
		expect(row.classes).toEqual([" yes", " no"]);
		expect(row.models["m-budget0"]).toMatchObject({
			correct: 1,
			generated: { answer: "B", extracted: "B", reasoning: "", reasoningTokens: 0, samples: 1 },
		});
		const thought = row.models["m-budget2048"];
		expect(thought.correct).toBe(0);
		expect(thought.generated?.answer).toBe("no idea");
		expect(thought.generated?.extracted).toBeUndefined();
		expect(thought.generated?.reasoning).toMatch(/^thinking about Q1/);
		expect(thought.generated?.reasoningTokens).toBe(8);
	});

	it("counts samples and shows the class shares read after the cue when forcing", async () => {
		const backend = scriptedCompleter(
			() => " A",
			() => 5,
			(_i, seed) => (seed % 2 ? " A" : " B"),
		);
		const table = await runTask(async () => backend, "8", 2);
		const cell = table.rows[0].models["m-budget8"];
		expect(cell.generated?.samples).toBe(2);
		expect(cell.correct).toBe(0.5); // seed 7 → A (right for example 0), seed 8 → B
		expect(cell.probabilities?.kind).toBe("classification");
		expect(cell.loss).toBeGreaterThan(0);
	});
});
