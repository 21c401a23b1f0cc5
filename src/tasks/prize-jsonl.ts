/**
 * @module Writes examples back out as a prize-format JSONL task file (the columns of their type,
 * `classes` as a Python list literal string as the prize's own files have it), so another tool can
 * score exactly what invscale scored.
 */
import type { Example } from "./types.js";

/** A Python string literal in single quotes that `ast.literal_eval` (and invscale) reads back exactly. */
export function pythonString(text: string): string {
	let out = "'";
	for (const ch of text) {
		const code = ch.codePointAt(0)!;
		if (ch === "\\") out += "\\\\";
		else if (ch === "'") out += "\\'";
		else if (ch === "\n") out += "\\n";
		else if (ch === "\r") out += "\\r";
		else if (ch === "\t") out += "\\t";
		else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
		else out += ch;
	}
	return `${out}'`;
}

/** `['a', 'b']`, the prize's way of storing classes in a cell. */
export function pythonList(values: readonly string[]): string {
	return `[${values.map(pythonString).join(", ")}]`;
}

/** One JSON object per example with the prize's columns for its kind. */
export function prizeRecord(example: Example): Record<string, string | number> {
	switch (example.kind) {
		case "classification":
			return {
				prompt: example.prompt,
				classes: pythonList(example.classes),
				answer_index: example.answerIndex,
			};
		case "sequence_prob":
			return { prompt: example.prompt, completion: example.completion };
		case "logodds":
			return {
				prompt: example.prompt,
				other_prompt: example.otherPrompt,
				classes: pythonList(example.classes),
				answer_index: example.answerIndex,
			};
		case "exact_answer":
			return { prompt: example.prompt, answer: example.answer, aliases: pythonList(example.aliases) };
	}
}

/** The whole file: one line per example, in order. */
export function prizeJsonl(examples: readonly Example[]): string {
	return examples.map((e) => `${JSON.stringify(prizeRecord(e))}\n`).join("");
}
