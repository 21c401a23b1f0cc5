/** @module Python list literals of strings: quotes, prefixes, escapes and error offsets. */
import { describe, expect, it } from "vitest";
import { parsePythonList } from "../../src/tasks/index.js";

const values = (literal: string) => {
	const r = parsePythonList(literal);
	if (r.kind !== "ok") throw new Error(`${r.message} at ${r.offset}`);
	return r.values;
};

describe("parsePythonList", () => {
	it("reads single- and double-quoted strings, spaces and a trailing comma", () => {
		expect(values(`[' Yes', " No"]`)).toEqual([" Yes", " No"]);
		expect(values(`  [ 'a' ,\n "b", ]  `)).toEqual(["a", "b"]);
		expect(values("[]")).toEqual([]);
	});

	it("decodes every escape Python's repr writes", () => {
		// Each expected string is spelled out code unit by code unit.
		expect(
			values(
				String.raw`['it\'s', "say \"hi\"", 'a\\b', 'l1\nl2', 't\tx', '\x41', '\u00e9', '\U0001F600', '\101', 'q\r\a\b\f\v']`,
			),
		).toEqual([
			"it's",
			'say "hi"',
			"a\\b",
			"l1\nl2",
			"t\tx",
			"A",
			"\u00e9",
			"\u{1F600}",
			"A",
			"q\r\u0007\u0008\u000c\u000b",
		]);
	});

	it("keeps unknown escapes and raw strings as Python does, and joins adjacent literals", () => {
		expect(values(String.raw`['\d', r'\n', u' u', 'ab' "cd"]`)).toEqual(["\\d", "\\n", " u", "abcd"]);
		expect(values("['''tri'ple''']")).toEqual(["tri'ple"]);
		expect(values("[' 日本', ' 😀']")).toEqual([" 日本", " 😀"]);
	});

	it("gives the offset of each item", () => {
		const r = parsePythonList("[' a',  \"b\"]");
		expect(r.kind === "ok" && r.items.map((i) => i.offset)).toEqual([1, 8]);
	});

	it.each([
		["' a', ' b'", 0, 'expected "["'],
		["[' a', 3]", 7, "element 1 is not a string"],
		["[' a', None]", 7, "element 1 is not a string"],
		["[' a'", 5, '"]" is missing'],
		["[' a' ' b' ; ]", 11, 'expected "," or "]" after element 0'],
		["[' a]", 1, "never closed"],
		["['a\\xZZ']", 3, "exactly 2 hexadecimal digits"],
		["[b'a']", 1, "bytes literal"],
		["['a'] x", 6, "after the closing"],
		["['a\nb']", 1, "end of the line"],
	])("reports %j at offset %i", (literal, offset, message) => {
		const r = parsePythonList(literal);
		expect(r.kind).toBe("error");
		if (r.kind === "error") {
			expect(r.offset).toBe(offset);
			expect(r.message).toContain(message);
		}
	});
});
