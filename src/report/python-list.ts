/** @module Reads the `classes` cell for display: a JSON array or a Python list literal of strings. */
import { parsePythonList } from "../tasks/python-list.js";

/** The class strings, or null when the cell is not a list of strings. */
export function readClasses(cell: unknown): string[] | null {
	if (Array.isArray(cell)) return cell.every((c) => typeof c === "string") ? (cell as string[]) : null;
	if (typeof cell !== "string") return null;
	const parsed = parsePythonList(cell);
	return parsed.kind === "ok" ? parsed.values : null;
}
