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

	it.each(["1.5", "abc", "-3M", "0", "1.4X", "", "1.0000005K"])("rejects %s with a reason", (input) => {
		const parsed = parseCount(input);
		expect(parsed.ok).toBe(false);
	});

	it("rejects numbers that are not positive whole numbers", () => {
		expect(parseCount(1.5).ok).toBe(false);
		expect(parseCount(-2).ok).toBe(false);
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
