/** @module Reading one cell of a row as a prompt, a list of classes or an answer index, with located problems. */
import { shortenValue } from "./diagnostics.js";
import { parsePythonList } from "./python-list.js";
import type { SourceRow } from "./source-rows.js";
import type { Diagnostic, SourcePosition } from "./types.js";

/** A problem with one cell, before the file name and row index are added. */
export type CellProblem = Omit<Diagnostic, "file" | "row">;

/** Strings of a classes cell, each with where it is written. */
export interface ClassList {
	values: string[];
	positions: SourcePosition[];
}

export type CellResult<T> = { kind: "ok"; value: T } | { kind: "error"; problem: CellProblem };

function problem(
	severity: Diagnostic["severity"],
	code: string,
	at: SourcePosition,
	value: unknown,
	message: string,
	fix: string,
): CellProblem {
	return {
		severity,
		code,
		line: at.line,
		column: at.column,
		value: value === undefined ? undefined : shortenValue(value),
		message,
		fix,
	};
}

/** The error for an absent or empty cell, or undefined when the cell holds something. */
function missingValue(
	row: SourceRow,
	column: string,
	label: string,
	fix: string,
): { kind: "error"; problem: CellProblem } | undefined {
	const value = row.get(column);
	if (value !== undefined && value !== null && value !== "") return undefined;
	const plural = label.endsWith("s");
	const message =
		value === undefined ? `the row has no ${label}` : `the ${label} ${plural ? "are" : "is"} empty`;
	return {
		kind: "error",
		problem: problem("error", "missing-value", row.at(column), value ?? undefined, message, fix),
	};
}

/** A non-empty string cell (prompt, other_prompt, completion). */
export function readText(row: SourceRow, column: string, label: string): CellResult<string> {
	const value = row.get(column);
	const at = row.at(column);
	const missing = missingValue(row, column, label, `write the ${label} in the "${column}" column`);
	if (missing) return missing;
	if (typeof value !== "string") {
		return {
			kind: "error",
			problem: problem(
				"error",
				"not-a-string",
				at,
				value,
				`the ${label} must be a string, not ${typeof value}`,
				`quote it: "${shortenValue(value, 20)}"`,
			),
		};
	}
	return { kind: "ok", value };
}

/** A classes cell: a Python list literal in a string, or (in JSONL) a real array of strings. */
export function readClasses(row: SourceRow, column: string): CellResult<ClassList> {
	const value = row.get(column);
	const at = row.at(column);
	const missing = missingValue(row, column, "classes", `write the classes as a list, e.g. "[' Yes', ' No']"`);
	if (missing) return missing;
	if (typeof value === "string") {
		const parsed = parsePythonList(value);
		if (parsed.kind === "error") {
			return {
				kind: "error",
				problem: problem(
					"error",
					"classes-parse",
					row.at(column, parsed.offset),
					value,
					`the classes are not a Python list of strings: ${parsed.message}`,
					`write a list of quoted strings, e.g. "[' Yes', ' No']" (Python: str(list_of_classes))`,
				),
			};
		}
		return {
			kind: "ok",
			value: { values: parsed.values, positions: parsed.items.map((item) => row.at(column, item.offset)) },
		};
	}
	if (Array.isArray(value)) {
		const bad = value.findIndex((item) => typeof item !== "string");
		if (bad !== -1) {
			return {
				kind: "error",
				problem: problem(
					"error",
					"classes-parse",
					row.atElement(column, bad),
					value[bad],
					`class ${bad} is not a string (found ${value[bad] === null ? "null" : typeof value[bad]})`,
					`quote every class: ["${shortenValue(value[bad], 20)}", …]`,
				),
			};
		}
		return {
			kind: "ok",
			value: { values: value as string[], positions: value.map((_, i) => row.atElement(column, i)) },
		};
	}
	return {
		kind: "error",
		problem: problem(
			"error",
			"classes-parse",
			at,
			value,
			`the classes must be a list of strings, not ${typeof value}`,
			`write them as a list, e.g. [" Yes", " No"]`,
		),
	};
}

/** An answer_index cell: a whole number (`1`, or `1.0` as pandas writes a float column). */
export function readAnswerIndex(
	row: SourceRow,
	column: string,
	classCount: number | undefined,
): CellResult<number> {
	const value = row.get(column);
	const at = row.at(column);
	let index: number | undefined;
	if (typeof value === "number" && Number.isInteger(value)) index = value;
	else if (typeof value === "string" && /^\s*[+-]?\d+(?:\.0*)?\s*$/.test(value))
		index = Number.parseFloat(value);
	const range = classCount === undefined ? "" : ` from 0 to ${classCount - 1}`;
	if (index === undefined) {
		const message =
			value === undefined || value === null || value === ""
				? "the answer_index is missing"
				: "the answer_index is not a whole number";
		return {
			kind: "error",
			problem: problem(
				"error",
				"answer-not-integer",
				at,
				value ?? undefined,
				message,
				`write the 0-based position of the right class${range}`,
			),
		};
	}
	if (classCount !== undefined && (index < 0 || index >= classCount)) {
		return {
			kind: "error",
			problem: problem(
				"error",
				"answer-out-of-range",
				at,
				value,
				`answer_index ${index} is out of range: the row has ${classCount} classes`,
				`write a 0-based index${range} (the first class is 0)`,
			),
		};
	}
	return { kind: "ok", value: index };
}

/** An exact answer's `answer` cell: a non-empty string, or a number (JSONL) kept as written. */
export function readAnswerText(row: SourceRow, column: string): CellResult<string> {
	const value = row.get(column);
	if (typeof value === "number" && Number.isFinite(value)) return { kind: "ok", value: String(value) };
	const text = readText(row, column, "answer");
	if (text.kind === "ok" && text.value.trim() === "") {
		return {
			kind: "error",
			problem: problem(
				"error",
				"missing-value",
				row.at(column),
				text.value,
				"the answer is only spaces",
				`write the right answer in the "${column}" column`,
			),
		};
	}
	return text;
}

/**
 * An exact answer's optional `aliases` cell: other spellings that count as right, as a Python list
 * literal, a JSON array, or one plain string. An absent or empty cell means no aliases.
 */
export function readAliases(row: SourceRow, column: string): CellResult<ClassList> {
	const value = row.get(column);
	if (value === undefined || value === null || value === "")
		return { kind: "ok", value: { values: [], positions: [] } };
	if (typeof value === "number" && Number.isFinite(value))
		return { kind: "ok", value: { values: [String(value)], positions: [row.at(column)] } };
	if (typeof value === "string" && !value.trimStart().startsWith("["))
		return { kind: "ok", value: { values: [value], positions: [row.at(column)] } };
	const list = readClasses(row, column);
	if (list.kind === "ok") return list;
	return {
		kind: "error",
		problem: {
			...list.problem,
			code: "aliases-parse",
			message: list.problem.message
				.replace(/^the classes/, "the aliases")
				.replace(/^class (\d+)/, "alias $1"),
			fix: `write the other accepted answers as a list, e.g. "['12', 'twelve']", or leave the cell empty`,
		},
	};
}
