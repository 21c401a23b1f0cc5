import { describe, expect, it } from "vitest";
import { formatCount, parseCount } from "../../src/ladders/numbers.js";

describe("parseCount", () => {
	it.each([
		["160M", 160_000_000],
		["1.4B", 1_400_000_000],
		["300B", 300_000_000_000],
		["2T", 2_000_000_000_000],
		["36t", 36_000_000_000_000],
		["299_892_736_000", 299_892_736_000],
		["1,000", 1000],
		["0.6B", 600_000_000],
		["12k", 12_000],
		[42, 42],
	])("reads %s as %d", (input, value) => {
		expect(parseCount(input)).toEqual({ ok: true, value });
	});

	// Each reason quotes the input and says what is wrong with it.
	it.each([
		["1.5", /^"1\.5" is not a whole number$/],
		["abc", /^"abc" is not a count \(write e\.g\. 160M/],
		["-3M", /^"-3M" is not a count/],
		["0", /^"0" must be a positive whole number/],
		["1.4X", /^"1\.4X" is not a count/],
		["", /^"" is not a count/],
		["1.0000005K", /^"1\.0000005K" is not a whole number$/],
	])("rejects %s with a reason", (input, reason) => {
		const parsed = parseCount(input);
		expect(parsed.ok).toBe(false);
		expect(parsed.ok ? "" : parsed.reason).toMatch(reason);
	});

	it("rejects numbers that are not positive whole numbers, with a reason", () => {
		expect(parseCount(1.5)).toEqual({ ok: false, reason: "1.5 is not a positive whole number" });
		expect(parseCount(-2)).toEqual({ ok: false, reason: "-2 is not a positive whole number" });
	});
});

describe("formatCount", () => {
	it.each([
		[162_322_944, "162M"],
		[1_414_647_808, "1.4B"],
		[2e12, "2T"],
		[999, "999"],
		[6_857_302_016, "6.9B"],
	])("writes %d as %s", (value, text) => {
		expect(formatCount(value)).toBe(text);
	});
});
