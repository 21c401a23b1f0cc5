/** @module What a file reader hands to the task checker: a header, rows with located cells, problems. */
import type { SourcePosition } from "./types.js";

export interface SourceHeader {
	/** Physical line of the header (CSV) or of the first object (JSONL). */
	line: number;
	/** Column names in file order (a pandas index column left out). */
	columns: string[];
	/** Where a column's name is written. */
	at(column: string): SourcePosition;
}

export interface SourceRow {
	/** Physical line where the row starts. */
	line: number;
	/** The row's value in `column`; `undefined` when the row has no such column. */
	get(column: string): unknown;
	/**
	 * Where the value of `column` starts, or, with `offset`, where character `offset` (UTF-16 units)
	 * of its string value is written.
	 */
	at(column: string, offset?: number): SourcePosition;
	/** Where element `index` of an array value is written (JSON arrays); the value's start otherwise. */
	atElement(column: string, index: number): SourcePosition;
	/** Names of the columns this row has. */
	columns(): string[];
}

/** A problem found while reading, before the row's content is checked. */
export interface ReadProblem {
	code: string;
	line: number;
	column: number;
	message: string;
	fix: string;
	value?: string;
}

export interface RowSink {
	header(header: SourceHeader): void;
	row(row: SourceRow): void;
	/** A row that could not be read into cells; it still takes up an index. */
	badRow(problem: ReadProblem): void;
	/** A problem with the file itself, not tied to one row. */
	problem(problem: ReadProblem): void;
}

/** Reads one format from text chunks into a sink. */
export interface RowReader {
	push(text: string): void;
	end(): void;
}
