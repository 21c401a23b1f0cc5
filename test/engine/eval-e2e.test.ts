/**
 * `invscale eval` end to end on a ladder of three random-weight models plus stories260K, for every
 * task type: the files written, and every number checked against an independent reference.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { STORIES_260K, testLadder } from "../helpers/models.js";
import { ReferenceScorer } from "../helpers/reference-scorer.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "eval");
let ladder: Array<{ name: string; path: string }>;
let out: string;
const references = new Map<string, ReferenceScorer>();

beforeAll(async () => {
	ladder = [...(await testLadder()), { name: "stories260K", path: STORIES_260K }];
	out = mkdtempSync(join(tmpdir(), "invscale-eval-"));
	for (const m of ladder) references.set(m.name, await ReferenceScorer.open(m.path));
});
afterAll(async () => {
	for (const r of references.values()) await r.dispose();
});

function readCsv(path: string): Record<string, string>[] {
	return parse(readFileSync(path, "utf8"), { columns: true }) as Record<string, string>[];
}

function readJsonl(path: string): Record<string, unknown>[] {
	return readFileSync(path, "utf8")
		.trim()
		.split("\n")
		.map((l) => JSON.parse(l));
}

/** Runs eval and checks what every task type shares: files, columns, row counts, order, manifest. */
async function evalTask(file: string, columns: string[], rows: number, extra: string[] = []) {
	const dirName = file.replace(/\.[a-z]+$/, "");
	const outDir = join(out, extra.length ? `${dirName}-${extra.join("-").replace(/-/g, "")}` : dirName);
	const result = await runCli([
		"eval",
		join(fixtures, file),
		"--models",
		ladder.map((m) => m.path).join(","),
		"--out",
		outDir,
		"--precision",
		"exact",
		"--store",
		join(out, "store.sqlite"),
		"--no-report",
		...extra,
	]);
	expect(result.stderr).not.toMatch(/error:/);
	expect(result.code).toBe(0);
	const dir = join(outDir, dirName);
	const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
	expect(run.status).toBe("complete");
	expect(run.options.precision).toBe("exact");
	expect(run.task.examples).toBe(rows);
	// Smallest first; parameters counted from the GGUF tensors.
	const sizes = run.models.map((m: { parameters: number }) => m.parameters);
	expect(sizes).toEqual([...sizes].sort((a: number, b: number) => a - b));
	expect(run.models.map((m: { name: string }) => m.name)).toEqual([
		"tiny-a",
		"tiny-b",
		"stories260K",
		"tiny-c",
	]);
	for (const m of run.models) {
		expect(m.status).toBe("ok");
		expect(m.boundaryMethod).toBe("joint-tokenization-offsets-strict");
		expect(m.info.identity).toMatch(/^sha256:[0-9a-f]{64}$/);
		const csv = readFileSync(join(dir, `${m.name}.csv`), "utf8");
		expect(csv.split("\n")[0]).toBe(columns.join(","));
		const parsed = readCsv(join(dir, `${m.name}.csv`));
		expect(parsed.map((r) => Number(r.index))).toEqual([...Array(rows).keys()]);
	}
	const labelled = readJsonl(join(dir, "labelled_data.jsonl"));
	expect(labelled).toHaveLength(rows);
	for (const m of ladder) expect(labelled[0]).toHaveProperty(`${m.name}_${columns[1]}`);
	return { dir, run, summary: JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) };
}

