/**
 * @module `startServer`: the app's HTTP server. Static files for the page, `/api/...` behind the
 * access check, paths checked segment by segment before anything else, runs marked interrupted
 * when a previous server stopped in the middle of them.
 */
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { ContestApp } from "../contest/contest-app.js";
import type { ContestConfig } from "../contest/contest-file.js";
import { ContestHttp } from "../contest/contest-routes.js";
import { openStore } from "../store/index.js";
import { invscaleHome, storePath } from "../util/home.js";
import { makePrivate, privateFolder, privateUmask } from "../util/private-files.js";
import { checkAccess, isLoopbackHost } from "./access.js";
import { ApiError, sendError } from "./api-error.js";
import { type ApiContext, handleApi } from "./api-routes.js";
import { RateLimitError } from "./rate-limit.js";
import { RunManager } from "./run-manager.js";
import { decodeSegment } from "./safe-path.js";
import { applySecureHeaders } from "./secure-headers.js";
import { serveStatic } from "./static-files.js";
import { UploadStore } from "./uploads.js";

export interface ServerOptions {
	/** Default 7788; 0 picks a free port. */
	port?: number;
	/** Default 127.0.0.1. Any other host needs `token`. */
	host?: string;
	/** When given, every API request must carry it (header X-Invscale-Token), on any host. */
	token?: string;
	/** A folder whose GGUF files the page offers as a ladder. */
	modelsDir?: string;
	/** Uploads and run folders. Default `$INVSCALE_HOME/web`. */
	dataDir?: string;
	/** The SQLite store (run registry and score cache). Default `$INVSCALE_HOME/store.sqlite`. */
	storeFile?: string;
	/** Default 100 MB. */
	maxUploadBytes?: number;
	/** Where the server writes its own lines (errors with stacks stay here, never in answers). */
	log?: (line: string) => void;
	/**
	 * Contest mode: the page and API of a hosted contest (per-person tokens, roles, CSRF checks,
	 * rate limits, secure headers) instead of the workbench. The workbench API is off.
	 */
	contest?: ContestConfig;
	/** Contest mode behind a reverse proxy: read the client's address from X-Forwarded-For. */
	trustProxy?: boolean;
	/** Told each step of starting (opening the store, requeuing runs), for a command to print. */
	progress?: (step: string) => void;
}

export interface AppServer {
	url: string;
	port: number;
	/** Runs that a previous server left running and were marked interrupted at start. */
	interruptedAtStart: number;
	/** Contest mode: runs resumed or queued at start (cut off by a previous server). */
	recoveredAtStart: number;
	/** Stops accepting requests, interrupts the running run (resumable) and closes the store. */
	close(): Promise<void>;
}

export class ServerOptionsError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = "ServerOptionsError";
	}
}

export const defaultPort = 7788;
export const defaultMaxUploadBytes = 100 * 1024 * 1024;

/** Splits and decodes the path; refuses `..`, encoded separators and NUL in any segment. */
export function pathSegments(rawUrl: string): string[] {
	const raw = rawUrl.split("?")[0].split("#")[0];
	const segments: string[] = [];
	for (const part of raw.split("/").slice(1)) {
		const segment = decodeSegment(part);
		if (segment === undefined) throw new ApiError(400, "the address is not valid percent-encoding");
		if (segment === ".." || segment === "." || /[/\\\0]/.test(segment)) {
			throw new ApiError(
				400,
				"path refused: it may not contain .., . or encoded separators",
				"use the app's own links",
			);
		}
		segments.push(segment);
	}
	return segments;
}

