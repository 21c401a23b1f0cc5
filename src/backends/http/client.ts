/**
 * @module The one retry loop of every remote backend (OpenAI-compatible completions and chat, the
 * Anthropic Messages API): every HTTP request goes through `send`, which takes a slot on the
 * least-loaded replica, classifies what came back, feeds the outcome to that replica's concurrency
 * limit, and retries transient failures (429, 5xx including Anthropic's 529, dropped connections,
 * timeouts, malformed JSON, responses the caller's check finds incomplete) with bounded
 * exponential backoff, honouring Retry-After. The API key is scrubbed from every message. Nothing
 * above it retries.
 */
import { BackendError } from "../types.js";
import type { LimiterOptions, Outcome } from "./limiter.js";
import { type Endpoint, EndpointPool } from "./pool.js";
import { backoffDelay, defaultRetryPolicy, parseRetryAfter, type RetryPolicy } from "./retry-policy.js";
import { scrub } from "./secrets.js";

/** What the caller's check makes of a parsed 2xx body. */
export type Check<T> =
	| { kind: "ok"; value: T }
	/** Incomplete in a way a retry may fix (e.g. a missing log-prob); `reason` ends up in the final error. */
	| { kind: "retry"; reason: string }
	| { kind: "fail"; error: BackendError };

/** A 4xx answer that retrying cannot change (bad request, unknown model, wrong key, no such route). */
export class ServerRefusal extends BackendError {
	constructor(
		message: string,
		readonly status: number,
		hint?: string,
	) {
		super(message, "server", hint);
		this.name = "ServerRefusal";
	}
}

export interface ClientOptions {
	baseUrls: string[];
	/** Sent as `Authorization: Bearer …` (or as `authHeaders` say); scrubbed from every message. */
	apiKey?: string;
	/** Environment variable the key came from, named in hints about rejected keys. */
	apiKeyEnv?: string;
	/** The headers that carry the key. Default `Authorization: Bearer <key>` (OpenAI's way). */
	authHeaders?: (apiKey: string) => Record<string, string>;
	/** Headers sent with every request, e.g. Anthropic's `anthropic-version`. */
	headers?: Record<string, string>;
	retry?: Partial<RetryPolicy>;
	limiter?: LimiterOptions;
	/** One try's limit, from sending to the end of the body, in milliseconds. Default 120000. */
	requestTimeoutMs?: number;
	/** Uniform in [0, 1): backoff jitter. Default Math.random. */
	random?: () => number;
	/** Waits between tries (tests replace it to record the delays). */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	onStatus?(status: { retries: number; concurrency: number }): void;
}

export interface SendOptions {
	method?: "GET" | "POST";
	body?: unknown;
	signal?: AbortSignal;
	/** Fewer tries than the policy's, for probes that should not keep a user waiting. */
	maxAttempts?: number;
}

type Attempt<T> =
	| { kind: "ok"; value: T }
	| {
			kind: "transient";
			what: string;
			outcome: Outcome;
			retryAfterMs?: number;
			/** No answer at all (refused, dropped, timed out): the endpoint may be down. */
			unreachable?: boolean;
	  }
	| { kind: "fatal"; error: BackendError };

export class HttpClient {
	readonly pool: EndpointPool;
	/** Tries that were repeated, over the client's life. */
	retries = 0;
	private readonly policy: RetryPolicy;
	private readonly secrets: string[];
	private readonly random: () => number;
	private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	private readonly timeoutMs: number;

	constructor(private readonly options: ClientOptions) {
		this.pool = new EndpointPool(options.baseUrls, options.limiter, () => this.report());
		this.policy = { ...defaultRetryPolicy, ...options.retry };
		this.secrets = options.apiKey ? [options.apiKey] : [];
		this.random = options.random ?? Math.random;
		this.sleep = options.sleep ?? abortableSleep;
		this.timeoutMs = options.requestTimeoutMs ?? 120_000;
	}

	/** Removes the API key from any text. */
	scrub(text: string): string {
		return scrub(text, this.secrets);
	}

	/** Sends `path` (relative to the base URL, or `/…` from the server root) and checks the answer. */
	async send<T>(path: string, check: (body: unknown) => Check<T>, options: SendOptions = {}): Promise<T> {
		const began = Date.now();
		const seen: string[] = [];
		let where = "";
		const maxAttempts = Math.min(this.policy.maxAttempts, options.maxAttempts ?? this.policy.maxAttempts);
		for (let attempt = 1; ; attempt++) {
			const lease = await this.pool.acquire(options.signal).catch(() => {
				throw cancelled();
			});
			where = `${options.method ?? "POST"} ${routeUrl(lease.endpoint.baseUrl, path)}`;
			let result: Attempt<T>;
			try {
				result = await this.tryOnce(lease.endpoint, path, check, options);
			} catch (error) {
				lease.release({ kind: "neutral" });
				throw error;
			}
			lease.release(
				result.kind === "transient"
					? result.outcome
					: result.kind === "ok"
						? okOutcome(lease.startedAt, path)
						: { kind: "neutral" },
			);
			if (result.kind === "transient" && result.unreachable) this.pool.markUnreachable(lease.endpoint);
			else this.pool.markReachable(lease.endpoint);
			if (result.kind === "ok") return result.value;
			if (result.kind === "fatal") throw result.error;
			seen.push(result.what);
			if (result.retryAfterMs !== undefined) {
				if (result.retryAfterMs > this.policy.maxRetryAfterMs) {
					throw this.giveUp(
						where,
						seen,
						attempt,
						began,
						`the server asked to wait ${seconds(result.retryAfterMs)}`,
					);
				}
				this.pool.pause(lease.endpoint, Date.now() + result.retryAfterMs);
			}
			const delay = Math.max(result.retryAfterMs ?? 0, backoffDelay(this.policy, attempt, this.random));
			if (attempt >= maxAttempts) throw this.giveUp(where, seen, attempt, began);
			if (Date.now() + delay - began > this.policy.maxElapsedMs) {
				throw this.giveUp(
					where,
					seen,
					attempt,
					began,
					`the next try would start after the ${seconds(this.policy.maxElapsedMs)} limit`,
				);
			}
			this.retries++;
			this.report();
			await this.sleep(delay, options.signal).catch(() => {
				throw cancelled();
			});
		}
	}

