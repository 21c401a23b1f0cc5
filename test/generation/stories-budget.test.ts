/**
 * @module Budget forcing on a real model in-process (stories260K, `--budgets 0,16,64`, through the
 * CLI): every recorded reasoning token is the greedy choice of an independent forward pass on the
 * recorded text; the class log-probs after the answer cue equal scoring the recorded text + class
 * as one fresh sequence; and a run killed with SIGKILL resumes without regenerating anything that
 * had finished, ending with the same files byte for byte.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GenerationDetails } from "../../src/generation/types.js";
import type { RunManifest, RunSummary } from "../../src/run/manifest.js";
import { openStore } from "../../src/store/index.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { killWhen } from "../helpers/kill.js";
import { STORIES_260K } from "../helpers/models.js";
import { ReferenceScorer } from "../helpers/reference-scorer.js";

const BUDGETS = [0, 16, 64];
const EXAMPLES = 6;
const open = "<think>\n";

function writeTask(dir: string, examples: number): string {
	const rows = parse(readFileSync(resolve(repoRoot, "examples/tasks/negation-qa.csv"), "utf8")) as string[][];
	const path = join(dir, "negation-qa.csv");
	writeFileSync(path, stringify(rows.slice(0, examples + 1)));
	return path;
}

const args = (task: string, out: string, store: string) => [
	"eval",
	task,
	"--models",
	STORIES_260K,
	"--budgets",
	BUDGETS.join(","),
	"--precision",
	"exact",
	"--out",
	out,
	"--store",
	store,
	"--no-report",
	"--concurrency",
	"1",
];

function details(dir: string, budget: number): GenerationDetails[] {
	return readFileSync(join(dir, `details/stories260K-budget${budget}.jsonl`), "utf8")
		.trim()
		.split("\n")
		.map((l) => JSON.parse(l) as GenerationDetails);
}

describe("budget forcing on stories260K in-process", () => {
	let reference: ReferenceScorer;
	let runDir: string;
	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-stories-budget-"));
		const task = writeTask(dir, EXAMPLES);
		const result = await runCli(args(task, join(dir, "runs"), join(dir, "s.sqlite")));
		expect(result.code, result.stderr).toBe(0);
		runDir = join(dir, "runs", "negation-qa");
		reference = await ReferenceScorer.open(STORIES_260K);
	}, 120_000);
	afterAll(async () => {
		await reference?.dispose();
	});

	it("records the reasoning it generated within each budget, and none at budget 0", () => {
		const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8")) as RunSummary;
		expect(summary.models.map((m) => m.coords?.budget)).toEqual(BUDGETS);
		expect(summary.plotted).toBe("correct");
		for (const budget of BUDGETS) {
			for (const d of details(runDir, budget)) {
				expect(d.mechanism).toBe("forcing");
				expect(d.reasoningTokens).toBe(d.reasoningIds?.length ?? 0);
				expect(d.reasoningTokens).toBeLessThanOrEqual(budget);
				if (budget === 0) expect(d.reasoning).toBe("");
				else if (!d.stoppedEarly) expect(d.reasoningTokens).toBe(budget);
			}
		}
	});

	it("every recorded reasoning token is the greedy choice of an independent forward pass", async () => {
		let checked = 0;
		for (const budget of [16, 64]) {
			for (const d of details(runDir, budget)) {
				const prompt = d.text!.slice(0, d.text!.indexOf(open) + open.length);
				const promptIds = [1, ...reference.tokenize(prompt)]; // stories260K's BOS is 1
				const ids = [...promptIds, ...d.reasoningIds!];
				const choices = await reference.nextChoices(ids, promptIds.length);
				expect(choices).toHaveLength(d.reasoningIds!.length);
				choices.forEach((c, j) => {
					// The greedy choice; a tie within float noise may pick either of the tied tokens.
					if (c.best !== d.reasoningIds![j]) expect(c.pActual).toBeGreaterThan(c.pBest - 1e-6);
				});
				expect(choices.filter((c, j) => c.best === d.reasoningIds![j]).length).toBeGreaterThan(
					choices.length * 0.9,
				);
				checked += choices.length;
			}
		}
		expect(checked).toBeGreaterThan(EXAMPLES * 16);
	}, 180_000);

	it("class log-probs after the answer cue equal scoring the recorded text + class as one sequence, to 1e-4", async () => {
		let checked = 0;
		for (const budget of BUDGETS) {
			for (const d of details(runDir, budget)) {
				expect(d.text!.endsWith("\n</think>\n\nAnswer:")).toBe(true);
				expect(d.classLogprobs).toHaveLength(2);
				for (const [k, cls] of [" A", " B"].entries()) {
					const want = await reference.continuationLogprob(d.text!, cls);
					expect(Math.abs(d.classLogprobs![k] - want)).toBeLessThan(1e-4);
					checked++;
				}
			}
		}
		expect(checked).toBe(BUDGETS.length * EXAMPLES * 2);
	}, 180_000);
});

const KILL_EXAMPLES = 40;

function lines(path: string): number {
	return existsSync(path) ? readFileSync(path, "utf8").split("\n").length - 2 : 0;
}

function generationEntries(storePath: string): number {
	const store = openStore(storePath);
	try {
		return (
			store.db.prepare<[], number>("SELECT count(*) FROM cache_entries WHERE kind = 4").pluck().get() ?? 0
		);
	} finally {
		store.close();
	}
}

describe("a generation run killed with SIGKILL resumes from its cache", () => {
	it("regenerates nothing that had finished and ends with identical files", {
		timeout: 300_000,
	}, async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-gen-kill-"));
		const task = writeTask(dir, KILL_EXAMPLES);
		const clean = await runCli(args(task, join(dir, "clean"), join(dir, "clean.sqlite")));
		expect(clean.code, clean.stderr).toBe(0);
		const allEntries = generationEntries(join(dir, "clean.sqlite"));

		// Kill once the largest budget is about half-way.
		const out = join(dir, "resumed");
		const store = join(dir, "resumed.sqlite");
		const child = spawn(
			process.execPath,
			["--import", "tsx", join(repoRoot, "src/cli/main.ts"), ...args(task, out, store)],
			{
				stdio: "ignore",
			},
		);
		const progress = join(out, "negation-qa", "stories260K-budget64.csv");
		await killWhen(child, () => lines(progress) >= KILL_EXAMPLES / 2, "it could be killed");
		expect(child.signalCode).toBe("SIGKILL");
		const kept = generationEntries(store);
		expect(kept).toBeLessThan(allEntries);

		const again = await runCli(args(task, out, store));
		expect(again.code, again.stderr).toBe(0);
		const run = JSON.parse(readFileSync(join(out, "negation-qa", "run.json"), "utf8")) as RunManifest;
		// The finished budgets come wholly from the cache; the rerun generates exactly what was missing.
		expect(run.models.map((m) => m.name)).toEqual(BUDGETS.map((b) => `stories260K-budget${b}`));
		const [b0, b16] = run.models;
		expect([b0.generated, b16.generated]).toEqual([0, 0]);
		const generated = run.models.reduce((n, m) => n + (m.generated ?? 0), 0);
		expect(generated).toBe(allEntries - kept);
		expect(generated).toBeGreaterThan(0);
		for (const file of [
			"stories260K-budget0.csv",
			"stories260K-budget64.csv",
			"details/stories260K-budget16.jsonl",
			"details/stories260K-budget64.jsonl",
			"labelled_data.jsonl",
			"summary.json",
		]) {
			expect(readFileSync(join(out, "negation-qa", file), "utf8"), file).toBe(
				readFileSync(join(dir, "clean", "negation-qa", file), "utf8"),
			);
		}
	});
});
