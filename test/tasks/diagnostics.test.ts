/** @module Every error and warning of task validation, located at the line and column counted by hand. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTask, validateTask, validateTaskText } from "../../src/tasks/index.js";
import type { Diagnostic, ValidationResult } from "../../src/tasks/types.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "tasks");
const fixture = (name: string) => join(fixtures, name);

/** [code, line, column] of every diagnostic of one severity, in the order found. */
const where = (list: Diagnostic[]) => list.map((d) => [d.code, d.line, d.column]);
const codes = (r: ValidationResult) => [...r.errors, ...r.warnings].map((d) => d.code);

describe("CSV rows with quoted newlines, a BOM and a pandas index column", () => {
	it("locates every problem at its physical line and column", async () => {
		const r = await validateTask(fixture("quoted-lines.csv"));
		expect(r.typeName).toBe("classification");
		expect(r.summary.rows).toBe(5);
		expect(where(r.errors)).toEqual([
			["answer-out-of-range", 4, 32],
			["classes-parse", 6, 12], // the ";" inside the literal of a row that began on line 5
		]);
		expect(where(r.warnings)).toEqual([
			["card-missing", 1, 1],
			["class-leading-space", 7, 39], // ""b"" inside a quoted field: each quote is written twice
			["prompt-trailing-space", 8, 11],
			["few-examples", 1, 1],
		]);
		expect(r.errors.map((d) => d.row)).toEqual([1, 2]);
		expect(r.valid).toBe(false);
	});

	it("counts class counts and answer shares over the valid examples", async () => {
		const r = await validateTask(fixture("quoted-lines.csv"));
		expect(r.summary.examples).toBe(3);
		expect(r.summary.classCounts).toEqual({ 2: 3 });
		expect(r.summary.answerShare).toEqual([2 / 3, 1 / 3]);
	});
});

describe("warnings about the whole task", () => {
	it("flags duplicate examples, repeated classes and a constant answer (BOM not counted in columns)", async () => {
		const r = await validateTask(fixture("constant.csv"));
		expect(r.errors).toEqual([]);
		expect(where(r.warnings)).toEqual([
			["card-missing", 1, 1],
			["duplicate-example", 3, 1],
			["duplicate-class", 4, 18],
			["few-examples", 1, 1],
			["constant-answer", 1, 16],
		]);
		expect(r.warnings[1].message).toContain("line 2");
	});
});

describe("header problems", () => {
	it("rejects a duplicate column at its second occurrence", async () => {
		const r = await validateTask(fixture("duplicate-column.csv"));
		expect(where(r.errors)).toEqual([["duplicate-column", 1, 16]]);
	});

	it("names missing columns and suggests a case fix", async () => {
		const r = await validateTask(fixture("missing-column.csv"));
		expect(where(r.errors)).toEqual([["missing-column", 1, 1]]);
		expect(r.errors[0].message).toContain('"classes"');
		expect(r.errors[0].fix).toContain('rename "Classes" to "classes"');
		expect(r.typeSource).toBe("unresolved");
	});

	it("asks for --type when the columns fit several types, and accepts it", async () => {
		const r = await validateTask(fixture("ambiguous.csv"));
		expect(where(r.errors)).toEqual([["ambiguous-type", 1, 1]]);
		expect(r.errors[0].message).toContain("logodds, absolute_logodds and classification");
		expect(r.errors[0].fix).toContain("--type");
		const typed = await validateTask(fixture("ambiguous.csv"), { type: "absolute_logodds" });
		expect(typed.errors).toEqual([]);
		expect(typed.type).toBe("absolute_logodds");
		expect(typed.typeSource).toBe("option");
	});

	it("reports rows with too many or too few fields", async () => {
		const r = await validateTask(fixture("field-count.csv"));
		expect(where(r.errors)).toEqual([
			["field-count", 2, 21],
			["field-count", 3, 4],
		]);
		expect(r.errors[0].message).toContain("4 fields but the header has 3");
	});
});

describe("file problems", () => {
	it("rejects an empty file and a header without rows", async () => {
		expect(where((await validateTask(fixture("empty.csv"))).errors)).toEqual([["empty-file", 1, 1]]);
		expect(where((await validateTask(fixture("header-only.csv"))).errors)).toEqual([["no-rows", 1, 1]]);
	});

	it("rejects an unknown extension and a missing file", async () => {
		expect(where((await validateTask(fixture("unknown.txt"))).errors)).toEqual([["unknown-extension", 1, 1]]);
		const missing = await validateTask(fixture("no-such-task.csv"));
		expect(where(missing.errors)).toEqual([["file-not-found", 1, 1]]);
	});

	it("gives the byte offset of invalid UTF-8", async () => {
		const r = await validateTask(fixture("latin1.csv"));
		// "prompt,completion\n" is 18 bytes, then "Caf": 0xE9 is byte 21, line 2, column 4.
		expect(where(r.errors)).toEqual([["invalid-utf8", 2, 4]]);
		expect(r.errors[0].message).toContain("byte 21");
		expect(r.errors[0].value).toBe("0xE9 0x20 0x61 0x75");
	});

	it("finds invalid UTF-8 split across chunks of an upload", async () => {
		const bytes = Buffer.concat([Buffer.from("prompt,completion\nA, \u00e9\n"), Buffer.from([0xc3])]);
		const r = await validateTaskText("t.csv", bytes);
		expect(where(r.errors)).toEqual([["invalid-utf8", 3, 1]]);
		expect(r.errors[0].message).toContain(`byte ${bytes.length - 1}`);
	});

	it("reports text after a closing quote and a quote never closed", async () => {
		const r = await validateTask(fixture("csv-quote.csv"));
		expect(where(r.errors).slice(0, 2)).toEqual([
			["csv-quote", 2, 15],
			["csv-quote", 3, 1],
		]);
	});
});

