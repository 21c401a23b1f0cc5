/** @module The exact-answer task type: chosen from its columns, its cells checked and located like the prize types. */
import { describe, expect, it } from "vitest";
import { readTaskText, validateTaskText } from "../../src/tasks/index.js";
import type { Diagnostic, ExactAnswerExample } from "../../src/tasks/types.js";

const where = (list: Diagnostic[]) => list.map((d) => [d.code, d.line, d.column, d.row]);

describe("exact-answer tasks", () => {
	it("reads prompt, answer and aliases from CSV (Python list, plain string or empty)", async () => {
		const csv = [
			"prompt,answer,aliases,source",
			`What is 2+2?,4,"['four', '4.0']",a`,
			"Capital of France?,Paris,paris,b",
			"How many legs has a cat?,4,,c",
		].join("\n");
		const task = await readTaskText("sums.csv", csv);
		expect(task.typeName).toBe("exact_answer");
		expect(task.typeSource).toBe("columns");
		expect(task.errors).toEqual([]);
		const examples = task.examples as ExactAnswerExample[];
		expect(examples.map((e) => [e.kind, e.answer, e.aliases])).toEqual([
			["exact_answer", "4", ["four", "4.0"]],
			["exact_answer", "Paris", ["paris"]],
			["exact_answer", "4", []],
		]);
		// Columns the type does not read are kept for the outputs; aliases is read, so not among them.
		expect(examples[0].extra).toEqual({ source: "a" });
	});

	it("reads numbers and arrays from JSONL", async () => {
		const jsonl = [
			JSON.stringify({ prompt: "Half of 7?", answer: 3.5, aliases: ["7/2"] }),
			JSON.stringify({ prompt: "Ten squared?", answer: 100 }),
		].join("\n");
		const task = await readTaskText("n.jsonl", jsonl);
		expect(task.errors).toEqual([]);
		expect((task.examples as ExactAnswerExample[]).map((e) => [e.answer, e.aliases])).toEqual([
			["3.5", ["7/2"]],
			["100", []],
		]);
	});

	it("locates a missing answer, a bad alias list, an empty alias and a repeated alias", async () => {
		const csv = [
			"prompt,answer,aliases",
			"Q1,,", // line 2: answer empty
			`Q2,5,"['5', 'five'"`, // line 3: unterminated list
			`Q3,6,"['six', '']"`, // line 4: empty alias
			`Q4,7,"['7', 'seven']"`, // line 5: alias repeats the answer
			"Q5,   ,", // line 6: answer of spaces
		].join("\n");
		const r = await validateTaskText("bad.csv", csv);
		expect(where(r.errors)).toEqual([
			["missing-value", 2, 4, 0],
			["aliases-parse", 3, 19, 1], // where the list should have closed
			["alias-empty", 4, 15, 2],
			["missing-value", 6, 4, 4],
		]);
		expect(where(r.warnings).filter((w) => w[0] !== "card-missing" && w[0] !== "few-examples")).toEqual([
			["duplicate-alias", 5, 8, 3], // at the opening quote of the alias
		]);
		expect(r.errors[1].message).toMatch(/^the aliases are not a Python list/);
		expect(r.warnings.find((w) => w.code === "duplicate-alias")?.message).toBe("alias 0 repeats the answer");
		expect(r.summary.examples).toBe(1);
	});

	it("keeps a prize file with an extra answer column a classification task", async () => {
		const csv = `prompt,classes,answer_index,answer\nQ,"[' A', ' B']",0,A\n`;
		const r = await validateTaskText("c.csv", csv);
		expect(r.typeName).toBe("classification");
	});

	it("names exact_answer's columns when a file fits no type", async () => {
		const r = await validateTaskText("x.csv", "prompt,solution\nQ,1\n");
		expect(r.errors[0].code).toBe("missing-column");
		expect(r.errors[0].fix).toContain("exact_answer: prompt, answer (aliases optional)");
	});

	it("warns about a duplicated question", async () => {
		const r = await validateTaskText("d.csv", "prompt,answer\nQ,1\nQ,1\n");
		expect(r.warnings.map((w) => [w.code, w.line])).toContainEqual(["duplicate-example", 3]);
	});
});
