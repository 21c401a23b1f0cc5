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

type TaskType = "classification" | "sequence_prob" | "logodds" | "absolute_logodds";

/** Mean, population SE and n, computed here as the prize defines them. */
function expectMeanSe(
	actual: { mean: number; se: number | null; n: number },
	values: number[],
	what: string,
) {
	const n = values.length;
	const mean = values.reduce((a, b) => a + b, 0) / n;
	const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
	expect(actual.n, `${what}: n`).toBe(n);
	expect(actual.mean, `${what}: mean`).toBeCloseTo(mean, 10);
	expect(actual.se, `${what}: se`).toBeCloseTo(sd / Math.sqrt(n), 10);
}

function logSumExp(values: number[]): number {
	const max = Math.max(...values);
	return max + Math.log(values.reduce((a, v) => a + Math.exp(v - max), 0));
}

/**
 * Every aggregate of summary.json against numbers recomputed here: each metric's per-example value
 * from `details/<model>.jsonl` (it must also be the CSV's), then its mean, SE and n; coverage as
 * mean(Σ exp ℓ) over the details; chance from the task's classes. Also what must be absent.
 */
function checkSummary(
	dir: string,
	summary: Record<string, unknown> & { models: Array<Record<string, unknown>> },
	type: TaskType,
	task: Record<string, string>[],
) {
	expect(summary.type).toBe(type);
	expect(summary.plotted).toBe(
		type === "logodds" || type === "absolute_logodds" ? "logodds_difference" : "loss",
	);
	const metrics = {
		classification: ["loss", "correct"],
		sequence_prob: ["loss"],
		logodds: ["logodds_difference", "correct"],
		absolute_logodds: ["logodds_difference", "correct"],
	}[type];
	const seen: Record<string, number[]> = { correct: [], coverage: [], logodds_difference: [] };
	expect(summary.models.map((s) => s.name)).toEqual(["tiny-a", "tiny-b", "stories260K", "tiny-c"]);
	for (const s of summary.models) {
		const name = String(s.name);
		const csv = readCsv(join(dir, `${name}.csv`));
		const details = readJsonl(join(dir, "details", `${name}.jsonl`)) as Array<{
			index: number;
			logprobs: number[];
		}>;
		expect(details.map((d) => d.index)).toEqual(csv.map((r) => Number(r.index)));
		const recomputed: Record<string, number[]> = { loss: [], correct: [], logodds_difference: [] };
		const mass: number[] = [];
		for (const [i, d] of details.entries()) {
			const l = d.logprobs;
			const row = task[d.index];
			const a = Number(row.answer_index);
			if (type === "classification") {
				recomputed.loss.push(logSumExp(l) - l[a]);
				recomputed.correct.push(l.indexOf(Math.max(...l)) === a ? 1 : 0);
			} else if (type === "sequence_prob") {
				recomputed.loss.push(-l[0]);
			} else {
				let diff = l[0] - l[1] - (l[2] - l[3]);
				if (a === 1) diff = -diff;
				recomputed.logodds_difference.push(type === "absolute_logodds" ? Math.abs(diff) : diff);
				recomputed.correct.push((l[2] >= l[3] ? 0 : 1) === a ? 1 : 0);
			}
			if (type !== "sequence_prob") {
				mass.push(l.reduce((t, v) => t + Math.exp(v), 0));
				expect(Number(csv[i].total_logprob)).toBeCloseTo(Math.log(mass[i]), 6);
			}
		}
		for (const metric of metrics) {
			recomputed[metric].forEach((v, i) => {
				expect(Number(csv[i][metric]), `${name} row ${i} ${metric}`).toBeCloseTo(v, 6);
			});
			expectMeanSe(s[metric] as never, recomputed[metric], `${name} ${metric}`);
			seen[metric]?.push((s[metric] as { mean: number }).mean);
		}
		for (const absent of ["loss", "correct", "logodds_difference"].filter((m) => !metrics.includes(m)))
			expect(s, `${name} has no ${absent}`).not.toHaveProperty(absent);
		if (type === "sequence_prob") {
			expect(s).not.toHaveProperty("coverage");
		} else {
			const coverage = mass.reduce((a, b) => a + b, 0) / mass.length;
			expect(s.coverage as number, `${name} coverage`).toBeCloseTo(coverage, 10);
			seen.coverage.push(coverage);
		}
		if (type === "classification") {
			const ks = task.map((row) => (JSON.parse(row.classes.replaceAll("'", '"')) as string[]).length);
			const chance = s.chance as { loss: number; accuracy: number };
			expect(chance.loss).toBeCloseTo(ks.reduce((t, k) => t + Math.log(k), 0) / ks.length, 10);
			expect(chance.accuracy).toBeCloseTo(ks.reduce((t, k) => t + 1 / k, 0) / ks.length, 10);
		} else {
			expect(s, `${name} has no chance baseline`).not.toHaveProperty("chance");
		}
	}
	// The checks above can tell a right number from a mirrored or scaled one only if these hold.
	if (metrics.includes("correct")) expect(seen.correct.some((m) => Math.abs(m - 0.5) > 0.01)).toBe(true);
	if (type !== "sequence_prob") expect(Math.min(...seen.coverage)).toBeGreaterThan(0);
	if (type === "logodds") expect(seen.logodds_difference.some((m) => Math.abs(m) > 1e-3)).toBe(true);
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

/**
 * Every model's log-odds rows against the reference scorer: d = L(prompt) − L(other_prompt),
 * negated when the answer is class 1 (|d| for absolute_logodds), `correct` judged on
 * other_prompt, and total_logprob the log of the four class probabilities. `logprob` reads a
 * class's log-prob after a prompt the way the rule under test says.
 */
async function checkLogoddsRows(
	dir: string,
	rows: Record<string, string>[],
	logprob: (ref: ReferenceScorer, prompt: string, cls: string) => Promise<number>,
	absolute: boolean,
): Promise<void> {
	for (const m of ladder) {
		const ref = references.get(m.name)!;
		const results = readCsv(join(dir, `${m.name}.csv`));
		for (const [i, row] of rows.entries()) {
			const classes: string[] = JSON.parse(row.classes.replaceAll("'", '"'));
			const a = Number(row.answer_index);
			const p = await Promise.all(classes.map((c) => logprob(ref, row.prompt, c)));
			const o = await Promise.all(classes.map((c) => logprob(ref, row.other_prompt, c)));
			let d = p[0] - p[1] - (o[0] - o[1]);
			if (a === 1) d = -d;
			if (absolute) d = Math.abs(d);
			expect(Number(results[i].logodds_difference), `${m.name} row ${i}`).toBeCloseTo(d, 4);
			expect(Number(results[i].correct)).toBe((o[0] >= o[1] ? 0 : 1) === a ? 1 : 0);
			const four = [...p, ...o].reduce((s, x) => s + Math.exp(x), 0);
			expect(Number(results[i].total_logprob)).toBeCloseTo(Math.log(four), 4);
		}
	}
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
			// Chance: mean over rows of ln K and 1/K with K = 3, 2, 4, 2, 3, 2.
			const ks = [3, 2, 4, 2, 3, 2];
			const s = summary.models.find((x: { name: string }) => x.name === m.name);
			expect(s.chance.loss).toBeCloseTo(ks.reduce((a, k) => a + Math.log(k), 0) / 6, 10);
			expect(s.chance.accuracy).toBeCloseTo(ks.reduce((a, k) => a + 1 / k, 0) / 6, 10);
		}
		checkSummary(dir, summary, "classification", rows);
		// The extra column is kept in the joined data.
		expect(readJsonl(join(dir, "labelled_data.jsonl"))[0].note).toBe("three");
	});

	it("sequence_prob: loss is the summed negative log-prob of the completion", async () => {
		const { dir, summary } = await evalTask("sequence.jsonl", ["index", "loss"], 4);
		const rows = readJsonl(join(fixtures, "sequence.jsonl")) as Array<{ prompt: string; completion: string }>;
		checkSummary(dir, summary, "sequence_prob", rows as never);
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
		const { dir, summary } = await evalTask(
			"logodds.csv",
			["index", "logodds_difference", "correct", "total_logprob"],
			4,
			type === "absolute_logodds" ? ["--type", type] : [],
		);
		const rows = readCsv(join(fixtures, "logodds.csv"));
		await checkLogoddsRows(dir, rows, (ref, prompt, c) => ref.nextTokenLogprob(prompt, c), absolute);
		checkSummary(dir, summary, type, rows);
	});

	it("logodds with classes of several tokens: only each class's last token is read", async () => {
		const { dir, summary } = await evalTask(
			"logodds-multitoken.csv",
			["index", "logodds_difference", "correct", "total_logprob"],
			4,
		);
		const rows = readCsv(join(fixtures, "logodds-multitoken.csv"));
		const stories = references.get("stories260K")!;
		// The fixture means what it says: most classes are several tokens, and the last tokens differ.
		const lengths = rows.flatMap((row) =>
			(JSON.parse(row.classes.replaceAll("'", '"')) as string[]).map(
				(c) => stories.tokenize(row.prompt + c).length - stories.tokenize(row.prompt).length,
			),
		);
		expect(lengths.filter((n) => n > 1).length).toBeGreaterThanOrEqual(6);
		await checkLogoddsRows(dir, rows, (ref, prompt, c) => ref.lastTokenLogprob(prompt, c), false);
		checkSummary(dir, summary, "logodds", rows);
	});
});
