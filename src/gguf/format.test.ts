import { describe, expect, it } from "vitest";
import { fromHalf, toHalf } from "./format.js";

describe("half precision", () => {
	it("matches IEEE 754 binary16 bit patterns (round to nearest even)", () => {
		// Reference bit patterns from the IEEE 754 binary16 definition.
		const cases: Array<[number, number]> = [
			[1, 0x3c00],
			[-2, 0xc000],
			[65504, 0x7bff],
			[0.1, 0x2e66],
			[2 ** -24, 0x0001],
			[2 ** -14, 0x0400],
			[1e6, 0x7c00],
			[0, 0],
			[1 + 2 ** -11, 0x3c00],
			[1 + 3 * 2 ** -11, 0x3c02],
		];
		for (const [x, bits] of cases) expect(toHalf(x), `toHalf(${x})`).toBe(bits);
	});

	it("reads back what it writes", () => {
		for (const x of [0.5, -3.25, 1024, 2 ** -20]) expect(fromHalf(toHalf(x))).toBe(x);
	});
});
