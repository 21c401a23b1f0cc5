/**
 * @module The contest's HTTP API under `/api/contest/`. Each request: who is asking (a bearer
 * token, or a session cookie from signing in), the CSRF checks for cookie sessions, then one route,
 * whose operation calls `authorize`. Every change, every refusal and every export goes to the audit
 * log with the person, their role and their address.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { ApiError, sendJson } from "../server/api-error.js";
import { readCookies, sessionCookie } from "../server/cookies.js";
import { checkCsrfToken, checkOrigin, isSafeMethod } from "../server/csrf.js";
import { readJson } from "../server/http-body.js";
import { RateLimiter } from "../server/rate-limit.js";
import type { Principal } from "./authorize.js";
import type { ContestApp } from "./contest-app.js";
import type { User } from "./contest-store.js";
import { exportEntries, writeExportZip } from "./export.js";
import { readSubmission } from "./intake.js";
import { sameSecret } from "./tokens.js";

export const sessionCookieName = "invscale_session";

export interface ContestHttpOptions {
	/** Take the client's address from the last X-Forwarded-For entry (only behind a proxy you run). */
	trustProxy?: boolean;
	/** Sign-in attempts per address per minute. Default 10. */
	loginsPerMinute?: number;
	/** Sign-ups per address per hour, when the contest takes them. Default 3. */
	signupsPerHour?: number;
	/** Where unexpected errors are written in full; people only get a plain 500. */
	log?: (line: string) => void;
}

export class ContestHttp {
	private readonly logins: RateLimiter;
	private readonly signups: RateLimiter;

	constructor(
		readonly app: ContestApp,
		private readonly options: ContestHttpOptions = {},
	) {
		this.logins = new RateLimiter({
			limit: options.loginsPerMinute ?? 10,
			windowMs: 60_000,
			what: "sign-in attempts",
		});
		this.signups = new RateLimiter({
			limit: options.signupsPerHour ?? 3,
			windowMs: 3_600_000,
			what: "sign-ups from this address",
		});
	}

	private ip(req: IncomingMessage): string {
		const forwarded = req.headers["x-forwarded-for"];
		if (this.options.trustProxy && typeof forwarded === "string" && forwarded.trim())
			return forwarded.split(",").at(-1)!.trim();
		return req.socket.remoteAddress ?? "unknown";
	}

	private secure(req: IncomingMessage): boolean {
		if (this.app.config.publicUrl?.startsWith("https://")) return true;
		return this.options.trustProxy === true && req.headers["x-forwarded-proto"] === "https";
	}

	private audit(
		who: Principal | undefined,
		action: string,
		resource: string | null,
		outcome: "ok" | "refused" | "failed",
		detail: string | null,
		ip: string,
	): void {
		this.app.store.audit({
			principal: who?.id ?? null,
			role: who?.role ?? null,
			action,
			resource,
			outcome,
			detail,
			ip,
		});
	}