describe("JSONL rows", () => {
	it("locates problems in characters, past escapes and astral characters", async () => {
		const r = await validateTask(fixture("seq.jsonl"));
		expect(r.typeName).toBe("sequence_prob");
		expect(where(r.errors)).toEqual([
			["not-a-string", 3, 12],
			["json-syntax", 5, 16],
			["json-not-object", 6, 1],
			["missing-value", 8, 1],
		]);
		expect(where(r.warnings)).toEqual([
			["card-missing", 1, 1],
			["completion-leading-space", 1, 38],
			["prompt-trailing-space", 2, 21],
			["completion-leading-space", 4, 36],
			["few-examples", 1, 1],
		]);
		// Rows are numbered over data rows: the blank line is not one.
		expect(r.errors.map((d) => d.row)).toEqual([2, 4, 5, 6]);
	});

	it("checks classes given as JSON arrays or as Python literals inside JSON strings", async () => {
		const r = await validateTask(fixture("classes.jsonl"));
		expect(where(r.errors)).toEqual([
			["classes-parse", 1, 35],
			["answer-not-integer", 2, 58],
			["classes-parse", 3, 51], // the \x escape, after "\\u00e9" written with escaped backslashes
			["classes-too-few", 4, 28],
			["class-empty", 5, 30],
			["classes-parse", 6, 28],
		]);
		expect(r.errors[2].message).toContain("\\x must be followed by exactly 2 hexadecimal digits");
	});
});

describe("log-odds tasks and cards", () => {
	it("takes the type from the card, reads biased_prompt as other_prompt, and checks 2 classes", async () => {
		const task = await readTask(fixture("logodds.csv"));
		expect(task.typeName).toBe("logodds");
		expect(task.typeSource).toBe("card");
		expect(where(task.errors)).toEqual([
			["logodds-classes", 2, 7],
			["answer-out-of-range", 4, 22],
		]);
		expect(task.examples).toEqual([
			{
				kind: "logodds",
				index: 1,
				line: 3,
				extra: {},
				prompt: "Q2",
				otherPrompt: "B2",
				classes: [" a", " b"],
				answerIndex: 1,
			},
		]);
	});

	it("warns about a card's bad values, unknown keys and missing fields, in the card file", async () => {
		const task = await validateTask(fixture("logodds.csv"));
		const card = fixture("logodds.card.yaml");
		const cardWarnings = task.warnings.filter((d) => d.file === card);
		expect(where(cardWarnings)).toEqual([
			["card-invalid", 3, 8],
			["card-unknown-key", 4, 1],
			["card-incomplete", 1, 1],
		]);
		expect(cardWarnings[1].fix).toContain('"authors"');
		expect(cardWarnings[2].message).toContain("description, correct_behaviour, why_inverse_scaling");
		expect(task.card).toEqual({ name: "Log-odds fixture", type: "logodds" });
		expect(task.cardFile).toBe(card);
	});

	it("warns when --type overrides the card's type", async () => {
		const task = await validateTask(fixture("logodds.csv"), { type: "absolute_logodds" });
		expect(task.type).toBe("absolute_logodds");
		expect(where(task.warnings.filter((d) => d.code === "type-override"))).toEqual([["type-override", 1, 1]]);
	});

	it("rejects an unknown type in the card", async () => {
		const task = await validateTask(fixture("typed.csv"));
		expect(where(task.errors)).toEqual([["card-type", 1, 7]]);
		expect(task.errors[0].file).toBe(fixture("typed.card.yaml"));
		expect(task.typeName).toBe("sequence_prob");
	});

	it("reads a card from Markdown front matter, with the license spelling and list shorthand", async () => {
		const task = await validateTask(fixture("md-card.csv"));
		expect(task.errors).toEqual([]);
		expect(codes(task)).toEqual(["few-examples"]);
		expect(task.typeName).toBe("classification_acc");
		expect(task.cardFile).toBe(fixture("md-card.md"));
		expect(task.card).toEqual({
			name: "Markdown card",
			description: "A card in front matter.",
			correctBehaviour: "Answer right.",
			whyInverseScaling: "Because.",
			whyItMatters: "It does.",
			shots: "few-shot",
			dataGeneration: "By hand.",
			sources: ["hand"],
			licence: "CC0-1.0",
			authors: ["Someone"],
			type: "classification_acc",
		});
	});
});

describe("uploads", () => {
	it("validates uploaded text with the card that came with it", async () => {
		const card = { file: "up.card.yaml", content: "name: Upload\ntype: single_word\ncolour: red\n" };
		const r = await validateTaskText("up.jsonl", '{"prompt": "Hi", "completion": " there"}\n', { card });
		expect(r.typeName).toBe("single_word");
		expect(r.type).toBe("sequence_prob");
		expect(r.cardFile).toBe("up.card.yaml");
		expect(where(r.warnings.filter((d) => d.file === "up.card.yaml"))).toEqual([
			["card-unknown-key", 3, 1],
			["card-incomplete", 1, 1],
		]);
	});
});

describe("the diagnostic limit", () => {
	it("keeps the first N of each severity and counts the rest by code", async () => {
		const rows = Array.from({ length: 30 }, (_, i) => `Q${i},"['a${i}', ' b']",${i % 2}`).join("\n");
		const r = await validateTaskText("many.csv", `prompt,classes,answer_index\n${rows}\n`, {
			maxDiagnostics: 5,
		});
		expect(r.warnings).toHaveLength(5);
		expect(r.summary.warningCount).toBe(32); // card-missing, 30 leading spaces, few-examples
		expect(r.summary.omitted).toEqual({ "class-leading-space": 26, "few-examples": 1 });
	});
});
