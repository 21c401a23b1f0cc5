import { describe, expect, it } from "vitest";
import { decodeLogprobs, decodeTokens, encodeLogprobs, encodeTokens, logprobsProblem } from "./codec.js";

describe("log-prob values", () => {
	it("are little-endian IEEE 754 doubles, 8 bytes each", () => {
		// -1.0 is sign 1, exponent 0x3ff, mantissa 0: bytes bf f0 00… in big-endian order.
		expect(encodeLogprobs([-1]).toString("hex")).toBe("000000000000f0bf");
		expect(encodeLogprobs([-0.5, -2]).length).toBe(16);
	});

	it("round-trip exactly, −∞ included", () => {
		const values = [-0.1, -1e-300, -123.456789012345, Number.NEGATIVE_INFINITY, 1e-9];
		expect(decodeLogprobs(encodeLogprobs(values))).toEqual(values);
		// A value read from an unaligned offset inside a larger buffer.
		const shifted = Buffer.concat([Buffer.from([0]), encodeLogprobs([-3.25])]).subarray(1);
		expect(decodeLogprobs(shifted)).toEqual([-3.25]);
	});

	it("refuse what is not a score", () => {
		expect(logprobsProblem([-1, Number.NaN], 2)).toBe("log-prob 1 is NaN");
		expect(logprobsProblem([Number.POSITIVE_INFINITY], 1)).toBe("log-prob 0 is Infinity");
		expect(logprobsProblem([-1], 2)).toBe("expected 2 log-probs, got 1");
		expect(logprobsProblem([-1, undefined as unknown as number], 2)).toBe("log-prob 1 is undefined");
		expect(logprobsProblem([-1, Number.NEGATIVE_INFINITY], 2)).toBeUndefined();
		expect(() => decodeLogprobs(Buffer.alloc(7))).toThrow(/7 bytes/);
	});
});

describe("token values", () => {
	it("round-trip ids and code-point offsets", () => {
		const tokens = [
			{ id: 0, start: 0, end: 3 },
			{ id: 151_935, start: 3, end: 4 },
		];
		const bytes = encodeTokens(tokens);
		expect(bytes.length).toBe(24);
		expect(decodeTokens(bytes)).toEqual(tokens);
	});
});