	/** Answers one request under `/api/contest/` (`segments` are the parts after it). */
	async handle(
		req: IncomingMessage,
		res: ServerResponse,
		segments: string[],
		query: URLSearchParams,
	): Promise<void> {
		const ip = this.ip(req);
		const method = req.method ?? "GET";
		const action = `${method} /${segments.join("/")}`;
		if (segments.length === 1 && segments[0] === "login" && method === "POST")
			return this.login(req, res, ip);
		if (segments.length === 1 && segments[0] === "public" && method === "GET")
			return sendJson(res, 200, this.app.publicInfo());
		if (segments.length === 1 && segments[0] === "register" && method === "POST")
			return this.register(req, res, ip);
		let who: Principal | undefined;
		try {
			const found = this.principal(req, ip);
			who = found?.principal;
			if (!found)
				throw new ApiError(
					401,
					"sign in first",
					"enter your contest token on the page, or pass --token to `invscale submit`",
				);
			if (found.via === "session" && !isSafeMethod(method)) {
				checkOrigin(req, this.app.config.publicUrl);
				checkCsrfToken(req, found.csrf!, sameSecret);
			}
			await this.route(req, res, segments, query, found.principal, found);
			if (!isSafeMethod(method) || segments.at(-1) === "export.zip")
				this.audit(who, action, segments[1] ?? null, "ok", null, ip);
		} catch (error) {
			if (!(error instanceof ApiError)) {
				// Unexpected errors may carry server paths: the log gets them, the person a plain answer.
				this.options.log?.(
					`contest: ${action}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				);
				if (!isSafeMethod(method) && who)
					this.audit(who, action, segments[1] ?? null, "failed", "internal error", ip);
				throw new ApiError(
					500,
					"the server could not do this",
					"try again; if it keeps happening, tell the organisers (the details are in the server's log)",
				);
			}
			const refused =
				error.status === 403 || error.status === 429 || (error.status === 401 && !isSafeMethod(method));
			if (refused)
				this.audit(who, action, segments[1] ?? null, "refused", `${error.status} ${error.message}`, ip);
			else if (!isSafeMethod(method) && who)
				this.audit(
					who,
					action,
					segments[1] ?? null,
					"failed",
					`${error.status} ${error.message.slice(0, 300)}`,
					ip,
				);
			throw error;
		}
	}

	private principal(
		req: IncomingMessage,
		ip: string,
	): { principal: Principal; via: "bearer" | "session"; csrf?: string; session?: string } | undefined {
		const auth = req.headers.authorization;
		const toPrincipal = (u: User): Principal => ({ id: u.id, name: u.name, role: u.role });
		if (typeof auth === "string" && auth.startsWith("Bearer ")) {
			const user = this.app.store.userByToken(auth.slice(7).trim());
			if (!user) {
				// Guessing tokens through the API counts against the same limit as signing in.
				this.logins.take(ip);
				throw new ApiError(
					401,
					"this token is not valid for this contest",
					"check the token the organisers gave you",
				);
			}
			return { principal: toPrincipal(user), via: "bearer" };
		}
		const session = readCookies(req).get(sessionCookieName);
		if (!session) return undefined;
		const found = this.app.store.session(session);
		if (!found) return undefined;
		return { principal: toPrincipal(found.user), via: "session", csrf: found.csrf, session };
	}

	private async register(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
		try {
			checkOrigin(req, this.app.config.publicUrl);
			if (this.app.config.openRegistration) this.signups.take(ip);
			const { name } = parse(z.object({ name: z.string().max(80) }), await readJson(req));
			const { user, token } = this.app.register(name);
			this.audit(
				{ id: user.id, name: user.name, role: user.role },
				"POST /register",
				user.id,
				"ok",
				null,
				ip,
			);
			sendJson(res, 201, { user: { id: user.id, name: user.name, role: user.role }, token });
		} catch (error) {
			if (error instanceof ApiError && (error.status === 403 || error.status === 429))
				this.audit(undefined, "POST /register", null, "refused", `${error.status} ${error.message}`, ip);
			throw error;
		}
	}

	private async login(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
		try {
			checkOrigin(req, this.app.config.publicUrl);
			this.logins.take(ip);
		} catch (error) {
			this.audit(undefined, "POST /login", null, "refused", (error as Error).message, ip);
			if ((error as { retryAfterSeconds?: number }).retryAfterSeconds)
				res.setHeader("retry-after", String((error as { retryAfterSeconds: number }).retryAfterSeconds));
			throw error;
		}
		const { token } = parse(z.object({ token: z.string().min(1).max(200) }), await readJson(req));
		const user = this.app.store.userByToken(token);
		if (!user) {
			this.audit(undefined, "POST /login", null, "refused", "unknown token", ip);
			throw new ApiError(
				401,
				"this token is not valid for this contest",
				"check the token the organisers gave you",
			);
		}
		const { session, csrf } = this.app.store.createSession(user.id);
		res.setHeader(
			"set-cookie",
			sessionCookie(sessionCookieName, session, { secure: this.secure(req), maxAgeSeconds: 7 * 86_400 }),
		);
		this.audit({ id: user.id, name: user.name, role: user.role }, "POST /login", null, "ok", null, ip);
		sendJson(res, 200, { principal: { id: user.id, name: user.name, role: user.role }, csrf });
	}

	private async route(
		req: IncomingMessage,
		res: ServerResponse,
		segments: string[],
		query: URLSearchParams,
		p: Principal,
		via: { via: "bearer" | "session"; csrf?: string; session?: string },
	): Promise<void> {
		const app = this.app;
		const method = req.method;
		const [head, id, action, arg, ...rest] = segments;
		const ok = (body: unknown, status = 200) => sendJson(res, status, body);
		if (rest.length > 0) throw new ApiError(404, "no such API route");
		const key = `${method} ${head ?? ""}${id !== undefined ? "/:id" : ""}${action !== undefined ? `/${action}` : ""}${arg !== undefined ? "/:arg" : ""}`;
		switch (key) {
			case "GET me":
				return ok({ principal: p, csrf: via.csrf ?? null, contest: app.overview(p) });
			case "POST logout":
				if (via.session) app.store.endSession(via.session);
				res.setHeader(
					"set-cookie",
					sessionCookie(sessionCookieName, "", { secure: this.secure(req), maxAgeSeconds: 0 }),
				);
				return ok({ signedOut: true });
			case "GET submissions":
				return ok(app.list(p));
			case "POST submissions": {
				const files = await readSubmission(req, app.config);
				return ok(await this.limited(res, () => app.submit(p, files)), 201);
			}
			case "GET submissions/:id":
				return ok(app.view(p, id!));
			case "POST submissions/:id/versions": {
				const files = await readSubmission(req, app.config);
				return ok(await this.limited(res, () => app.submit(p, files, id)), 201);
			}
			case "GET submissions/:id/data": {
				const data = app.data(p, id!);
				res.writeHead(200, {
					"content-type": "text/plain; charset=utf-8",
					"content-disposition": `attachment; filename="${data.name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
					"cache-control": "no-store",
					"content-length": data.bytes.length,
				});
				res.end(data.bytes);
				return;
			}
			case "GET submissions/:id/results/:arg": {
				if (arg !== "public" && arg !== "private") throw new ApiError(404, "results are public or private");
				return ok(app.results(p, id!, arg));
			}
			case "GET submissions/:id/judgements":
				return ok(app.judgements(p, id!));
			case "PUT submissions/:id/judgements/:arg": {
				const body = parse(judgementSchema, await readJson(req));
				return ok(app.judge(p, id!, arg!, body.scores));
			}
			case "POST submissions/:id/winner":
				return ok(
					app.setWinner(p, id!, parse(z.object({ winner: z.boolean() }), await readJson(req)).winner),
				);
			case "POST submissions/:id/rerun":
				return ok(app.rerun(p, id!));
			case "GET rounds/:id/ranking":
				return ok(app.ranking(p, id!));
			case "POST rounds/:id/publish":
				return ok(
					app.publish(p, id!, parse(z.object({ published: z.boolean() }), await readJson(req)).published),
				);
			case "GET rounds/:id/export.zip": {
				const { folder, entries } = exportEntries(app, p, id!, query.get("include") === "private");
				res.writeHead(200, {
					"content-type": "application/zip",
					"content-disposition": `attachment; filename="${folder}.zip"`,
					"cache-control": "no-store",
				});
				await writeExportZip(folder, entries, res);
				res.end();
				return;
			}
			case "GET people":
				return ok(app.people(p));
			case "POST people": {
				const body = parse(
					z.object({ name: z.string().max(80), role: z.string().max(20) }),
					await readJson(req),
				);
				return ok(app.addPerson(p, body.name, body.role), 201);
			}
			case "POST people/:id/disable":
				return ok(
					app.disablePerson(p, id!, parse(z.object({ disabled: z.boolean() }), await readJson(req)).disabled),
				);
			case "GET audit":
				return ok(app.auditLog(p));
			default:
				throw new ApiError(404, "no such API route");
		}
	}

	/** Runs `fn`; a rate-limit refusal also tells the client when to retry. */
	private async limited<T>(res: ServerResponse, fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			const retry = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
			if (retry) res.setHeader("retry-after", String(retry));
			throw error;
		}
	}
}

const judgementSchema = z.object({
	scores: z.record(
		z.string().max(40),
		z.object({ score: z.number(), comment: z.string().max(4000).default("") }),
	),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0]!;
	throw new ApiError(
		400,
		`${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`,
		"check the form and try again",
	);
}