describe("invscale eval on a four-model ladder", () => {
	it("classification: every loss equals the reference, recomputed by hand", async () => {
		const { dir, summary } = await evalTask(
			"classification.csv",
			["index", "loss", "correct", "predicted", "total_logprob"],
			6,
		);
		const rows = readCsv(join(fixtures, "classification.csv"));
		for (const m of ladder) {
			const ref = references.get(m.name)!;
			const results = readCsv(join(dir, `${m.name}.csv`));
			for (const [i, row] of rows.entries()) {
				const classes: string[] = JSON.parse(row.classes.replaceAll("'", '"'));
				const answer = Number(row.answer_index);
				const l = await Promise.all(classes.map((c) => ref.continuationLogprob(row.prompt, c)));
				const mass = Math.log(l.reduce((a, b) => a + Math.exp(b), 0));
				const best = l.indexOf(Math.max(...l));
				expect(Number(results[i].loss)).toBeCloseTo(mass - l[answer], 4);
				expect(Number(results[i].total_logprob)).toBeCloseTo(mass, 4);
				expect(Number(results[i].correct)).toBe(best === answer ? 1 : 0);
				expect(results[i].predicted).toBe(classes[best]);
			}
			const losses = results.map((r) => Number(r.loss));
			const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
			const sd = Math.sqrt(losses.reduce((a, b) => a + (b - mean) ** 2, 0) / losses.length);
			const s = summary.models.find((x: { name: string }) => x.name === m.name);
			expect(s.loss.mean).toBeCloseTo(mean, 10);
			expect(s.loss.se).toBeCloseTo(sd / Math.sqrt(losses.length), 10);
			// Chance: mean over rows of ln K and 1/K with K = 3, 2, 4, 2, 3, 2.
			const ks = [3, 2, 4, 2, 3, 2];
			expect(s.chance.loss).toBeCloseTo(ks.reduce((a, k) => a + Math.log(k), 0) / 6, 10);
			expect(s.chance.accuracy).toBeCloseTo(ks.reduce((a, k) => a + 1 / k, 0) / 6, 10);
		}
		// The extra column is kept in the joined data.
		expect(readJsonl(join(dir, "labelled_data.jsonl"))[0].note).toBe("three");
	});

	it("sequence_prob: loss is the summed negative log-prob of the completion", async () => {
		const { dir } = await evalTask("sequence.jsonl", ["index", "loss"], 4);
		const rows = readJsonl(join(fixtures, "sequence.jsonl")) as Array<{ prompt: string; completion: string }>;
		for (const m of ladder) {
			const ref = references.get(m.name)!;
			const results = readCsv(join(dir, `${m.name}.csv`));
			for (const [i, row] of rows.entries()) {
				expect(Number(results[i].loss)).toBeCloseTo(
					-(await ref.continuationLogprob(row.prompt, row.completion)),
					4,
				);
			}
		}
	});

	it.each([
		["logodds", false],
		["absolute_logodds", true],
	] as const)("%s: log-odds difference from next-token log-probs", async (type, absolute) => {
		const { dir } = await evalTask(
			"logodds.csv",
			["index", "logodds_difference", "correct", "total_logprob"],
			4,
			type === "absolute_logodds" ? ["--type", type] : [],
		);
		const rows = readCsv(join(fixtures, "logodds.csv"));
		for (const m of ladder) {
			const ref = references.get(m.name)!;
			const results = readCsv(join(dir, `${m.name}.csv`));
			for (const [i, row] of rows.entries()) {
				const classes: string[] = JSON.parse(row.classes.replaceAll("'", '"'));
				const a = Number(row.answer_index);
				const p = await Promise.all(classes.map((c) => ref.nextTokenLogprob(row.prompt, c)));
				const o = await Promise.all(classes.map((c) => ref.nextTokenLogprob(row.other_prompt, c)));
				let d = p[0] - p[1] - (o[0] - o[1]);
				if (a === 1) d = -d;
				if (absolute) d = Math.abs(d);
				expect(Number(results[i].logodds_difference)).toBeCloseTo(d, 4);
				expect(Number(results[i].correct)).toBe((o[0] >= o[1] ? 0 : 1) === a ? 1 : 0);
				const four = [...p, ...o].reduce((s, x) => s + Math.exp(x), 0);
				expect(Number(results[i].total_logprob)).toBeCloseTo(Math.log(four), 4);
			}
		}
	});
});
