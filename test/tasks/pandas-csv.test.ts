/** @module CSV exactly as pandas `to_csv` writes it reads back to the original strings. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CsvRecord, CsvTokenizer } from "../../src/tasks/csv-records.js";
import { readTask, readTaskText } from "../../src/tasks/index.js";
import type { ClassificationExample, Example } from "../../src/tasks/types.js";

const asClassification = (examples: Example[]) => examples as ClassificationExample[];

/**
 * The bytes pandas writes for a DataFrame with the default index (header cell ""), minimal quoting:
 * a field is quoted when it holds a comma, a quote or a line break, and quotes are doubled.
 * `classes` holds Python's repr of a list, as `df.to_csv` stores a list column.
 */
function pandasCsv(eol: string, bom: boolean): string {
	const lines = [
		",prompt,classes,answer_index,note",
		`0,"He said ""hi"", then left.\nWhat next?","[' Yes', "" It's""]",1,café – naïve 😀`,
		`1,"Line1\r\nLine2","[' a,b', ' c\\\\d']",0,`,
		`2,Ünïcödé 日本語,"[' 一', ' 二', ' tab\\tend']",2,x`,
	];
	return `${bom ? "\uFEFF" : ""}${lines.join(eol)}${eol}`;
}

/** What the DataFrame held, written independently of any parser. */
const expected = [
	{
		prompt: 'He said "hi", then left.\nWhat next?',
		classes: [" Yes", " It's"],
		answerIndex: 1,
		extra: { note: "café – naïve 😀" },
	},
	{ prompt: "Line1\r\nLine2", classes: [" a,b", " c\\d"], answerIndex: 0, extra: { note: "" } },
	{ prompt: "Ünïcödé 日本語", classes: [" 一", " 二", " tab\tend"], answerIndex: 2, extra: { note: "x" } },
];

const dir = mkdtempSync(join(tmpdir(), "invscale-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pandas CSV round trip", () => {
	for (const [eol, bom] of [
		["\n", false],
		["\r\n", true],
	] as const) {
		const label = `${JSON.stringify(eol)} line ends${bom ? " with a BOM" : ""}`;

		it(`reads the original strings back (${label})`, async () => {
			const task = await readTaskText("pandas.csv", pandasCsv(eol, bom));
			expect(task.errors).toEqual([]);
			expect(
				asClassification(task.examples).map(({ prompt, classes, answerIndex, extra }) => ({
					prompt,
					classes,
					answerIndex,
					extra,
				})),
			).toEqual(expected);
			// Rows start on physical lines 2, 4 and 6: the first two prompts span two lines.
			expect(task.examples.map((e) => [e.index, e.line])).toEqual([
				[0, 2],
				[1, 4],
				[2, 6],
			]);
		});

		it(`reads the same from a file as from text (${label})`, async () => {
			const file = join(dir, `pandas-${bom ? "bom" : "plain"}.csv`);
			writeFileSync(file, pandasCsv(eol, bom));
			const task = await readTask(file);
			expect(asClassification(task.examples).map((e) => e.prompt)).toEqual(expected.map((e) => e.prompt));
		});
	}

	it("accepts the 'Unnamed: 0' header pandas gives a re-saved index column", async () => {
		const task = await readTaskText("resaved.csv", 'Unnamed: 0,prompt,completion\n0,Say," it"\n');
		expect(task.examples).toEqual([
			{ kind: "sequence_prob", index: 0, line: 2, extra: {}, prompt: "Say", completion: " it" },
		]);
	});
});

describe("CSV tokenizer", () => {
	function tokenize(chunks: string[]): CsvRecord[] {
		const records: CsvRecord[] = [];
		const tokenizer = new CsvTokenizer(
			(r) => records.push(r),
			() => {},
		);
		for (const chunk of chunks) tokenizer.push(chunk);
		tokenizer.end();
		return records;
	}

	it("gives the same records and positions whatever the chunk boundaries", () => {
		const text = pandasCsv("\r\n", true);
		const whole = tokenize([text]);
		expect(tokenize(Array.from(text))).toEqual(whole); // one UTF-16 unit at a time, splitting CRLF and surrogates
		expect(tokenize([text.slice(0, 37), text.slice(37, 90), text.slice(90)])).toEqual(whole);
	});

	it("records where each field starts, in characters", () => {
		const [, row] = tokenize(['a,b\n😀x,"q\nr",,z']);
		expect(row.fields).toEqual(["😀x", "q\nr", "", "z"]);
		expect(row.fieldLines).toEqual([2, 2, 3, 3]);
		expect(row.fieldColumns).toEqual([1, 4, 4, 5]);
		expect(row.quoted).toEqual([false, true, false, false]);
	});

	it("skips blank lines and keeps a last line without a line break", () => {
		const records = tokenize(["a\n\n\r\nb\n\nc"]);
		expect(records.map((r) => [r.line, r.fields])).toEqual([
			[1, ["a"]],
			[4, ["b"]],
			[6, ["c"]],
		]);
	});
});
