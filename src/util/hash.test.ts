/** @module The 64-bit string-list hash and the compact hash set used for duplicate detection. */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HashSet64, hash64, sha256File } from "./hash.js";

describe("hash64", () => {
	it("separates parts, so moving a boundary changes the hash", () => {
		expect(hash64(["ab", "c"])).not.toEqual(hash64(["a", "bc"]));
		expect(hash64(["abc"])).not.toEqual(hash64(["abc", ""]));
		expect(hash64(["x", "y"])).toEqual(hash64(["x", "y"]));
	});

	it("gives distinct hashes to 200,000 distinct rows", () => {
		const seen = new Set<string>();
		for (let i = 0; i < 200_000; i++) seen.add(hash64([`Q: Is ${i} not even?`, " Yes"]).join(":"));
		expect(seen.size).toBe(200_000);
	});
});

describe("HashSet64", () => {
	it("returns the first payload of a repeated hash, across growth", () => {
		const set = new HashSet64(4);
		for (let i = 0; i < 5000; i++) expect(set.addOrGet([i * 7, i], i)).toBeUndefined();
		expect(set.size).toBe(5000);
		expect(set.addOrGet([7 * 1234, 1234], 99999)).toBe(1234);
		expect(set.addOrGet([0, 0], 5)).toBe(0);
		expect(set.size).toBe(5000);
	});
});

describe("sha256File", () => {
	it("matches the digest of the bytes", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-"));
		try {
			const file = join(dir, "f.bin");
			writeFileSync(file, "abc");
			// The SHA-256 of "abc" from FIPS 180-2.
			expect(await sha256File(file)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
			expect(createHash("sha256").update("abc").digest("hex")).toBe(await sha256File(file));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
