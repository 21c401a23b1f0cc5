/**
 * @module Who may use the API: with a token, every API request must carry it (header
 * `X-Invscale-Token`); without one (loopback only), requests must name a loopback host, so a web page
 * elsewhere cannot reach the app through DNS rebinding. Cross-site writes are refused in both modes.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";

export const tokenHeader = "x-invscale-token";

/** 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, "").toLowerCase();
	return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name of a Host header (`example.org:7788` → `example.org`, `[::1]:80` → `::1`). */
function hostName(header: string): string {
	const bracket = /^\[([^\]]+)\]/.exec(header);
	if (bracket) return bracket[1];
	return header.replace(/:\d+$/, "");
}

function tokenMatches(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws 401/403 when the request may not use the API. */
export function checkAccess(req: IncomingMessage, token: string | undefined): void {
	const host = String(req.headers.host ?? "");
	if (token !== undefined) {
		const given = req.headers[tokenHeader];
		if (typeof given !== "string" || !tokenMatches(given, token)) {
			throw new ApiError(
				401,
				"this server needs its access token",
				"enter the token the server was started with (--token); the page asks for it",
			);
		}
	} else if (!isLoopbackHost(hostName(host))) {
		throw new ApiError(
			403,
			`requests must be addressed to this computer, not ${JSON.stringify(host)}`,
			"open the address the server printed",
		);
	}
	const origin = req.headers.origin;
	if (origin !== undefined && req.method !== "GET" && req.method !== "HEAD") {
		let originHost: string | undefined;
		try {
			originHost = new URL(origin).host;
		} catch {
			originHost = undefined;
		}
		if (originHost !== host) {
			throw new ApiError(403, "requests from other web sites are refused", "use the app's own page");
		}
	}
}
