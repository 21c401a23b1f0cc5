import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seq } from "../../test/helpers/fake-backend.js";
import type { BackendInfo, ContinuationRequest } from "../backends/types.js";
import { type CacheScope, cacheScope, continuationKeys, nextTokenKeys, tokenizeKey } from "./cache-keys.js";

const scope: CacheScope = {
	identity: "sha256:ab",
	tokenizer: "bpe/vocab=10/bos=1",
	settings: "precision=fast",
};

// The documented encoding written out byte by byte: u32 little-endian length, then the bytes.
function str(text: string): Buffer {
	const bytes = Buffer.from(text, "utf8");
	return Buffer.concat([Buffer.from(new Uint32Array([bytes.length]).buffer), bytes]);
}
function ids(list: number[]): Buffer {
	return Buffer.from(new Uint32Array([list.length, ...list]).buffer);
}
function sha(...parts: Buffer[]): string {
	return createHash("sha256").update(Buffer.concat(parts)).digest("hex");
}

describe("cache keys", () => {
	it("follow the documented encoding, so stored caches stay valid across versions", () => {
		expect(tokenizeKey("sha256:ab", "hé").toString("hex")).toBe(
			sha(str("invscale.cache/1"), str("tokenize"), str("sha256:ab"), str("hé")),
		);
		const [key] = continuationKeys(scope, {
			context: { ids: [1, 2], text: "ab" },
			continuations: [seq("c")],
		});
		expect(key!.toString("hex")).toBe(
			sha(
				str("invscale.cache/1"),
				str("continuation"),
				str(scope.identity),
				str(scope.tokenizer),
				str(scope.settings),
				ids([1, 2]),
				str("ab"),
				ids([99]),
				str("c"),
			),
		);
		const [next] = nextTokenKeys(scope, { context: { ids: [1], text: "a" }, candidates: [7] });
		expect(next!.toString("hex")).toBe(
			sha(
				str("invscale.cache/1"),
				str("next-token"),
				str(scope.identity),
				str(scope.tokenizer),
				str(scope.settings),
				ids([1]),
				str("a"),
				ids([7]),
			),
		);
	});

	it("give a continuation the same key wherever it sits in the request", () => {
		const a = continuationKeys(scope, { context: seq("Q"), continuations: [seq("x"), seq("y")] });
		const b = continuationKeys(scope, { context: seq("Q"), continuations: [seq("y")] });
		expect(a[1]!.equals(b[0]!)).toBe(true);
		expect(a[0]!.equals(a[1]!)).toBe(false);
	});

	it("tell apart everything a score depends on", () => {
		const base: ContinuationRequest = { context: seq("ab"), continuations: [seq("c")] };
		const key = (s: CacheScope, r = base) => continuationKeys(s, r)[0]!.toString("hex");
		const variants = [
			key(scope),
			key({ ...scope, identity: "sha256:ac" }),
			key({ ...scope, tokenizer: "bpe/vocab=10/bos=0" }),
			key({ ...scope, settings: "precision=exact" }),
			// The boundary between context and continuation moves: same tokens, different request.
			key(scope, { context: seq("a"), continuations: [seq("bc")] }),
			// Same ids, different text (servers that score text see it).
			key(scope, { context: { ids: seq("ab").ids, text: "ab " }, continuations: [seq("c")] }),
			// A declared shared prefix splits llama.cpp's work differently, and so the last digits.
			key(scope, { ...base, sharedPrefixTokens: 1 }),
			key(scope, { ...base, sharedPrefixTokens: 2 }),
		];
		expect(new Set(variants).size).toBe(variants.length);
		const next = (r: Parameters<typeof nextTokenKeys>[1]) => nextTokenKeys(scope, r)[0]!.toString("hex");
		expect(next({ context: seq("ab"), candidates: [3] })).not.toBe(
			next({ context: seq("ab"), candidates: [3], sharedPrefixTokens: 1 }),
		);
	});

	it("separate scopes by addsBos and vocabulary size", () => {
		const info: BackendInfo = {
			name: "m",
			identity: "sha256:1",
			kind: "llama.cpp",
			contextLength: 8,
			tokenizer: "spm",
			vocabSize: 32000,
			addsBos: true,
		};
		expect(cacheScope(info, "s").tokenizer).toBe("spm/vocab=32000/bos=1");
		expect(cacheScope({ ...info, addsBos: false, vocabSize: undefined }, "s").tokenizer).toBe(
			"spm/vocab=unknown/bos=0",
		);
	});

	it("refuse ids that are not token ids", () => {
		expect(() => nextTokenKeys(scope, { context: { ids: [1.5], text: "" }, candidates: [1] })).toThrow(
			/position 0/,
		);
		expect(() => nextTokenKeys(scope, { context: seq("a"), candidates: [-1] })).toThrow(RangeError);
	});
});