export async function startServer(options: ServerOptions = {}): Promise<AppServer> {
	const host = options.host ?? "127.0.0.1";
	if (!isLoopbackHost(host) && !options.token && !options.contest) {
		throw new ServerOptionsError(
			`listening on ${host} makes the app reachable from other computers, so it needs an access token`,
			"add --token SECRET (people then enter SECRET in the page), or leave --host at 127.0.0.1",
		);
	}
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const dataDir = resolve(options.dataDir ?? join(invscaleHome(), "web"));
	const storeFile = resolve(options.storeFile ?? storePath());
	const progress = options.progress ?? (() => {});
	if (options.contest) {
		// Submissions, private results and the people table are for the organisers only: folder 700, files 600.
		privateUmask();
		privateFolder(dataDir);
		for (const f of [storeFile, `${storeFile}-wal`, `${storeFile}-shm`]) makePrivate(f);
	}
	mkdirSync(join(dataDir, "uploads"), { recursive: true });
	mkdirSync(join(dataDir, "runs"), { recursive: true });
	progress(`opening the store ${storeFile}`);
	const store = openStore(storeFile);
	if (options.contest) for (const f of [storeFile, `${storeFile}-wal`, `${storeFile}-shm`]) makePrivate(f);
	const interruptedAtStart = store.runs.markInterruptedRuns({ includeQueued: true });
	const runs = new RunManager(store, { runsDir: join(dataDir, "runs"), storeFile, log });
	const ctx: ApiContext = {
		uploads: new UploadStore(join(dataDir, "uploads")),
		runs,
		modelsDir: options.modelsDir ? resolve(options.modelsDir) : undefined,
		maxUploadBytes: options.maxUploadBytes ?? defaultMaxUploadBytes,
		tokenRequired: options.token !== undefined,
	};
	let contest: ContestHttp | undefined;
	let recoveredAtStart = 0;
	if (options.contest) {
		const app = new ContestApp({ config: options.contest, store, runs, dataDir });
		if (options.contest.previousWinners.length > 0) {
			progress(
				`reading ${options.contest.previousWinners.length} earlier winner(s) for near-duplicate checks`,
			);
			await app.loadPreviousWinners();
		}
		progress("requeuing scoring runs cut off at the last stop");
		recoveredAtStart = app.evaluation.recover();
		contest = new ContestHttp(app, { trustProxy: options.trustProxy === true, log });
	}

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const url = req.url ?? "/";
		if (contest) applySecureHeaders(res);
		const segments = pathSegments(url);
		if (contest && segments[0] === "api") {
			if (segments[1] !== "contest")
				throw new ApiError(
					404,
					"this server hosts a contest; the workbench API is off",
					"use /api/contest/...",
				);
			const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
			await contest.handle(req, res, segments.slice(2), query);
			return;
		}
		if (segments[0] === "api") {
			checkAccess(req, options.token);
			const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
			await handleApi(ctx, { req, res, segments: segments.slice(1), query });
			return;
		}
		if (req.method !== "GET" && req.method !== "HEAD") throw new ApiError(405, "only GET is allowed here");
		const page =
			contest && segments.every((s) => s === "") ? "/contest/index.html" : `/${segments.join("/")}`;
		if (!serveStatic(page, res))
			throw new ApiError(404, "no such page", "open the address the server printed");
	};
	const server = createServer((req, res) => {
		handle(req, res).catch((error) => {
			// A refused upload: answer, then stop reading the rest of the body.
			if (error instanceof ApiError && error.status === 413) res.setHeader("connection", "close");
			if (error instanceof RateLimitError) res.setHeader("retry-after", String(error.retryAfterSeconds));
			sendError(res, error, log);
			if (error instanceof ApiError && error.status === 413) req.resume();
		});
	});
	// A local run may upload slowly; a contest faces the internet, where slow requests are an attack.
	server.requestTimeout = contest ? 300_000 : 0;
	if (contest) server.headersTimeout = 30_000;
	const asked = options.port ?? defaultPort;
	progress(`listening on ${host}, ${asked === 0 ? "a free port" : `port ${asked}`}`);
	await new Promise<void>((resolvePromise, reject) => {
		server.once("error", reject);
		server.listen(options.port ?? defaultPort, host, () => {
			server.off("error", reject);
			resolvePromise();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const shownHost = host.includes(":") ? `[${host}]` : host;
	let closing: Promise<void> | undefined;
	return {
		url: `http://${shownHost}:${port}/`,
		port,
		interruptedAtStart,
		recoveredAtStart,
		close: () => {
			closing ??= (async () => {
				const closed = new Promise<void>((r) => server.close(() => r()));
				server.closeAllConnections();
				await runs.shutdown();
				await closed;
				store.close();
			})();
			return closing;
		},
	};
}