	private async tryOnce<T>(
		endpoint: Endpoint,
		path: string,
		check: (body: unknown) => Check<T>,
		options: SendOptions,
	): Promise<Attempt<T>> {
		if (options.signal?.aborted) throw cancelled();
		const timeout = AbortSignal.timeout(this.timeoutMs);
		const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
		const headers: Record<string, string> = { accept: "application/json", ...this.options.headers };
		if (options.body !== undefined) headers["content-type"] = "application/json";
		if (this.options.apiKey) {
			Object.assign(
				headers,
				this.options.authHeaders?.(this.options.apiKey) ?? { authorization: `Bearer ${this.options.apiKey}` },
			);
		}
		let status: number;
		let text: string;
		let retryAfter: string | null;
		try {
			const response = await fetch(routeUrl(endpoint.baseUrl, path), {
				method: options.method ?? "POST",
				headers,
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
				signal,
			});
			status = response.status;
			retryAfter = response.headers.get("retry-after");
			text = await response.text();
		} catch (error) {
			if (options.signal?.aborted) throw cancelled();
			if (timeout.aborted) {
				return {
					kind: "transient",
					what: `no answer within ${seconds(this.timeoutMs)}`,
					outcome: { kind: "overload" },
					unreachable: true,
				};
			}
			return {
				kind: "transient",
				what: `connection failed (${this.scrub(networkReason(error))})`,
				outcome: { kind: "overload" },
				unreachable: true,
			};
		}
		if (status === 429 || status >= 500 || status === 408) {
			return {
				kind: "transient",
				what: `HTTP ${status}${serverMessage(text, this.secrets)}`,
				outcome: status === 408 ? { kind: "neutral" } : { kind: "overload" },
				retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
			};
		}
		if (status < 200 || status >= 300) {
			const hint =
				status === 401 || status === 403
					? `the server rejected the API key: check the variable ${this.options.apiKeyEnv ?? "that holds the key"}`
					: undefined;
			return {
				kind: "fatal",
				error: new ServerRefusal(
					`${options.method ?? "POST"} ${routeUrl(endpoint.baseUrl, path)} answered HTTP ${status}${serverMessage(text, this.secrets)}`,
					status,
					hint,
				),
			};
		}
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			return { kind: "transient", what: "malformed JSON in the answer", outcome: { kind: "neutral" } };
		}
		const checked = check(body);
		if (checked.kind === "ok") return checked;
		if (checked.kind === "retry")
			return { kind: "transient", what: checked.reason, outcome: { kind: "neutral" } };
		return { kind: "fatal", error: checked.error };
	}

	private giveUp(where: string, seen: string[], tries: number, began: number, why?: string): BackendError {
		const counts = new Map<string, number>();
		for (const what of seen) counts.set(what, (counts.get(what) ?? 0) + 1);
		const summary = [...counts].map(([what, n]) => (n > 1 ? `${what} ×${n}` : what)).join("; ");
		const allNetwork = seen.every((s) => s.startsWith("connection failed") || s.startsWith("no answer"));
		return new BackendError(
			this.scrub(
				`${where}: gave up after ${tries} ${tries === 1 ? "try" : "tries"} in ${seconds(Date.now() - began)}${why ? ` (${why})` : ""}: ${summary}`,
			),
			allNetwork ? "network" : "server",
			"check that the server is up and not overloaded; answers already returned are cached, so running again resumes",
		);
	}

	private report(): void {
		this.options.onStatus?.({ retries: this.retries, concurrency: this.pool.concurrency });
	}
}

/** `path` under the base URL (`completions` → `…/v1/completions`) or from the server root (`/tokenize`). */
export function routeUrl(baseUrl: string, path: string): string {
	if (!path.startsWith("/")) return `${baseUrl}/${path}`;
	return `${baseUrl.replace(/\/v\d+$/, "")}${path}`;
}

function okOutcome(startedAt: number, route: string): Outcome {
	return { kind: "ok", latencyMs: Date.now() - startedAt, route };
}

function cancelled(): BackendError {
	return new BackendError("the request was cancelled", "aborted");
}

function seconds(ms: number): string {
	return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** The server's own words, shortened: `: <message>`, or nothing. */
function serverMessage(text: string, secrets: string[]): string {
	let message = text.trim();
	try {
		const parsed = JSON.parse(text) as {
			error?: { message?: unknown } | string;
			message?: unknown;
			detail?: unknown;
		};
		const candidate =
			typeof parsed.error === "string"
				? parsed.error
				: (parsed.error?.message ?? parsed.message ?? parsed.detail);
		if (typeof candidate === "string") message = candidate;
	} catch {
		// Not JSON: keep the text.
	}
	message = scrub(message.replace(/\s+/g, " "), secrets);
	if (message === "") return "";
	return `: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}`;
}

function networkReason(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = (error as { cause?: unknown }).cause;
	if (cause instanceof Error) {
		const code = (cause as { code?: unknown }).code;
		return typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
	}
	return error.message;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(() => {
			signal?.removeEventListener("abort", onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		signal?.addEventListener("abort", onAbort, { once: true });
	});
}

/** The name the OpenAI backends have always used for the client. */
export { HttpClient as OpenAIClient };
