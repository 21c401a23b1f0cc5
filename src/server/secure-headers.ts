/**
 * @module Headers every answer of a server facing the internet carries: no framing, no sniffing, no
 * referrer, no powerful browser features, HSTS (browsers honour it only over HTTPS, i.e. behind the
 * TLS proxy), and a strict content policy for the page.
 */
import type { ServerResponse } from "node:http";

export const pageContentSecurityPolicy =
	"default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

export const secureHeaders: Readonly<Record<string, string>> = {
	"x-content-type-options": "nosniff",
	"x-frame-options": "DENY",
	"referrer-policy": "no-referrer",
	"cross-origin-opener-policy": "same-origin",
	"cross-origin-resource-policy": "same-origin",
	"permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
	"strict-transport-security": "max-age=31536000; includeSubDomains",
};

/** Sets the headers on `res` (before anything is written); a later handler may tighten the CSP. */
export function applySecureHeaders(res: ServerResponse): void {
	for (const [name, value] of Object.entries(secureHeaders)) res.setHeader(name, value);
	res.setHeader("content-security-policy", pageContentSecurityPolicy);
}
