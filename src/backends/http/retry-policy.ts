/** @module How long to wait before the next try: exponential backoff with full jitter, a bound, and Retry-After. */

export interface RetryPolicy {
	/** Tries in all, the first included. Default 8. */
	maxAttempts: number;
	/** No new try starts later than this after the first one began, in milliseconds. Default 120000. */
	maxElapsedMs: number;
	/** Backoff before the second try is drawn from [0, baseDelayMs]; it doubles with each try. Default 500. */
	baseDelayMs: number;
	/** Upper bound of one backoff draw. Default 30000. */
	maxDelayMs: number;
	/** Longest Retry-After honoured; a server asking for more makes the request fail. Default 120000. */
	maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
	maxAttempts: 8,
	maxElapsedMs: 120_000,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
};

/**
 * Full jitter (uniform in [0, min(cap, base·2^(n−1))]) after the n-th failed try, so clients that
 * failed together do not retry together. `random` returns a number in [0, 1).
 */
export function backoffDelay(policy: RetryPolicy, failedTries: number, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedTries - 1));
	return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds (`"120"`, fractions accepted) or an
 * HTTP date. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
	if (header == null) return undefined;
	const value = header.trim();
	if (value === "") return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
