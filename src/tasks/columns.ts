/** @module Which columns each task type needs, and choosing a task's type from its columns. */
import { canonicalType } from "./type-names.js";
import type { TaskType, TaskTypeName, TaskTypeSource } from "./types.js";

/** The columns each computation reads. */
export const requiredColumns: Record<TaskType, readonly string[]> = {
	classification: ["prompt", "classes", "answer_index"],
	sequence_prob: ["prompt", "completion"],
	logodds: ["prompt", "other_prompt", "classes", "answer_index"],
	absolute_logodds: ["prompt", "other_prompt", "classes", "answer_index"],
	exact_answer: ["prompt", "answer"],
};

/** Columns a type reads when present: an exact answer's other accepted spellings. */
export const optionalColumns: Partial<Record<TaskType, readonly string[]>> = { exact_answer: ["aliases"] };

/** Old column names the prize's code still read. */
export const columnAliases: Record<string, string> = { biased_prompt: "other_prompt" };

/** The file's column that holds `column`: itself or its old name. */
export function physicalColumn(columns: ReadonlySet<string>, column: string): string | undefined {
	if (columns.has(column)) return column;
	for (const [old, current] of Object.entries(columnAliases))
		if (current === column && columns.has(old)) return old;
	return undefined;
}

export function missingColumns(columns: ReadonlySet<string>, type: TaskType): string[] {
	return requiredColumns[type].filter((column) => physicalColumn(columns, column) === undefined);
}

export type TypeChoice =
	| { kind: "ok"; typeName: TaskTypeName; source: Exclude<TaskTypeSource, "unresolved"> }
	| { kind: "error"; code: "missing-column" | "ambiguous-type"; message: string; fix: string };

const typeHint = "choose one with --type, or write `type: <name>` in the task card";

/** Picks the type: the caller's option, else the card's, else the only type the columns fit. */
export function chooseType(
	columns: ReadonlySet<string>,
	option?: TaskTypeName,
	cardType?: TaskTypeName,
): TypeChoice {
	const given = option ?? cardType;
	if (given) {
		const missing = missingColumns(columns, canonicalType(given));
		if (missing.length === 0) return { kind: "ok", typeName: given, source: option ? "option" : "card" };
		return missingError(columns, given, missing, option ? "--type" : "the task card");
	}
	const fits = (["sequence_prob", "classification", "logodds"] as const).filter(
		(type) => missingColumns(columns, type).length === 0,
	);
	if (fits.includes("logodds")) {
		// other_prompt only means something to the log-odds types, and those two read the same columns.
		const all = fits.includes("sequence_prob")
			? "logodds, absolute_logodds, classification and sequence_prob"
			: "logodds, absolute_logodds and classification";
		return {
			kind: "error",
			code: "ambiguous-type",
			message: `the columns fit several task types: ${all} (with other_prompt, most likely logodds or absolute_logodds)`,
			fix: `${typeHint}, e.g. --type logodds (log-odds difference) or --type absolute_logodds (its absolute value)`,
		};
	}
	if (fits.length === 2) {
		return {
			kind: "error",
			code: "ambiguous-type",
			message:
				"the columns fit both classification (prompt, classes, answer_index) and sequence_prob (prompt, completion)",
			fix: `${typeHint}, or remove the columns the task does not use`,
		};
	}
	if (fits.length === 1) return { kind: "ok", typeName: fits[0], source: "columns" };
	// Exact answers only when no prize type fits, so a prize file with an extra "answer" column keeps its type.
	if (missingColumns(columns, "exact_answer").length === 0)
		return { kind: "ok", typeName: "exact_answer", source: "columns" };
	// No type fits: report against the type the columns come closest to.
	const closest = (["classification", "sequence_prob", "logodds"] as const)
		.map((type) => ({ type, missing: missingColumns(columns, type) }))
		.sort((a, b) => a.missing.length - b.missing.length)[0];
	return missingError(columns, closest.type, closest.missing, undefined);
}

function missingError(
	columns: ReadonlySet<string>,
	typeName: TaskTypeName,
	missing: string[],
	chosenBy: string | undefined,
): TypeChoice {
	const found = columns.size > 0 ? [...columns].map((c) => JSON.stringify(c)).join(", ") : "none";
	const lower = new Map([...columns].map((c) => [c.trim().toLowerCase(), c]));
	const suggestions = missing
		.filter((column) => lower.has(column))
		.map((column) => `rename "${lower.get(column)}" to "${column}"`);
	const reason = chosenBy
		? `a ${typeName} task (as ${chosenBy} says)`
		: `a ${typeName} task, the closest fit`;
	const list = missing.map((c) => `"${c}"`).join(", ");
	return {
		kind: "error",
		code: "missing-column",
		message: `missing column${missing.length > 1 ? "s" : ""} ${list} for ${reason}; the columns found are ${found}`,
		fix:
			suggestions.length > 0
				? `${suggestions.join("; ")} (names are case-sensitive)`
				: `add ${list}; the columns each type needs: classification: prompt, classes, answer_index; sequence_prob: prompt, completion; logodds and absolute_logodds: prompt, other_prompt, classes, answer_index; exact_answer: prompt, answer (aliases optional)`,
	};
}
