/**
 * @module Writes the organisms' tasks as prize-format CSV files with their cards, and the held-out
 * text as a sequence_prob task (the ladder's own scaling law is measured on it).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify as toCsv } from "csv-stringify/sync";
import { stringify as toYaml } from "yaml";
import { pythonList } from "../tasks/prize-jsonl.js";
import type { OrganismsConfig } from "./config.js";
import { heldOutText, type Language } from "./language.js";
import { organismTasks } from "./tasks.js";

export function writeTaskFiles(
	dir: string,
	language: Language,
	config: OrganismsConfig,
): Array<{ what: string; path: string }> {
	mkdirSync(dir, { recursive: true });
	const written: Array<{ what: string; path: string }> = [];
	for (const task of organismTasks(language.roles, config.tasks.plain_per_task, config.seed)) {
		const csv = join(dir, `${task.name}.csv`);
		writeFileSync(
			csv,
			toCsv([
				["prompt", "classes", "answer_index"],
				...task.examples.map((e) => [e.prompt, pythonList(e.classes), e.answerIndex]),
			]),
		);
		writeFileSync(
			join(dir, `${task.name}.card.yaml`),
			toYaml({ ...task.card, expected_verdict: task.expected }),
		);
		written.push({ what: `task (${task.cause})`, path: csv });
	}
	return written;
}

/** `held-out.csv` in `dir`: held-out text as a sequence_prob task. */
export function writeHeldOutTask(
	dir: string,
	language: Language,
	config: OrganismsConfig,
): { what: string; path: string } {
	// Each held-out document is one example: its first word as the prompt, the rest as the completion.
	const held = join(dir, "held-out.csv");
	const rows = heldOutText(config, language)
		.split("\n")
		.filter(Boolean)
		.map((doc) => {
			const at = doc.indexOf(" ");
			return [doc.slice(0, at), doc.slice(at)];
		});
	writeFileSync(held, toCsv([["prompt", "completion"], ...rows]));
	return { what: "held-out text (sequence_prob)", path: held };
}
