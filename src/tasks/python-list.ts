/**
 * @module A parser for Python list-of-string literals such as `[' Yes', " No"]`, the way the prize
 * stored `classes`. It reports the exact offset of a problem inside the literal.
 */

/** One string of the list with the offset of its first character (its prefix or opening quote). */
export interface PythonListItem {
	value: string;
	offset: number;
}

export type PythonListResult =
	| { kind: "ok"; values: string[]; items: PythonListItem[] }
	| {
			kind: "error";
			/** 0-based offset in the literal (UTF-16 code units) where the problem is. */
			offset: number;
			message: string;
	  };

class ParseError extends Error {
	constructor(
		readonly offset: number,
		message: string,
	) {
		super(message);
	}
}

const simpleEscapes: Record<string, string> = {
	"\\": "\\",
	"'": "'",
	'"': '"',
	a: "\x07",
	b: "\b",
	f: "\f",
	n: "\n",
	r: "\r",
	t: "\t",
	v: "\v",
};

function isSpace(ch: string | undefined): boolean {
	return ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f" || ch === "\v";
}

/** Parses `literal` as a Python list whose elements are all `str` literals. */
export function parsePythonList(literal: string): PythonListResult {
	try {
		const items = new ListParser(literal).parse();
		return { kind: "ok", values: items.map((item) => item.value), items };
	} catch (error) {
		if (error instanceof ParseError) return { kind: "error", offset: error.offset, message: error.message };
		throw error;
	}
}

class ListParser {
	private pos = 0;

	constructor(private readonly text: string) {}

	parse(): PythonListItem[] {
		this.skipSpace();
		if (this.text[this.pos] !== "[") {
			const found = this.pos < this.text.length ? `found ${describe(this.text[this.pos])}` : "found nothing";
			throw new ParseError(this.pos, `expected "[" to start a list, ${found}`);
		}
		this.pos++;
		const items: PythonListItem[] = [];
		for (;;) {
			this.skipSpace();
			if (this.text[this.pos] === "]") break;
			items.push(this.element(items.length));
			this.skipSpace();
			const ch = this.text[this.pos];
			if (ch === ",") {
				this.pos++;
				continue;
			}
			if (ch === "]") break;
			if (ch === undefined) throw new ParseError(this.pos, 'the list is not closed: "]" is missing');
			throw new ParseError(
				this.pos,
				`expected "," or "]" after element ${items.length - 1}, found ${describe(ch)}`,
			);
		}
		this.pos++;
		this.skipSpace();
		if (this.pos < this.text.length) {
			throw new ParseError(this.pos, `unexpected ${describe(this.text[this.pos])} after the closing "]"`);
		}
		return items;
	}

	private skipSpace(): void {
		while (isSpace(this.text[this.pos])) this.pos++;
	}

	/** One element: a string literal, or adjacent literals that Python concatenates. */
	private element(index: number): PythonListItem {
		const offset = this.pos;
		if (!this.atStringStart()) {
			if (this.pos >= this.text.length)
				throw new ParseError(this.pos, 'the list is not closed: "]" is missing');
			const token = /^[^,\]\s]*/.exec(this.text.slice(this.pos))?.[0] || this.text[this.pos];
			throw new ParseError(
				offset,
				`element ${index} is not a string: found ${describe(token)}; every class must be a quoted string`,
			);
		}
		let value = "";
		while (this.atStringStart()) {
			value += this.stringLiteral();
			this.skipSpace();
		}
		return { value, offset };
	}

	private atStringStart(): boolean {
		const rest = this.text.slice(this.pos, this.pos + 3);
		return /^(?:[rRuUbB]|[rR][bB]|[bB][rR])?['"]/.test(rest);
	}

	private stringLiteral(): string {
		const start = this.pos;
		let raw = false;
		while (this.text[this.pos] !== "'" && this.text[this.pos] !== '"') {
			const prefix = this.text[this.pos].toLowerCase();
			if (prefix === "b")
				throw new ParseError(start, "a bytes literal (b'…') is not a string; drop the b prefix");
			if (prefix === "r") raw = true;
			this.pos++;
		}
		const quote = this.text[this.pos];
		const triple = this.text.startsWith(quote.repeat(3), this.pos);
		const open = this.pos;
		this.pos += triple ? 3 : 1;
		let value = "";
		for (;;) {
			const ch = this.text[this.pos];
			if (ch === undefined) {
				throw new ParseError(open, `the string starting here is never closed: add the closing ${quote}`);
			}
			if (ch === quote && (!triple || this.text.startsWith(quote.repeat(3), this.pos))) {
				this.pos += triple ? 3 : 1;
				return value;
			}
			if ((ch === "\n" || ch === "\r") && !triple) {
				throw new ParseError(
					open,
					`the string starting here is not closed before the end of the line; write a newline as \\n`,
				);
			}
			if (ch === "\\") {
				value += raw ? this.rawEscape() : this.escape();
				continue;
			}
			value += ch;
			this.pos++;
		}
	}

	/** In a raw string a backslash stays, but it still keeps the next character from ending the string. */
	private rawEscape(): string {
		const next = this.text[this.pos + 1];
		this.pos += next === undefined ? 1 : 2;
		return next === undefined ? "\\" : `\\${next}`;
	}

	private escape(): string {
		const at = this.pos;
		const ch = this.text[at + 1];
		if (ch === undefined)
			throw new ParseError(at, "a backslash ends the literal; write \\\\ for a backslash");
		if (ch in simpleEscapes) {
			this.pos += 2;
			return simpleEscapes[ch];
		}
		if (ch === "\n") {
			this.pos += 2;
			return "";
		}
		if (ch === "\r") {
			this.pos += this.text[at + 2] === "\n" ? 3 : 2;
			return "";
		}
		if (ch >= "0" && ch <= "7") {
			const digits = /^[0-7]{1,3}/.exec(this.text.slice(at + 1, at + 4))![0];
			this.pos += 1 + digits.length;
			return String.fromCodePoint(Number.parseInt(digits, 8));
		}
		const hexLength = ch === "x" ? 2 : ch === "u" ? 4 : ch === "U" ? 8 : 0;
		if (hexLength > 0) {
			const digits = this.text.slice(at + 2, at + 2 + hexLength);
			if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) {
				throw new ParseError(at, `\\${ch} must be followed by exactly ${hexLength} hexadecimal digits`);
			}
			const code = Number.parseInt(digits, 16);
			if (code > 0x10ffff) throw new ParseError(at, `\\${ch}${digits} is beyond the last Unicode character`);
			this.pos += 2 + hexLength;
			return String.fromCodePoint(code);
		}
		if (ch === "N") {
			throw new ParseError(at, "named escapes (\\N{…}) are not supported; write the character itself");
		}
		// Python keeps an unknown escape as it is: backslash and character.
		this.pos += 2;
		return `\\${ch}`;
	}
}

function describe(token: string): string {
	return JSON.stringify(token.length > 20 ? `${token.slice(0, 20)}…` : token);
}
