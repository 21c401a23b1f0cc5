/**
 * @module A streaming RFC 4180 tokenizer for CSV as pandas writes it. Unlike a plain CSV parser it
 * records where every field starts (physical line and column in characters), even when quoted
 * fields span lines, so that every problem can be pointed at precisely.
 */
import { isLowSurrogate } from "./positions.js";

export interface CsvRecord {
	/** Physical line (1-based) where the record starts. */
	line: number;
	fields: string[];
	/** Line and column (1-based, in characters) where each field starts: its opening quote if quoted. */
	fieldLines: number[];
	fieldColumns: number[];
	quoted: boolean[];
}

export interface CsvProblem {
	code: "csv-quote";
	line: number;
	column: number;
	message: string;
	fix: string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

enum State {
	FieldStart = 0,
	Unquoted = 1,
	Quoted = 2,
	/** A quote seen inside a quoted field: either the first of a doubled quote or the closing one. */
	QuoteInQuoted = 3,
}

/** Feed text chunks with `push`, then call `end`; records and problems arrive through the callbacks. */
export class CsvTokenizer {
	private state = State.FieldStart;
	private line = 1;
	private column = 1;
	private previousWasCR = false;
	private started = false;
	/** The current field's text from earlier chunks or finished segments. */
	private pending = "";
	private record: CsvRecord = emptyRecord();

	constructor(
		private readonly onRecord: (record: CsvRecord) => void,
		private readonly onProblem: (problem: CsvProblem) => void,
	) {}

	push(chunk: string): void {
		let i = 0;
		if (!this.started) {
			this.started = true;
			if (chunk.charCodeAt(0) === 0xfeff) i = 1;
		}
		let segmentStart = i;
		for (; i < chunk.length; i++) {
			const code = chunk.charCodeAt(i);
			if (code === LF && this.previousWasCR) {
				// The second half of a CRLF: the line already advanced (and any record already ended).
				this.previousWasCR = false;
				if (this.state !== State.Quoted) segmentStart = i + 1;
				continue;
			}
			this.previousWasCR = false;
			switch (this.state) {
				case State.FieldStart:
					if (code === QUOTE) {
						this.startField(true);
						this.state = State.Quoted;
						segmentStart = i + 1;
						this.column++;
					} else if (code === COMMA) {
						this.startField(false);
						this.finishField("");
						this.column++;
					} else if (code === LF || code === CR) {
						if (this.record.fields.length > 0) {
							this.startField(false);
							this.finishField("");
						}
						this.endRecord();
						this.newLine(code);
					} else {
						this.startField(false);
						this.state = State.Unquoted;
						segmentStart = i;
						if (!isLowSurrogate(code)) this.column++;
					}
					break;
				case State.Unquoted:
					if (code === COMMA) {
						this.finishField(this.pending + chunk.slice(segmentStart, i));
						this.state = State.FieldStart;
						this.column++;
					} else if (code === LF || code === CR) {
						this.finishField(this.pending + chunk.slice(segmentStart, i));
						this.state = State.FieldStart;
						this.endRecord();
						this.newLine(code);
					} else if (!isLowSurrogate(code)) {
						this.column++;
					}
					break;
				case State.Quoted:
					if (code === QUOTE) {
						this.pending += chunk.slice(segmentStart, i);
						this.state = State.QuoteInQuoted;
						this.column++;
					} else if (code === LF || code === CR) {
						this.newLine(code);
					} else if (!isLowSurrogate(code)) {
						this.column++;
					}
					break;
				case State.QuoteInQuoted:
					if (code === QUOTE) {
						this.pending += '"';
						this.state = State.Quoted;
						segmentStart = i + 1;
						this.column++;
					} else if (code === COMMA) {
						this.finishField(this.pending);
						this.state = State.FieldStart;
						this.column++;
					} else if (code === LF || code === CR) {
						this.finishField(this.pending);
						this.state = State.FieldStart;
						this.endRecord();
						this.newLine(code);
					} else {
						this.onProblem({
							code: "csv-quote",
							line: this.line,
							column: this.column,
							message: "text after the closing quote of a quoted field",
							fix: 'double every quote inside a quoted field ("" stands for one ")',
						});
						// Keep the text, as Python's csv module does, and read on.
						this.state = State.Unquoted;
						segmentStart = i;
						if (!isLowSurrogate(code)) this.column++;
					}
					break;
			}
		}
		if (this.state === State.Unquoted || this.state === State.Quoted) {
			this.pending += chunk.slice(segmentStart);
		}
	}

	end(): void {
		switch (this.state) {
			case State.FieldStart:
				if (this.record.fields.length > 0) {
					this.startField(false);
					this.finishField("");
				}
				break;
			case State.Quoted: {
				const last = this.record.fields.length;
				this.onProblem({
					code: "csv-quote",
					line: this.record.fieldLines[last],
					column: this.record.fieldColumns[last],
					message: "this quoted field is never closed: the file ends inside it",
					fix: 'add the closing quote, and double every quote inside the field ("")',
				});
				this.finishField(this.pending);
				break;
			}
			default:
				this.finishField(this.pending);
		}
		this.endRecord();
	}

	private startField(quoted: boolean): void {
		if (this.record.fields.length === 0) this.record.line = this.line;
		this.record.fieldLines.push(this.line);
		this.record.fieldColumns.push(this.column);
		this.record.quoted.push(quoted);
	}

	private finishField(value: string): void {
		this.record.fields.push(value);
		this.pending = "";
	}

	private endRecord(): void {
		// A line with nothing on it is not a record (pandas skips blank lines).
		if (this.record.fields.length > 0) this.onRecord(this.record);
		this.record = emptyRecord();
	}

	private newLine(code: number): void {
		this.line++;
		this.column = 1;
		this.previousWasCR = code === CR;
	}
}

function emptyRecord(): CsvRecord {
	return { line: 0, fields: [], fieldLines: [], fieldColumns: [], quoted: [] };
}
