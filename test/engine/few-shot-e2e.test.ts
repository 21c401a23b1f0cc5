/**
 * `invscale eval TASK --models a.gguf,b.gguf --shots …` end to end: the built k-shot task files,
 * every score of each equal to the independent reference scorer run on that file, no row shown as
 * its own demonstration, the draws recorded, and a rerun with the same seed writing the same bytes.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { randomModel, STORIES_260K, TEST_SHAPES } from "../helpers/models.js";
import { ReferenceScorer } from "../helpers/reference-scorer.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "eval");
// Each case runs the CLI and a hundred or so reference scores; on a loaded 2-core machine that can pass a minute.
const slow = { timeout: 300_000 };
let models: Array<{ name: string; path: string }>;
let out: string;
const references = new Map<string, ReferenceScorer>();

beforeAll(async () => {
	models = [
		{ name: "tiny-a", path: await randomModel("tiny-a") },
		{ name: "stories260K", path: STORIES_260K },
	];
	out = mkdtempSync(join(tmpdir(), "invscale-shots-"));
	for (const m of models) references.set(m.name, await ReferenceScorer.open(m.path));
});
afterAll(async () => {
	for (const r of references.values()) await r.dispose();
});

const readCsv = (path: string) =>
	parse(readFileSync(path, "utf8"), { columns: true }) as Record<string, string>[];
const readJsonl = (path: string) =>
	readFileSync(path, "utf8")
		.trim()
		.split("\n")
		.map((l) => JSON.parse(l) as Record<string, unknown>);
const classesOf = (cell: unknown) => JSON.parse(String(cell).replaceAll("'", '"')) as string[];

async function evalShots(file: string, shots: string, outName: string, extra: string[] = []) {
	const outDir = join(out, outName);
	const result = await runCli([
		"eval",
		join(fixtures, file),
		"--models",
		models.map((m) => m.path).join(","),
		"--shots",
		shots,
		"--precision",
		"exact",
		"--out",
		outDir,
		"--store",
		join(out, "store.sqlite"),
		"--no-report",
		...extra,
	]);
	expect(result.stderr).not.toMatch(/error:/);
	expect(result.code).toBe(0);
	const dir = join(outDir, file.replace(/\.[a-z]+$/, ""));
	return {
		dir,
		run: JSON.parse(readFileSync(join(dir, "run.json"), "utf8")),
		summary: JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")),
	};
}

/** The demonstration text of a row of the original task, written out independently of the engine. */
function demoText(row: Record<string, unknown>): string {
	if ("completion" in row) return String(row.prompt) + String(row.completion);
	return String(row.prompt) + classesOf(row.classes)[Number(row.answer_index)];
}

