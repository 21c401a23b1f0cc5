/**
 * @module CSV for spreadsheets: text cells that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, or a tab or carriage return before one) get a leading `'`. Numbers stay numbers.
 */
import { stringify } from "csv-stringify/sync";

const formulaStart = /^[\t\r]*[=+\-@]/;

/** The cell as written: numbers unchanged, formula-like text prefixed with `'`. */
export function spreadsheetCell(value: string | number | boolean | null | undefined): string | number {
	if (value === null || value === undefined) return "";
	if (typeof value === "number") return Number.isFinite(value) ? value : "";
	if (typeof value === "boolean") return value ? 1 : 0;
	return formulaStart.test(value) ? `'${value}` : value;
}

/** A whole CSV document (RFC 4180 quoting, CRLF-free) with every cell made safe. */
export function spreadsheetCsv(
	header: string[],
	rows: Array<Array<string | number | boolean | null | undefined>>,
): string {
	return stringify([header.map(spreadsheetCell), ...rows.map((r) => r.map(spreadsheetCell))]);
}
