import { describe, expect, it } from "vitest";
import { type RunSummary, SUMMARY_SCHEMA } from "../run/manifest.js";
import { createEvalProgress, formatSummaryTable } from "./eval-progress.js";

const summary: RunSummary = {
	schema: SUMMARY_SCHEMA,
	task: "neg",
	type: "classification",
	typeName: "classification",
	plotted: "loss",
	models: [
		{
			name: "small",
			model: "small",
			family: "f",
			coords: { parameters: 160_000_000 },
			parameters: 160_000_000,
			status: "ok",
			loss: { mean: 0.5, se: 0.01, n: 100 },
			correct: { mean: 0.75, se: 0.04, n: 100 },
			coverage: 0.9,
			chance: { loss: Math.log(2), accuracy: 0.5 },
		},
		{
			name: "big",
			model: "big",
			family: "f",
			coords: { parameters: 1.4e9 },
			parameters: 1.4e9,
			status: "failed",
		},
	],
};

describe("eval progress display", () => {
	it("tabulates loss, accuracy and coverage, leaves out empty columns, and marks failed models", () => {
		const table = formatSummaryTable(summary).split("\n");
		expect(table[0]).toBe("neg (classification, plotted: loss)");
		expect(table[1]).toMatch(/model\s+params\s+loss ± SE\s+accuracy ± SE\s+coverage$/);
		expect(table[1]).not.toContain("log-odds");
		expect(table[3]).toMatch(/^ {2}small\s+160M\s+0\.500 ± 0\.010\s+0\.750 ± 0\.040\s+90\.0%$/);
		expect(table[4]).toMatch(/^ {2}big \(failed\)\s+1\.4B\s+—\s+—\s+—$/);
		expect(table[5]).toBe("  chance: loss 0.693, accuracy 0.500");
	});

	it("writes plain lines when stderr is not a terminal", () => {
		let out = "";
		const display = createEvalProgress(
			{ write: (t: string) => (out += t), isTTY: false },
			{ lineIntervalMs: 0 },
		);
		display({ type: "task-start", task: "neg", dir: "runs/neg", examples: 10, models: ["small"] });
		display({ type: "model-start", task: "neg", model: "small", index: 0, total: 1, examples: 10 });
		display({
			type: "progress",
			task: "neg",
			model: "small",
			done: 5,
			total: 10,
			tokens: 50,
			elapsedMs: 1000,
		});
		display({ type: "model-end", task: "neg", model: "small", status: "failed", error: "out of memory" });
		expect(out).not.toContain("\x1b[");
		expect(out).toContain("neg: small  5/10  5.0 ex/s  1s left");
		expect(out).toContain("error: small: out of memory");
	});
});
