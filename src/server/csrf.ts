/**
 * @module Cross-site request forgery checks for cookie sessions. A request that changes something
 * and rides on a session cookie must (1) come from the app's own origin when the browser says where
 * it comes from (Origin, else Sec-Fetch-Site) and (2) carry the session's CSRF token in a header,
 * which a page elsewhere can neither read nor set. Requests with a bearer token carry no ambient
 * credential and need neither.
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";

export const csrfHeader = "x-csrf-token";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string | undefined): boolean {
	return safeMethods.has(method ?? "GET");
}

/**
 * Throws 403 when the request's origin is another site. `allowedOrigin` is the public address
 * (e.g. https://bounty.example.org); without one, the origin must match the Host header.
 */
export function checkOrigin(req: IncomingMessage, allowedOrigin: string | undefined): void {
	const origin = req.headers.origin;
	if (typeof origin === "string" && origin !== "null") {
		const expected = allowedOrigin ?? `//${req.headers.host ?? ""}`;
		const matches = allowedOrigin ? origin === allowedOrigin : origin.replace(/^https?:/, "") === expected;
		if (!matches)
			throw new ApiError(403, "requests from other web sites are refused", "use the contest's own page");
		return;
	}
	if (origin === "null")
		throw new ApiError(403, "requests from other web sites are refused", "use the contest's own page");
	const site = req.headers["sec-fetch-site"];
	if (site === "cross-site" || site === "same-site")
		throw new ApiError(403, "requests from other web sites are refused", "use the contest's own page");
}

/** Throws 403 unless the request carries `expected` in the X-CSRF-Token header. */
export function checkCsrfToken(
	req: IncomingMessage,
	expected: string,
	same: (a: string, b: string) => boolean,
): void {
	const given = req.headers[csrfHeader];
	if (typeof given !== "string" || !same(given, expected)) {
		throw new ApiError(
			403,
			"this request lacks the page's CSRF token",
			"reload the page and try again; scripts must send the X-CSRF-Token header from /api/contest/me",
		);
	}
}
