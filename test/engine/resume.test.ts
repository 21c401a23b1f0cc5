/**
 * The kill test: a child `invscale eval` is held at a fixed scoring call (the engine's test hold
 * point) and killed there with SIGKILL, started again with the same command, and must recompute
 * nothing that had finished and end with the same files, byte for byte, as a run never interrupted.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { countEntries } from "../../src/store/cache-admin.js";
import { openStore } from "../../src/store/index.js";
import { sha256File } from "../../src/util/hash.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { killWhen } from "../helpers/kill.js";
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

		// Hold the larger model's backend before its call for example 60 (one call per example at
		// concurrency 1), then kill: examples 0–59 are finished, and nothing else is.
		const out = join(dir, "resumed");
		const store = join(dir, "resumed.sqlite");
		const holdDir = join(dir, "hold");
		mkdirSync(holdDir);
		const HELD = EXAMPLES / 2;
		const child = spawn(
			process.execPath,
			["--import", "tsx", join(repoRoot, "src/cli/main.ts"), ...args(out, store)],
			{
				stdio: "ignore",
				env: {
					...process.env,
					INVSCALE_TEST_HOLD_DIR: holdDir,
					INVSCALE_TEST_HOLD_AT: `stories260K@${HELD}`,
				},
			},
		);
		await killWhen(
			child,
			() => existsSync(join(holdDir, `held-stories260K@${HELD}`)),
			"it reached the hold point",
			20,
		);
		expect(child.signalCode).toBe("SIGKILL");

		// What the killed run had finished: exactly the examples before the hold point.
		const storiesId = `sha256:${await sha256File(STORIES_260K)}`;
		const smallId = `sha256:${await sha256File(small)}`;
		const db = openStore(store);
		const finishedStories = countEntries(db, [storiesId]) / 2; // two classes per example
		expect(countEntries(db, [smallId])).toBe(EXAMPLES * 2);
		db.close();
		expect(finishedStories).toBe(HELD);
		expect(lines(join(out, "negation-qa", "stories260K.csv"))).toBe(HELD);

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
