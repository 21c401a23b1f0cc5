/** @module Reading the Cookie header and writing a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS). */
import type { IncomingMessage } from "node:http";

export function readCookies(req: IncomingMessage): Map<string, string> {
	const out = new Map<string, string>();
	const header = req.headers.cookie;
	if (!header) return out;
	for (const part of header.split(";")) {
		const eq = part.indexOf("=");
		if (eq < 0) continue;
		const name = part.slice(0, eq).trim();
		const value = part.slice(eq + 1).trim();
		if (name && !out.has(name)) out.set(name, value);
	}
	return out;
}

/** A Set-Cookie value; `maxAgeSeconds` 0 removes the cookie. */
export function sessionCookie(
	name: string,
	value: string,
	options: { secure: boolean; maxAgeSeconds: number },
): string {
	const parts = [
		`${name}=${value}`,
		"Path=/",
		"HttpOnly",
		"SameSite=Strict",
		`Max-Age=${options.maxAgeSeconds}`,
	];
	if (options.secure) parts.push("Secure");
	return parts.join("; ");
}
