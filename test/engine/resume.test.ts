/**
 * The kill test: a child `invscale eval` is killed with SIGKILL halfway, started again with the
 * same command, and must recompute nothing that had finished and end with the same files,
 * byte for byte, as a run that was never interrupted.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { countEntries } from "../../src/store/cache-admin.js";
import { openStore } from "../../src/store/index.js";
import { sha256File } from "../../src/util/hash.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { randomModel, STORIES_260K } from "../helpers/models.js";

const EXAMPLES = 120;
/** The first 120 examples of an example task (2 classes each), written to `dir`. */
function writeTask(dir: string): string {
	const rows = parse(readFileSync(resolve(repoRoot, "examples/tasks/negation-qa.csv"), "utf8")) as string[][];
	const path = join(dir, "negation-qa.csv");
	writeFileSync(path, stringify(rows.slice(0, EXAMPLES + 1)));
	return path;
}

function lines(path: string): number {
	return existsSync(path) ? readFileSync(path, "utf8").split("\n").length - 2 : 0;
}

describe("a run killed with SIGKILL resumes from its cache", () => {
	it("recomputes nothing that had finished and ends with identical files", { timeout: 240_000 }, async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-kill-"));
		const small = await randomModel("tiny-b");
		const TASK = writeTask(dir);
		// One example in flight at a time, so scores do not depend on how examples share batches.
		const args = (out: string, store: string) => [
			"eval",
			TASK,
			"--models",
			`${small},${STORIES_260K}`,
			"--out",
			out,
			"--store",
			store,
			"--no-report",
			"--concurrency",
			"1",
		];

		const clean = await runCli(args(join(dir, "clean"), join(dir, "clean.sqlite")));
		expect(clean.code).toBe(0);

		// Kill the run once the larger model is about half-way.
		const out = join(dir, "resumed");
		const store = join(dir, "resumed.sqlite");
		const child = spawn(
			process.execPath,
			["--import", "tsx", join(repoRoot, "src/cli/main.ts"), ...args(out, store)],
			{
				stdio: "ignore",
			},
		);
		const progress = join(out, "negation-qa", "stories260K.csv");
		await new Promise<void>((done, fail) => {
			const timer = setInterval(() => {
				if (lines(progress) >= EXAMPLES / 2) {
					clearInterval(timer);
					child.kill("SIGKILL");
					done();
				}
			}, 20);
			child.on("exit", () => {
				clearInterval(timer);
				fail(new Error("the run ended before it could be killed"));
			});
		});
		await new Promise((r) => child.once("exit", r));
		expect(child.signalCode).toBe("SIGKILL");

		// What the killed run had finished: every cached example of the larger model.
		const storiesId = `sha256:${await sha256File(STORIES_260K)}`;
		const smallId = `sha256:${await sha256File(small)}`;
		const db = openStore(store);
		const finishedStories = countEntries(db, [storiesId]) / 2; // two classes per example
		expect(countEntries(db, [smallId])).toBe(EXAMPLES * 2);
		db.close();
		expect(finishedStories).toBeGreaterThanOrEqual(EXAMPLES / 2);
		expect(finishedStories).toBeLessThan(EXAMPLES);

		const again = await runCli(args(out, store));
		expect(again.code).toBe(0);
		const run = JSON.parse(readFileSync(join(out, "negation-qa", "run.json"), "utf8"));
		const [tiny, stories] = run.models;
		expect(tiny.backendCalls).toBe(0);
		expect(tiny.tokensEvaluated).toBe(0);
		expect(tiny.cacheHits).toBe(EXAMPLES * 2);
		expect(stories.backendCalls).toBe(EXAMPLES - finishedStories);
		expect(stories.cacheHits).toBe(finishedStories * 2);

		for (const file of [
			"tiny-b.csv",
			"stories260K.csv",
			"details/stories260K.jsonl",
			"labelled_data.jsonl",
			"summary.json",
		]) {
			expect(readFileSync(join(out, "negation-qa", file), "utf8"), file).toBe(
				readFileSync(join(dir, "clean", "negation-qa", file), "utf8"),
			);
		}
	});
});
