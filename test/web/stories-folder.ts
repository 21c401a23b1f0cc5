/** @module A work folder for browser tests: stories260K in `models/`, and `neg-4.csv`, the first 4 negation examples. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../helpers/cli.js";
import { STORIES_260K } from "../helpers/models.js";

export function storiesFolder(prefix: string): string {
	const work = mkdtempSync(join(tmpdir(), prefix));
	mkdirSync(join(work, "models"));
	copyFileSync(STORIES_260K, join(work, "models", "stories260K.gguf"));
	// Each row of the negation task is two lines: the header and 4 rows are the first 9.
	const lines = readFileSync(resolve(repoRoot, "examples/tasks/negation-qa.csv"), "utf8").split("\n");
	writeFileSync(join(work, "neg-4.csv"), `${lines.slice(0, 9).join("\n")}\n`);
	return work;
}
