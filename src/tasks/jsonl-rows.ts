/** @module JSONL task files as rows: one JSON object a line, the first object's keys as the header. */
import { arrayElementOffsets, memberValueOffsets, rawStringOffset } from "./json-positions.js";
import { countCharacters } from "./positions.js";
import type { RowReader, RowSink, SourceRow } from "./source-rows.js";
import type { SourcePosition } from "./types.js";

class JsonRow implements SourceRow {
	private offsets?: Map<string, number>;

	constructor(
		readonly line: number,
		private readonly text: string,
		private readonly object: Record<string, unknown>,
	) {}

	get(column: string): unknown {
		return Object.hasOwn(this.object, column) ? this.object[column] : undefined;
	}

	at(column: string, offset?: number): SourcePosition {
		this.offsets ??= memberValueOffsets(this.text);
		const start = this.offsets.get(column);
		if (start === undefined) return { line: this.line, column: 1 };
		const raw =
			offset !== undefined && typeof this.object[column] === "string"
				? rawStringOffset(this.text, start, offset)
				: start;
		return { line: this.line, column: countCharacters(this.text, 0, raw) + 1 };
	}

	atElement(column: string, index: number): SourcePosition {
		this.offsets ??= memberValueOffsets(this.text);
		const start = this.offsets.get(column);
		if (start === undefined) return { line: this.line, column: 1 };
		const element = arrayElementOffsets(this.text, start)[index] ?? start;
		return { line: this.line, column: countCharacters(this.text, 0, element) + 1 };
	}

	columns(): string[] {
		return Object.keys(this.object);
	}
}

/** Where JSON.parse says the syntax broke, when its message tells (V8 names a position). */
function syntaxErrorOffset(error: unknown): number | undefined {
	const match = /position (\d+)/.exec(error instanceof Error ? error.message : "");
	return match ? Number(match[1]) : undefined;
}

export function jsonlRowReader(sink: RowSink): RowReader {
	let pending = "";
	let line = 0;
	let sawHeader = false;
	let first = true;

	const readLine = (raw: string) => {
		line++;
		const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
		if (text.trim() === "") return;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			const offset = syntaxErrorOffset(error) ?? 0;
			const reason = error instanceof Error ? error.message.replace(/\s*in JSON at position \d+.*$/, "") : "";
			sink.badRow({
				code: "json-syntax",
				line,
				column: countCharacters(text, 0, Math.min(offset, text.length)) + 1,
				value: text,
				message: `this line is not valid JSON${reason ? ` (${reason})` : ""}`,
				fix: "write one JSON object per line, with double-quoted keys and strings",
			});
			return;
		}
		if (typeof value !== "object" || value === null || Array.isArray(value)) {
			sink.badRow({
				code: "json-not-object",
				line,
				column: countCharacters(text, 0, text.length - text.trimStart().length) + 1,
				value: text,
				message: `each line must be a JSON object, this one is ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}`,
				fix: 'write each example as {"prompt": …, …}',
			});
			return;
		}
		const row = new JsonRow(line, text, value as Record<string, unknown>);
		if (!sawHeader) {
			sawHeader = true;
			const columns = row.columns();
			sink.header({ line, columns, at: (column) => row.at(column) });
		}
		sink.row(row);
	};

	return {
		push(text) {
			if (first) {
				first = false;
				if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
			}
			let start = 0;
			for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
				readLine(pending + text.slice(start, nl));
				pending = "";
				start = nl + 1;
			}
			pending += text.slice(start);
		},
		end() {
			if (pending !== "") readLine(pending);
			pending = "";
		},
	};
}
