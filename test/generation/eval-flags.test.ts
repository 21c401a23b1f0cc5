/** @module `invscale eval` generation flags: usage errors name the flag and the fix, before anything is loaded. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "invscale-gen-flags-"));
const task = join(dir, "t.csv");
writeFileSync(task, `prompt,classes,answer_index\n"Q?","[' a', ' b']",0\n`);
const evalWith = (...flags: string[]) =>
	runCli([
		"eval",
		task,
		"--models",
		join(dir, "none.gguf"),
		"--no-cache",
		"--out",
		join(dir, "runs"),
		...flags,
	]);

describe("generation flags of invscale eval", () => {
	it("refuses unreadable budgets, samples at temperature 0 and sampling flags without budgets", async () => {
		const [mixed, greedy, stray] = await Promise.all([
			evalWith("--budgets", "0,high"),
			evalWith("--budgets", "0,16", "--samples", "4"),
			evalWith("--temperature", "0.7"),
		]);
		for (const r of [mixed, greedy, stray]) expect(r.code).toBe(2);
		expect(mixed.stderr).toContain("--budgets mixes token counts and effort levels");
		expect(greedy.stderr).toContain("--samples 4 at temperature 0 would draw the same greedy answer 4 times");
		expect(greedy.stderr).toContain("--temperature 0.7");
		expect(stray.stderr).toContain("apply to generation");
		expect(stray.stderr).toContain("--budgets 0");
	}, 60_000);
});