describe("few-shot sweeps", () => {
	it("classification at 0, 1 and 4 shots: files, draws, conditions and every score", slow, async () => {
		const { dir, run, summary } = await evalShots("classification.csv", "0,1,4", "cls");
		const original = readCsv(join(fixtures, "classification.csv"));
		const demos = original.map(demoText);
		expect(run.schema).toBe("invscale.run/2");
		expect(run.shots.seed).toBe(1);
		expect(run.shots.separator).toBe("\n\n");
		expect(run.shots.values).toEqual([0, 1, 4]);
		// One condition per model and k, each model's conditions together, smallest model first.
		expect(run.models.map((m: { name: string }) => m.name)).toEqual([
			"tiny-a-0shot",
			"tiny-a-1shot",
			"tiny-a-4shot",
			"stories260K-0shot",
			"stories260K-1shot",
			"stories260K-4shot",
		]);
		for (const m of run.models) {
			const k = Number(/-(\d+)shot$/.exec(m.name)![1]);
			expect(m.model).toBe(m.name.replace(/-\d+shot$/, ""));
			expect(m.settings).toEqual({ shots: k });
			expect(m.coords.shots).toBe(k);
			expect(m.coords.parameters).toBe(m.parameters);
			expect(m.data).toBe(`shots/classification-${k}shot.jsonl`);
			expect(m.status).toBe("ok");
			if (k > 0) expect(m.sharedPrefixTokens).toBeGreaterThan(0);
			const s = summary.models.find((x: { name: string }) => x.name === m.name);
			expect(s.model).toBe(m.model);
			expect(s.coords).toEqual(m.coords);
		}

		for (const k of [0, 1, 4]) {
			const rows = readJsonl(join(dir, "shots", `classification-${k}shot.jsonl`));
			expect(rows).toHaveLength(original.length);
			const draws = run.shots.draws.find((d: { shots: number }) => d.shots === k);
			for (const [i, row] of rows.entries()) {
				// The prompt is k demonstrations of other rows, then the row's own prompt.
				const parts = String(row.prompt).split("\n\n");
				expect(parts).toHaveLength(k + 1);
				expect(parts[k]).toBe(original[i].prompt);
				for (const part of parts.slice(0, k)) {
					expect(demos).toContain(part);
					expect(part).not.toBe(demos[i]);
				}
				// The recorded draws say the same: the block, with the row's own place replaced.
				const swap = draws.replacements.find((r: { example: number }) => r.example === i);
				const expected = draws.demonstrations.map((d: number, p: number) =>
					swap && p === swap.position ? swap.by : d,
				);
				expect(parts.slice(0, k)).toEqual(expected.map((d: number) => demos[d]));
				expect(classesOf(row.classes)).toEqual(classesOf(original[i].classes));
				expect(row.answer_index).toBe(Number(original[i].answer_index));
			}
			// Each file's scores equal the reference scorer run on that file.
			for (const m of models) {
				const ref = references.get(m.name)!;
				const results = readCsv(join(dir, `${m.name}-${k}shot.csv`));
				for (const [i, row] of rows.entries()) {
					const classes = classesOf(row.classes);
					const l = await Promise.all(classes.map((c) => ref.continuationLogprob(String(row.prompt), c)));
					const mass = Math.log(l.reduce((a, b) => a + Math.exp(b), 0));
					expect(Number(results[i].loss)).toBeCloseTo(mass - l[Number(row.answer_index)], 4);
					expect(Number(results[i].total_logprob)).toBeCloseTo(mass, 4);
				}
			}
		}
		// The 0-shot file is the task as written.
		expect(readJsonl(join(dir, "shots", "classification-0shot.jsonl")).map((r) => r.prompt)).toEqual(
			original.map((r) => r.prompt),
		);
		// labelled_data.jsonl joins every condition's columns onto the original rows.
		const labelled = readJsonl(join(dir, "labelled_data.jsonl"));
		expect(labelled[0].prompt).toBe(original[0].prompt);
		expect(labelled[0]).toHaveProperty("stories260K-4shot_loss");
	});

	it("log-odds: the same demonstrations before both prompts, scores equal the reference", slow, async () => {
		const { dir } = await evalShots("logodds.csv", "1,2", "lo");
		const original = readCsv(join(fixtures, "logodds.csv"));
		for (const k of [1, 2]) {
			const rows = readJsonl(join(dir, "shots", `logodds-${k}shot.jsonl`));
			for (const m of models) {
				const ref = references.get(m.name)!;
				const results = readCsv(join(dir, `${m.name}-${k}shot.csv`));
				for (const [i, row] of rows.entries()) {
					const prompt = String(row.prompt);
					const other = String(row.other_prompt);
					const block = prompt.slice(0, prompt.length - original[i].prompt.length);
					expect(other).toBe(block + original[i].other_prompt);
					expect(block.split("\n\n")).toHaveLength(k + 1);
					const [c0, c1] = classesOf(row.classes);
					const lp = async (p: string) =>
						(await ref.nextTokenLogprob(p, c0)) - (await ref.nextTokenLogprob(p, c1));
					let d = (await lp(prompt)) - (await lp(other));
					if (Number(row.answer_index) === 1) d = -d;
					expect(Number(results[i].logodds_difference)).toBeCloseTo(d, 4);
				}
			}
		}
	});

	it("a rerun with the same seed writes the same bytes; another seed draws otherwise", slow, async () => {
		const first = await evalShots("sequence.jsonl", "0,2", "seq-1", ["--shots-separator", "\\n---\\n"]);
		const again = await evalShots("sequence.jsonl", "0,2", "seq-2", ["--shots-separator", "\\n---\\n"]);
		const other = await evalShots("sequence.jsonl", "2", "seq-3", [
			"--shots-separator",
			"\\n---\\n",
			"--shots-seed",
			"99",
		]);
		expect(first.run.shots.separator).toBe("\n---\n");
		for (const file of [
			"shots/sequence-0shot.jsonl",
			"shots/sequence-2shot.jsonl",
			"tiny-a-2shot.csv",
			"stories260K-2shot.csv",
			"details/stories260K-2shot.jsonl",
		])
			expect(readFileSync(join(again.dir, file)).equals(readFileSync(join(first.dir, file))), file).toBe(
				true,
			);
		expect(again.run.shots).toEqual(first.run.shots);
		expect(other.run.shots.seed).toBe(99);
		// Four examples: the 2-shot block is 2 of them; seed 99 draws another block or order.
		expect(other.run.shots.draws[0].demonstrations).not.toEqual(first.run.shots.draws[1].demonstrations);
		// The completion is a demonstration's answer: each row is scored on its own completion.
		const rows = readJsonl(join(first.dir, "shots", "sequence-2shot.jsonl"));
		const ref = references.get("stories260K")!;
		const results = readCsv(join(first.dir, "stories260K-2shot.csv"));
		for (const [i, row] of rows.entries())
			expect(Number(results[i].loss)).toBeCloseTo(
				-(await ref.continuationLogprob(String(row.prompt), String(row.completion))),
				4,
			);
	});

	it("rows whose k-shot prompt no longer fits are reported before that condition scores", async () => {
		const short = await randomModel("tiny-short", { ...TEST_SHAPES["tiny-a"], contextLength: 48 });
		const result = await runCli([
			"eval",
			join(fixtures, "classification.csv"),
			"--models",
			short,
			"--shots",
			"0,4",
			"--out",
			join(out, "overflow"),
			"--no-cache",
			"--no-report",
		]);
		expect(result.code).toBe(3);
		const run = JSON.parse(readFileSync(join(out, "overflow", "classification", "run.json"), "utf8"));
		const [zero, four] = run.models;
		expect(zero).toMatchObject({ name: "tiny-short-0shot", status: "ok", examplesScored: 6 });
		expect(four).toMatchObject({ name: "tiny-short-4shot", status: "failed", examplesScored: 0 });
		expect(four.error).toMatch(
			/row 0 \(line 1 of shots\/classification-4shot\.jsonl\): needs \d+ tokens; the context window holds 48/,
		);
		expect(four.error).toMatch(/fewer shots/);
		// Refused while planning: nothing of it was scored or written.
		expect(existsSync(join(out, "overflow", "classification", "tiny-short-4shot.csv"))).toBe(false);
	});

	it("too few examples for the shots asked is refused before anything is scored", async () => {
		const result = await runCli([
			"eval",
			join(fixtures, "logodds.csv"),
			"--models",
			models[0].path,
			"--shots",
			"0,4",
			"--out",
			join(out, "too-many"),
			"--no-cache",
		]);
		expect(result.code).not.toBe(0);
		expect(result.stderr).toMatch(/logodds\.csv: 4 demonstrations need at least 5 examples.*has 4/);
		expect(result.stderr).toMatch(/fewer shots/);
	});
});
