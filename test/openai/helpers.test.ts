import { describe, expect, it } from "vitest";
import { backoffDelay, defaultRetryPolicy, parseRetryAfter } from "../../src/backends/http/retry-policy.js";
import { scrub } from "../../src/backends/http/secrets.js";
import type { EchoChoice } from "../../src/backends/openai/echo.js";
import { normaliseBaseUrl } from "../../src/backends/openai/index.js";
import { promptSpans } from "../../src/backends/openai/offsets.js";

function choice(tokens: string[], offsets?: number[]): EchoChoice {
	return { tokens, logprobs: tokens.map(() => -1), offsets };
}

describe("echo offsets", () => {
	// "é" and "🙂" are one code point each; "🙂" is two UTF-16 units and four UTF-8 bytes.
	const text = "café 🙂 ok";

	it("reads code-point offsets, relative to the first prompt token when the server counts its BOS text", () => {
		const tokens = ["<s>", "caf", "é", " ", "🙂", " ok"];
		const offsets = [0, 3, 6, 7, 8, 9];
		const result = promptSpans(text, choice(tokens, offsets), 1);
		expect(result).toEqual({
			kind: "ok",
			spans: [
				{ start: 0, end: 3 },
				{ start: 3, end: 4 },
				{ start: 4, end: 5 },
				{ start: 5, end: 6 },
				{ start: 6, end: 9 },
			],
		});
	});

	it("rebuilds spans from the token texts when offsets are in UTF-16 units, and refuses when nothing fits", () => {
		const tokens = ["caf", "é", " ", "🙂", " ok"];
		const utf16 = [0, 3, 4, 5, 7]; // " ok" at UTF-16 index 7, code point 6
		const result = promptSpans(text, choice(tokens, utf16), 0);
		expect(result.kind === "ok" && result.spans.at(-1)).toEqual({ start: 6, end: 9 });
		expect(promptSpans(text, choice(["token_id:1", "token_id:2"], [0, 10]), 0).kind).toBe("problem");
	});

	it("gives pieces of one character (UTF-8 bytes) the same span, and drops generated tokens", () => {
		const result = promptSpans("a🙂", choice(["a", "🙂", "🙂", "!"], [0, 1, 1, 2]), 0);
		expect(result).toEqual({
			kind: "ok",
			spans: [
				{ start: 0, end: 1 },
				{ start: 1, end: 2 },
				{ start: 1, end: 2 },
			],
		});
	});
});

describe("retry policy", () => {
	it("draws full-jitter backoff under a doubling, capped ceiling", () => {
		const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelay(policy, 1, () => 0.999)).toBe(99);
		expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
		expect(backoffDelay(policy, 10, () => 0.5)).toBe(500);
		expect(backoffDelay(policy, 2, () => 0)).toBe(0);
	});

	it("reads Retry-After as seconds or as an HTTP date", () => {
		const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
		expect(parseRetryAfter("120", now)).toBe(120_000);
		expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000);
		expect(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).toBe(0);
		expect(parseRetryAfter("soon", now)).toBeUndefined();
		expect(parseRetryAfter(null, now)).toBeUndefined();
	});
});

describe("addresses and secrets", () => {
	it("normalises base URLs and drops credentials", () => {
		expect(normaliseBaseUrl("http://Example.COM:8000/v1/")).toBe("http://example.com:8000/v1");
		expect(normaliseBaseUrl("http://10.0.0.5:8000")).toBe("http://10.0.0.5:8000/v1");
		expect(normaliseBaseUrl("https://user:pw@api.example.com/v1?x=1")).toBe("https://api.example.com/v1");
		expect(() => normaliseBaseUrl("not a url")).toThrow(/not a server address/);
	});

	it("scrubs keys in plain and URL-encoded form", () => {
		expect(scrub("key sk-a/b+c and sk-a%2Fb%2Bc", ["sk-a/b+c"])).toBe("key [redacted] and [redacted]");
	});
});
