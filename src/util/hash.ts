/** @module Hashing: SHA-256 of files, and a fast 64-bit hash of string lists for compact duplicate checks. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** Hex SHA-256 of a file's bytes, read as a stream. */
export async function sha256File(path: string): Promise<string> {
	const hash = createHash("sha256");
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest("hex");
}

/**
 * A 64-bit hash of a list of strings, as two unsigned 32-bit halves. Two independent 32-bit
 * multiply-xor states (the cyrb53 construction, kept at full width). Not cryptographic; a separator
 * between parts keeps ["ab", "c"] and ["a", "bc"] apart.
 */
export function hash64(parts: readonly string[]): [number, number] {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (const part of parts) {
		for (let i = 0; i < part.length; i++) {
			const c = part.charCodeAt(i);
			h1 = Math.imul(h1 ^ c, 2654435761);
			h2 = Math.imul(h2 ^ c, 1597334677);
		}
		// The separator: a value no UTF-16 unit can take.
		h1 = Math.imul(h1 ^ 0x10000, 2654435761);
		h2 = Math.imul(h2 ^ 0x10000, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
	h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
	h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return [h1 >>> 0, h2 >>> 0];
}

/**
 * A set of 64-bit hashes, each remembering a small payload (e.g. the row where it was first seen),
 * in typed arrays: 12 bytes a slot, about 24 MB for a million entries, instead of a Set of strings.
 */
export class HashSet64 {
	private high: Uint32Array;
	private low: Uint32Array;
	/** Payload + 1 per slot; 0 marks an empty slot. */
	private payload: Int32Array;
	private count = 0;

	constructor(initialCapacity = 1024) {
		let capacity = 16;
		while (capacity < initialCapacity * 2) capacity *= 2;
		this.high = new Uint32Array(capacity);
		this.low = new Uint32Array(capacity);
		this.payload = new Int32Array(capacity);
	}

	get size(): number {
		return this.count;
	}

	/** Adds the hash; returns the payload it was first added with, or `undefined` when it is new. */
	addOrGet(hash: readonly [number, number], payload: number): number | undefined {
		const slot = this.find(hash[0], hash[1]);
		if (this.payload[slot] !== 0) return this.payload[slot] - 1;
		this.high[slot] = hash[0];
		this.low[slot] = hash[1];
		this.payload[slot] = payload + 1;
		if (++this.count * 2 > this.payload.length) this.grow();
		return undefined;
	}

	/** The slot holding the hash, or the empty slot where it belongs (linear probing). */
	private find(high: number, low: number): number {
		const mask = this.payload.length - 1;
		let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
		while (this.payload[slot] !== 0 && (this.high[slot] !== high || this.low[slot] !== low)) {
			slot = (slot + 1) & mask;
		}
		return slot;
	}

	private grow(): void {
		const { high, low, payload } = this;
		this.high = new Uint32Array(high.length * 2);
		this.low = new Uint32Array(high.length * 2);
		this.payload = new Int32Array(high.length * 2);
		for (let i = 0; i < payload.length; i++) {
			if (payload[i] === 0) continue;
			const slot = this.find(high[i], low[i]);
			this.high[slot] = high[i];
			this.low[slot] = low[i];
			this.payload[slot] = payload[i];
		}
	}
}
