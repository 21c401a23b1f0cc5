/** @module Comma- or tab-separated text with a header row, the delimiter chosen by the header line. */
import { parse } from "csv-parse/sync";
import { RunDirError } from "./load-run.js";

/** A parsed table: the header as written, and each row keyed by its column name trimmed and in lower case. */
export interface DelimitedTable {
	header: string[];
	records: Record<string, string>[];
}

/** Parses `text`; `name` (path or URL) is what the error calls it, `hint` says how to fix it. */
export function parseDelimited(text: string, name: string, hint: string): DelimitedTable {
	const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
	const delimiter = firstLine.includes("\t") ? "\t" : ",";
	let header = firstLine.split(delimiter);
	try {
		const records: Record<string, string>[] = parse(text, {
			columns: (h: string[]) => {
				header = h;
				return h.map((c) => c.trim().toLowerCase());
			},
			skip_empty_lines: true,
			bom: true,
			trim: true,
			delimiter,
		});
		return { header, records };
	} catch (error) {
		throw new RunDirError(
			`${name}: cannot be read as ${delimiter === "\t" ? "TSV" : "CSV"} (${(error as Error).message})`,
			hint,
		);
	}
}
