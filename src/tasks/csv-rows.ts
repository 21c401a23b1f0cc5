/** @module CSV task files as rows: the header (with pandas' unnamed index column dropped) and located cells. */
import { type CsvRecord, CsvTokenizer } from "./csv-records.js";
import { walkValue } from "./positions.js";
import type { RowReader, RowSink, SourceHeader, SourceRow } from "./source-rows.js";
import type { SourcePosition } from "./types.js";

/** Header names pandas gives the index column it writes by default. */
const indexColumnNames = new Set(["", "Unnamed: 0"]);

class CsvRow implements SourceRow {
	constructor(
		private readonly record: CsvRecord,
		private readonly indexOf: Map<string, number>,
	) {}

	get line(): number {
		return this.record.line;
	}

	get(column: string): unknown {
		const i = this.indexOf.get(column);
		return i === undefined ? undefined : this.record.fields[i];
	}

	at(column: string, offset?: number): SourcePosition {
		const i = this.indexOf.get(column);
		if (i === undefined) return { line: this.record.line, column: 1 };
		const start = { line: this.record.fieldLines[i], column: this.record.fieldColumns[i] };
		if (offset === undefined) return start;
		if (!this.record.quoted[i]) return walkValue(start, this.record.fields[i], offset);
		// Inside quotes the value starts after the opening quote and each quote is written twice.
		return walkValue({ line: start.line, column: start.column + 1 }, this.record.fields[i], offset, (code) =>
			code === 34 ? 2 : 1,
		);
	}

	atElement(column: string): SourcePosition {
		return this.at(column);
	}

	columns(): string[] {
		return [...this.indexOf.keys()];
	}
}

export function csvRowReader(sink: RowSink): RowReader {
	let header: { names: string[]; indexOf: Map<string, number>; fieldCount: number } | undefined;
	const tokenizer = new CsvTokenizer(
		(record) => {
			if (!header) {
				header = readHeader(record, sink);
				return;
			}
			if (record.fields.length !== header.fieldCount) {
				const extra = record.fields.length > header.fieldCount;
				const at = extra ? header.fieldCount : record.fields.length - 1;
				sink.badRow({
					code: "field-count",
					line: record.fieldLines[at],
					column: record.fieldColumns[at],
					message: `the row has ${record.fields.length} fields but the header has ${header.fieldCount} columns`,
					fix: extra
						? 'quote fields that contain commas ("a, b"), or remove the extra fields'
						: "add the missing fields (empty fields still need their commas)",
				});
				return;
			}
			sink.row(new CsvRow(record, header.indexOf));
		},
		(problem) => sink.problem(problem),
	);
	return { push: (text) => tokenizer.push(text), end: () => tokenizer.end() };
}

function readHeader(
	record: CsvRecord,
	sink: RowSink,
): { names: string[]; indexOf: Map<string, number>; fieldCount: number } {
	const skip = record.fields.length > 1 && indexColumnNames.has(record.fields[0]) ? 1 : 0;
	const indexOf = new Map<string, number>();
	for (let i = skip; i < record.fields.length; i++) {
		const name = record.fields[i];
		if (indexOf.has(name)) {
			const first = indexOf.get(name)!;
			sink.problem({
				code: "duplicate-column",
				line: record.fieldLines[i],
				column: record.fieldColumns[i],
				value: name,
				message: `the column "${name}" appears twice (first at line ${record.fieldLines[first]}, column ${record.fieldColumns[first]})`,
				fix: "rename or remove one of the two columns",
			});
			continue;
		}
		indexOf.set(name, i);
	}
	const names = [...indexOf.keys()];
	const positions = new Map(names.map((name) => [name, indexOf.get(name)!]));
	const sourceHeader: SourceHeader = {
		line: record.line,
		columns: names,
		at: (column) => {
			const i = positions.get(column);
			return i === undefined
				? { line: record.line, column: 1 }
				: { line: record.fieldLines[i], column: record.fieldColumns[i] };
		},
	};
	sink.header(sourceHeader);
	return { names, indexOf, fieldCount: record.fields.length };
}
