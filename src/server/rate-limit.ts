/**
 * @module A sliding-window rate limit per key (a person, an address): at most `limit` events in any
 * `windowMs`. Over the limit is a 429 that says the limit and when to try again.
 */
import { ApiError } from "./api-error.js";

export interface RateLimitOptions {
	limit: number;
	windowMs: number;
	/** What is limited, for the message: "submissions", "sign-in attempts". */
	what: string;
	now?: () => number;
}

export class RateLimitError extends ApiError {
	constructor(
		message: string,
		hint: string,
		readonly retryAfterSeconds: number,
	) {
		super(429, message, hint);
		this.name = "RateLimitError";
	}
}

function windowWords(ms: number): string {
	if (ms % 3_600_000 === 0) return ms === 3_600_000 ? "an hour" : `${ms / 3_600_000} hours`;
	if (ms % 60_000 === 0) return ms === 60_000 ? "a minute" : `${ms / 60_000} minutes`;
	return `${Math.round(ms / 1000)} seconds`;
}

export class RateLimiter {
	private readonly events = new Map<string, number[]>();
	private readonly now: () => number;

	constructor(private readonly options: RateLimitOptions) {
		this.now = options.now ?? Date.now;
	}

	/** Adds events that happened before this limiter existed (e.g. read back from a store after a restart). */
	seed(key: string, times: readonly number[]): void {
		const since = this.now() - this.options.windowMs;
		const kept = [...(this.events.get(key) ?? []), ...times.filter((t) => t > since)].sort((a, b) => a - b);
		this.events.set(key, kept);
	}

	/** Counts one event for `key`, or throws RateLimitError (nothing counted) when over the limit. */
	take(key: string): void {
		const now = this.now();
		const since = now - this.options.windowMs;
		const kept = (this.events.get(key) ?? []).filter((t) => t > since);
		if (kept.length >= this.options.limit) {
			const oldest = kept[0] ?? now;
			const retry = Math.max(1, Math.ceil((oldest + this.options.windowMs - now) / 1000));
			this.events.set(key, kept);
			throw new RateLimitError(
				`too many ${this.options.what}: the limit is ${this.options.limit} in ${windowWords(this.options.windowMs)}`,
				`try again in ${retry} s`,
				retry,
			);
		}
		kept.push(now);
		this.events.set(key, kept);
		if (this.events.size > 10_000) this.sweep(since);
	}

	private sweep(since: number): void {
		for (const [key, times] of this.events) if (!times.some((t) => t > since)) this.events.delete(key);
	}
}
