/** @module Keeps API keys out of every message: errors, echoed server text, status lines. */

const REDACTED = "[redacted]";

/** Replaces every occurrence of each secret (and its URL-encoded form) in `text`. */
export function scrub(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		// Very short values would redact ordinary words; no real key is that short.
		if (secret.length < 4) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
	}
	return out;
}

/** A base URL without user name, password, query or fragment, and without trailing slashes. */
export function publicUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = "";
		parsed.password = "";
		parsed.search = "";
		parsed.hash = "";
		return parsed.toString().replace(/\/+$/, "");
	} catch {
		return "(unreadable address)";
	}
}
