/**
 * @module An adaptive (AIMD) concurrency limit for one server endpoint.
 *
 * Invariants:
 * - `inFlight` counts slots handed out and not yet released; it never goes below zero, and a slot
 *   is released exactly once (a second `release` is ignored), so callers release it in `finally`
 *   and a throwing job never leaks it.
 * - `limit` stays within [min, max]. Slow start: until the first sign of overload, every healthy
 *   response adds 1 (the limit doubles per round), so a replica's capacity is found in a few
 *   rounds rather than one slot per round. Then additive increase: every healthy response adds
 *   1/limit (about +1 per round of `limit` responses). Multiplicative decrease: overload (429, 5xx, a dropped
 *   connection, latency rising above its baseline for that route) halves it, at most once per round: a response to a request sent
 *   before the last decrease does not decrease it again, so a burst of failures from one moment
 *   of overload halves the limit once, not N times.
 * - `tryAcquire` never hands out a slot while `inFlight >= floor(limit)` or before `pausedUntil`
 *   (a server's Retry-After), so shrinking the limit takes effect as slots come back.
 */

/**
 * The least baseline latency compared against: a route that answers in a few milliseconds
 * (`/tokenize`) swings several-fold with the client's own event-loop lag, which says nothing
 * about the server's load; below factor × this, latency is never taken as overload.
 */
const MIN_BASELINE_MS = 50;

export type Outcome =
	| {
			kind: "ok";
			latencyMs: number;
			/**
			 * What was asked (the route): latencies are compared only among requests of one kind, since a
			 * `/tokenize` answers in a millisecond and a forward pass takes fifty. Default "".
			 */
			route?: string;
	  }
	/** The server said it is overloaded (429, 5xx), dropped the connection or timed out. */
	| { kind: "overload" }
	/** Failed for a reason that says nothing about load (bad JSON, a refused request, cancellation). */
	| { kind: "neutral" };

export interface LimiterOptions {
	/** Starting limit. Default 4. */
	initial?: number;
	/** Default 1. */
	min?: number;
	/** Default 64. */
	max?: number;
	/** Latency above this multiple of the best recent latency counts as overload. Default 3. */
	latencyFactor?: number;
	/** Clock in milliseconds (tests replace it). Default Date.now. */
	now?: () => number;
}

export interface Slot {
	readonly startedAt: number;
	release(outcome: Outcome): void;
}

export class AimdLimiter {
	private current: number;
	private active = 0;
	private lastDecrease = Number.NEGATIVE_INFINITY;
	/** No overload seen yet: grow by one per healthy response. */
	private slowStart = true;
	private pauseEnd = 0;
	/** Per route: smoothed latency, and the lowest smoothed latency seen (a healthy server's baseline). */
	private readonly latency = new Map<
		string,
		{ smoothed: number; best: number | undefined; samples: number }
	>();
	readonly min: number;
	readonly max: number;
	private readonly latencyFactor: number;
	private readonly now: () => number;

	constructor(options: LimiterOptions = {}) {
		this.min = Math.max(1, Math.floor(options.min ?? 1));
		this.max = Math.max(this.min, Math.floor(options.max ?? 64));
		this.current = clamp(options.initial ?? 4, this.min, this.max);
		this.latencyFactor = options.latencyFactor ?? 3;
		this.now = options.now ?? Date.now;
	}

	/** Whole slots currently allowed. */
	get limit(): number {
		return Math.floor(this.current);
	}

	get inFlight(): number {
		return this.active;
	}

	/** When the server asked for a pause (Retry-After), in clock milliseconds; 0 when none. */
	get pausedUntil(): number {
		return this.pauseEnd;
	}

	/** Share of the limit in use: the pool sends new work to the endpoint where this is lowest. */
	get load(): number {
		return this.active / this.limit;
	}

	hasCapacity(): boolean {
		return this.active < this.limit && this.now() >= this.pauseEnd;
	}

	tryAcquire(): Slot | undefined {
		if (!this.hasCapacity()) return undefined;
		this.active++;
		const startedAt = this.now();
		let released = false;
		return {
			startedAt,
			release: (outcome) => {
				if (released) return;
				released = true;
				this.active--;
				this.record(outcome, startedAt);
			},
		};
	}

	/** No new slots before `until` (clock milliseconds); a later pause extends an earlier one. */
	pause(until: number): void {
		this.pauseEnd = Math.max(this.pauseEnd, until);
	}

	private record(outcome: Outcome, startedAt: number): void {
		if (outcome.kind === "neutral") return;
		if (outcome.kind === "overload") {
			this.decrease(startedAt);
			return;
		}
		const route = outcome.route ?? "";
		const latency = outcome.latencyMs;
		const seen = this.latency.get(route);
		const stats = seen ?? { smoothed: latency, best: undefined, samples: 0 };
		if (seen) stats.smoothed = 0.7 * stats.smoothed + 0.3 * latency;
		else this.latency.set(route, stats);
		stats.samples++;
		// The baseline needs a few samples, so one fast first response does not set it too low.
		if (stats.samples >= 5) stats.best = Math.min(stats.best ?? stats.smoothed, stats.smoothed);
		if (
			stats.best !== undefined &&
			stats.smoothed > this.latencyFactor * Math.max(stats.best, MIN_BASELINE_MS)
		) {
			this.decrease(startedAt);
			// Start the comparison afresh at the new level, so one slow stretch halves once.
			stats.smoothed = stats.best;
			return;
		}
		this.current = Math.min(this.max, this.current + (this.slowStart ? 1 : 1 / this.current));
	}

	private decrease(startedAt: number): void {
		this.slowStart = false;
		if (startedAt <= this.lastDecrease) return;
		this.current = Math.max(this.min, this.current / 2);
		this.lastDecrease = this.now();
	}
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}
