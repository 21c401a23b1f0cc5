/** The small security modules of the contest server: rate limit, CSRF and origin checks, cookies, headers, the role table. */
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { type Action, authorize, Forbidden, type Principal } from "../../src/contest/authorize.js";
import { hashToken, newToken, sameSecret } from "../../src/contest/tokens.js";
import { readCookies, sessionCookie } from "../../src/server/cookies.js";
import { checkCsrfToken, checkOrigin } from "../../src/server/csrf.js";
import { RateLimitError, RateLimiter } from "../../src/server/rate-limit.js";

const req = (headers: Record<string, string>, method = "POST") =>
	({ headers, method }) as unknown as IncomingMessage;

describe("RateLimiter", () => {
	it("allows `limit` events per sliding window, then answers 429 with the limit and the wait", () => {
		let now = 1_000_000;
		const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, what: "submissions", now: () => now });
		limiter.take("a");
		now += 10_000;
		limiter.take("a");
		limiter.take("a");
		limiter.take("b");
		const error = (() => {
			try {
				limiter.take("a");
			} catch (e) {
				return e;
			}
		})() as RateLimitError;
		expect(error).toBeInstanceOf(RateLimitError);
		expect(error.status).toBe(429);
		expect(error.message).toBe("too many submissions: the limit is 3 in a minute");
		// The first event leaves the window 60 s after it happened, 50 s from now.
		expect(error.retryAfterSeconds).toBe(50);
		// Refused attempts do not count: once the first event leaves the window, one more is allowed.
		for (let i = 0; i < 5; i++) expect(() => limiter.take("a")).toThrow(RateLimitError);
		now += 50_001;
		expect(() => limiter.take("a")).not.toThrow();
		expect(() => limiter.take("a")).toThrow(RateLimitError);
	});
});

describe("checkOrigin", () => {
	it("accepts the app's own origin and requests that name none; refuses other sites", () => {
		expect(() =>
			checkOrigin(req({ host: "127.0.0.1:7790", origin: "http://127.0.0.1:7790" }), undefined),
		).not.toThrow();
		expect(() => checkOrigin(req({ host: "127.0.0.1:7790" }), undefined)).not.toThrow();
		expect(() =>
			checkOrigin(req({ host: "127.0.0.1:7790", origin: "http://evil.example" }), undefined),
		).toThrow(/other web sites/);
		expect(() => checkOrigin(req({ host: "127.0.0.1:7790", origin: "null" }), undefined)).toThrow(
			/other web sites/,
		);
		expect(() => checkOrigin(req({ host: "x", "sec-fetch-site": "cross-site" }), undefined)).toThrow(
			/other web sites/,
		);
	});

	it("with a public address, accepts only that origin (the Host behind a proxy does not count)", () => {
		const pub = "https://bounty.example.org";
		expect(() => checkOrigin(req({ host: "127.0.0.1:7790", origin: pub }), pub)).not.toThrow();
		expect(() =>
			checkOrigin(req({ host: "127.0.0.1:7790", origin: "http://127.0.0.1:7790" }), pub),
		).toThrow();
		expect(() =>
			checkOrigin(req({ host: "bounty.example.org", origin: "http://bounty.example.org" }), pub),
		).toThrow();
	});
});

describe("checkCsrfToken", () => {
	it("needs the exact token in X-CSRF-Token", () => {
		expect(() => checkCsrfToken(req({ "x-csrf-token": "abc123" }), "abc123", sameSecret)).not.toThrow();
		expect(() => checkCsrfToken(req({ "x-csrf-token": "abc124" }), "abc123", sameSecret)).toThrow(
			/CSRF token/,
		);
		expect(() => checkCsrfToken(req({}), "abc123", sameSecret)).toThrow(/CSRF token/);
	});
});

describe("cookies and tokens", () => {
	it("writes an HttpOnly, SameSite=Strict session cookie, Secure over HTTPS, and reads it back", () => {
		const c = sessionCookie("s", "v1", { secure: true, maxAgeSeconds: 60 });
		expect(c).toBe("s=v1; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
		expect(sessionCookie("s", "", { secure: false, maxAgeSeconds: 0 })).not.toContain("Secure");
		expect(readCookies(req({ cookie: "a=1; s=v1; s=other" })).get("s")).toBe("v1");
	});

	it("makes long random tokens and keeps only their sha256", () => {
		const a = newToken();
		expect(a).toMatch(/^isc_[A-Za-z0-9_-]{43}$/);
		expect(newToken()).not.toBe(a);
		// sha256("abc"), as published in FIPS 180-2.
		expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	});
});

describe("authorize", () => {
	const entrant: Principal = { id: "e1", name: "E", role: "entrant" };
	const judge: Principal = { id: "j1", name: "J", role: "judge" };
	const organiser: Principal = { id: "o1", name: "O", role: "organiser" };
	const may = (p: Principal, a: Action, r = {}) => {
		try {
			authorize(p, a, r);
			return true;
		} catch (e) {
			expect(e).toBeInstanceOf(Forbidden);
			expect((e as Forbidden).status).toBe(403);
			return false;
		}
	};

	it("lets entrants at their own submissions only, and never at private results", () => {
		expect(may(entrant, "submission.create")).toBe(true);
		expect(may(entrant, "submission.view", { ownerId: "e1" })).toBe(true);
		expect(may(entrant, "submission.view", { ownerId: "e2" })).toBe(false);
		expect(may(entrant, "submission.revise", { ownerId: "e2" })).toBe(false);
		expect(may(entrant, "results.public", { ownerId: "e1", publicResultsPublished: true })).toBe(true);
		expect(may(entrant, "results.public", { ownerId: "e1", publicResultsPublished: false })).toBe(false);
		expect(may(entrant, "results.private")).toBe(false);
		expect(may(entrant, "ranking.view", { published: false })).toBe(false);
		expect(may(entrant, "ranking.view", { published: true })).toBe(true);
		for (const a of [
			"export",
			"people.manage",
			"audit.view",
			"winner.set",
			"round.publish",
			"runs.manage",
		] as Action[])
			expect(may(entrant, a), a).toBe(false);
	});

	it("lets judges write only their own scores and read others' only after scoring", () => {
		expect(may(judge, "judgement.write", { judgeId: "j1" })).toBe(true);
		expect(may(judge, "judgement.write", { judgeId: "j2" })).toBe(false);
		expect(may(organiser, "judgement.write", { judgeId: "j2" })).toBe(false);
		expect(may(judge, "judgement.others", { hasScored: false })).toBe(false);
		expect(may(judge, "judgement.others", { hasScored: true })).toBe(true);
		expect(may(judge, "submission.create")).toBe(false);
		expect(may(judge, "results.private")).toBe(true);
		expect(may(judge, "export")).toBe(false);
	});

	it("lets organisers manage, but not submit or judge", () => {
		for (const a of [
			"export",
			"people.manage",
			"audit.view",
			"winner.set",
			"round.publish",
			"runs.manage",
			"results.private",
		] as Action[])
			expect(may(organiser, a), a).toBe(true);
		expect(may(organiser, "submission.create")).toBe(false);
	});
});
