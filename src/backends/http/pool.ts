/**
 * @module Replicas of one model: each request goes to the least-loaded endpoint that has a free
 * slot and is not paused; when none has, the request waits in a FIFO queue. Every release (and the
 * end of every pause) hands freed capacity to the queue's head, so waiters are served in order.
 */
import { AimdLimiter, type LimiterOptions, type Outcome } from "./limiter.js";

export interface Endpoint {
	/** Normalised base URL, e.g. `http://10.0.0.5:8000/v1`. */
	readonly baseUrl: string;
	readonly limiter: AimdLimiter;
}

export interface Lease {
	readonly endpoint: Endpoint;
	readonly startedAt: number;
	/** Returns the slot; safe to call more than once (later calls do nothing). */
	release(outcome: Outcome): void;
}

/** First rest of an endpoint whose connection failed, and the longest. */
const UNREACHABLE_FIRST_MS = 500;
const UNREACHABLE_MAX_MS = 30_000;

interface Waiter {
	resolve(lease: Lease): void;
	reject(error: unknown): void;
}

export class EndpointPool {
	readonly endpoints: Endpoint[];
	private readonly queue: Waiter[] = [];
	private timer: NodeJS.Timeout | undefined;
	private readonly now: () => number;
	/** Connection failures in a row, per endpoint. */
	private readonly failures = new Map<Endpoint, number>();

	constructor(
		baseUrls: string[],
		limiter: LimiterOptions = {},
		private readonly onChange?: () => void,
	) {
		this.now = limiter.now ?? Date.now;
		this.endpoints = baseUrls.map((baseUrl) => ({ baseUrl, limiter: new AimdLimiter(limiter) }));
	}

	/** Sum of the endpoints' current limits. */
	get concurrency(): number {
		return this.endpoints.reduce((sum, e) => sum + e.limiter.limit, 0);
	}

	/** Sum of the endpoints' largest limits. */
	get maxConcurrency(): number {
		return this.endpoints.reduce((sum, e) => sum + e.limiter.max, 0);
	}

	acquire(signal?: AbortSignal): Promise<Lease> {
		if (signal?.aborted) return Promise.reject(signal.reason);
		const lease = this.queue.length === 0 ? this.tryLease() : undefined;
		if (lease) return Promise.resolve(lease);
		return new Promise<Lease>((resolve, reject) => {
			const onAbort = () => {
				const at = this.queue.indexOf(waiter);
				if (at >= 0) this.queue.splice(at, 1);
				reject(signal?.reason);
			};
			const waiter: Waiter = {
				resolve: (l) => {
					signal?.removeEventListener("abort", onAbort);
					resolve(l);
				},
				reject,
			};
			signal?.addEventListener("abort", onAbort, { once: true });
			this.queue.push(waiter);
			this.schedule();
		});
	}

	/** Stops sending to `endpoint` until `until` (clock milliseconds), as its Retry-After asked. */
	pause(endpoint: Endpoint, until: number): void {
		endpoint.limiter.pause(until);
	}

	/**
	 * A connection to `endpoint` failed or timed out: rest it for 0.5 s, doubling with each failure
	 * in a row up to 30 s, so a replica that died stops drawing requests (the least-loaded rule
	 * would otherwise keep picking it, as it is never busy) and its work moves to the others.
	 */
	markUnreachable(endpoint: Endpoint): void {
		const failures = (this.failures.get(endpoint) ?? 0) + 1;
		this.failures.set(endpoint, failures);
		this.pause(
			endpoint,
			this.now() + Math.min(UNREACHABLE_MAX_MS, UNREACHABLE_FIRST_MS * 2 ** (failures - 1)),
		);
	}

	/** `endpoint` answered: its run of connection failures is over. */
	markReachable(endpoint: Endpoint): void {
		this.failures.delete(endpoint);
	}

	/** Fails every waiting request (on dispose). */
	close(error: unknown): void {
		if (this.timer) clearTimeout(this.timer);
		for (const waiter of this.queue.splice(0)) waiter.reject(error);
	}

	private tryLease(): Lease | undefined {
		let best: Endpoint | undefined;
		for (const endpoint of this.endpoints) {
			if (!endpoint.limiter.hasCapacity()) continue;
			if (!best || endpoint.limiter.load < best.limiter.load) best = endpoint;
		}
		const slot = best?.limiter.tryAcquire();
		if (!best || !slot) return undefined;
		const before = this.concurrency;
		return {
			endpoint: best,
			startedAt: slot.startedAt,
			release: (outcome) => {
				slot.release(outcome);
				if (this.concurrency !== before) this.onChange?.();
				this.dispatch();
			},
		};
	}

	private dispatch(): void {
		while (this.queue.length > 0) {
			const lease = this.tryLease();
			if (!lease) break;
			this.queue.shift()!.resolve(lease);
		}
		this.schedule();
	}

	/** While requests wait only on a pause (not on busy slots), wake up when the earliest pause ends. */
	private schedule(): void {
		if (this.timer || this.queue.length === 0) return;
		const now = this.now();
		const paused = this.endpoints.filter(
			(e) => e.limiter.pausedUntil > now && e.limiter.inFlight < e.limiter.limit,
		);
		if (paused.length === 0) return;
		const wake = Math.min(...paused.map((e) => e.limiter.pausedUntil));
		this.timer = setTimeout(
			() => {
				this.timer = undefined;
				this.dispatch();
			},
			Math.max(1, wake - now),
		);
	}
}
