/**
 * @module A submission as a judge knows it: by its blind label. The names an entrant gave its
 * files (a file called after its author names the author) are replaced by the label in every
 * string of an answer, and the download is offered under the label.
 */
import { extname } from "node:path";
import type { Version } from "./contest-store.js";

/** The names of a submission's files, as uploaded and as stored beside the task (longest first). */
export function fileNames(versions: readonly Version[]): string[] {
	const names = new Set<string>();
	for (const v of versions) {
		const stem = v.fileName.slice(0, v.fileName.length - extname(v.fileName).length);
		names.add(v.fileName);
		for (const suffix of [".card.yaml", ".card.yml", ".md"]) names.add(`${stem}${suffix}`);
		if (v.cardName) names.add(v.cardName);
	}
	return [...names].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
}

/** The task's name as a judge sees it, and the names its files are known by in answers. */
export interface BlindNames {
	label: string;
	/** Every file name of the submission's versions (`bob-mt.csv`, `bob-mt.card.yaml`…). */
	files: string[];
	/** The tasks' names (the stems of the files, e.g. `bob-mt`). */
	tasks: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function replaceAll(text: string, names: BlindNames): string {
	let out = text;
	for (const file of names.files) {
		if (!out.includes(file)) continue;
		const ext = file.endsWith(".card.yaml") ? ".card.yaml" : extname(file);
		// Whole names only: `a.csv` is replaced in "a.csv:3" and "/x/a.csv", not in "data.csv".
		const whole = new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(file)}(?![A-Za-z0-9_-])`, "g");
		out = out.replace(whole, `${names.label}${ext}`);
	}
	return out;
}

/**
 * `value` with each file name replaced by the label (keeping its extension) in every string, and
 * each string that is exactly a task's name replaced by the label.
 */
export function blind<T>(value: T, names: BlindNames): T {
	const walk = (v: unknown): unknown => {
		if (typeof v === "string") return names.tasks.includes(v) ? names.label : replaceAll(v, names);
		if (Array.isArray(v)) return v.map(walk);
		if (v !== null && typeof v === "object")
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
		return v;
	};
	return walk(value) as T;
}

/** What a judge downloads the task data as: the label with the file's extension. */
export function blindFileName(label: string, fileName: string): string {
	return `${label}${extname(fileName).toLowerCase()}`;
}
