/** @module Access tokens: random, shown once, kept only as their sha256; compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new token: 32 random bytes, URL-safe (43 characters), prefixed so it is recognisable in a leak. */
export function newToken(): string {
	return `isc_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
	return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Equal strings, compared without leaking where they differ. */
export function sameSecret(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

/** A short random id (hex). */
export function randomId(bytes = 8): string {
	return randomBytes(bytes).toString("hex");
}
