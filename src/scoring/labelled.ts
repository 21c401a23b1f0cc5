/** @module labelled_data.jsonl: each input row joined on `index` with every model's columns, prefixed `<model>_`. */
import type { Example } from "../tasks/types.js";
import type { PrizeRow } from "./assemble.js";

/** The input fields of an example under the prize's column names, extra columns included. */
export function inputRow(example: Example): Record<string, unknown> {
	const base: Record<string, unknown> = { index: example.index };
	switch (example.kind) {
		case "classification":
			Object.assign(base, {
				prompt: example.prompt,
				classes: example.classes,
				answer_index: example.answerIndex,
			});
			break;
		case "sequence_prob":
			Object.assign(base, { prompt: example.prompt, completion: example.completion });
			break;
		case "logodds":
			Object.assign(base, {
				prompt: example.prompt,
				other_prompt: example.otherPrompt,
				classes: example.classes,
				answer_index: example.answerIndex,
			});
			break;
		case "exact_answer":
			Object.assign(base, { prompt: example.prompt, answer: example.answer, aliases: example.aliases });
			break;
	}
	return { ...base, ...example.extra };
}

/** One JSON line per example, in file order. Non-finite numbers become null (JSON has no NaN). */
export function labelledLines(
	examples: readonly Example[],
	models: ReadonlyArray<{ name: string; rows: ReadonlyMap<number, PrizeRow> }>,
): string {
	let out = "";
	for (const example of examples) {
		const row = inputRow(example);
		for (const model of models) {
			const scored = model.rows.get(example.index);
			if (!scored) continue;
			for (const [key, value] of Object.entries(scored)) {
				if (key === "index") continue;
				row[`${model.name}_${key}`] = typeof value === "number" && !Number.isFinite(value) ? null : value;
			}
		}
		out += `${JSON.stringify(row)}\n`;
	}
	return out;
}
