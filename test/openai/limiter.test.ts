import { describe, expect, it } from "vitest";
import { AimdLimiter } from "../../src/backends/http/limiter.js";
import { EndpointPool } from "../../src/backends/http/pool.js";

function clock(start = 1000) {
	const c = { t: start, now: () => c.t };
	return c;
}

describe("AIMD limiter", () => {
	it("grows by about one per round of healthy answers and halves once per burst of overload", () => {
		const c = clock();
		const limiter = new AimdLimiter({ initial: 8, max: 16, now: c.now });
		// A first overload ends slow start: 8 → 4.
		limiter.tryAcquire()!.release({ kind: "overload" });
		expect(limiter.limit).toBe(4);
		c.t += 5;
		// Four healthy answers at limit 4 add 4 × 1/4.x: just under one whole slot.
		for (let i = 0; i < 5; i++) limiter.tryAcquire()?.release({ kind: "ok", latencyMs: 10 });
		expect(limiter.limit).toBe(5);
		// Three requests in flight together all hit a 429: the limit halves once, not three times.
		const slots = [limiter.tryAcquire()!, limiter.tryAcquire()!, limiter.tryAcquire()!];
		c.t += 5;
		for (const slot of slots) slot.release({ kind: "overload" });
		expect(limiter.limit).toBe(2);
		// A request sent after that decrease may halve it again.
		c.t += 5;
		limiter.tryAcquire()!.release({ kind: "overload" });
		expect(limiter.limit).toBe(1);
		expect(limiter.inFlight).toBe(0);
	});

	it("never hands out more than the limit, releases a slot once, and honours pauses", () => {
		const c = clock();
		const limiter = new AimdLimiter({ initial: 2, now: c.now });
		const a = limiter.tryAcquire()!;
		const b = limiter.tryAcquire()!;
		expect(limiter.tryAcquire()).toBeUndefined();
		a.release({ kind: "neutral" });
		a.release({ kind: "neutral" });
		expect(limiter.inFlight).toBe(1);
		b.release({ kind: "neutral" });
		limiter.pause(c.t + 100);
		expect(limiter.tryAcquire()).toBeUndefined();
		c.t += 100;
		expect(limiter.tryAcquire()).toBeDefined();
	});

	it("treats latency far above the best seen as overload", () => {
		const c = clock();
		const limiter = new AimdLimiter({ initial: 8, max: 8, now: c.now });
		for (let i = 0; i < 6; i++) limiter.tryAcquire()!.release({ kind: "ok", latencyMs: 20 });
		expect(limiter.limit).toBe(8);
		c.t += 1;
		for (let i = 0; i < 4; i++) limiter.tryAcquire()!.release({ kind: "ok", latencyMs: 400 });
		expect(limiter.limit).toBe(4);
	});
});

describe("endpoint pool", () => {
	it("sends to the least-loaded replica and serves waiters in order, also after a job throws", async () => {
		const pool = new EndpointPool(["http://a/v1", "http://b/v1"], { initial: 1 });
		const first = await pool.acquire();
		const second = await pool.acquire();
		expect(new Set([first.endpoint.baseUrl, second.endpoint.baseUrl])).toEqual(
			new Set(["http://a/v1", "http://b/v1"]),
		);
		const order: string[] = [];
		const waiting = [
			pool.acquire().then((l) => {
				order.push("w1");
				return l;
			}),
			pool.acquire().then((l) => {
				order.push("w2");
				return l;
			}),
		];
		const job = async () => {
			try {
				throw new Error("boom");
			} finally {
				first.release({ kind: "neutral" });
			}
		};
		await expect(job()).rejects.toThrow("boom");
		const w1 = await waiting[0]!;
		expect(w1.endpoint).toBe(first.endpoint);
		second.release({ kind: "neutral" });
		await waiting[1];
		expect(order).toEqual(["w1", "w2"]);
	});

	it("lets a waiter go when its signal aborts", async () => {
		const pool = new EndpointPool(["http://a/v1"], { initial: 1 });
		const held = await pool.acquire();
		const controller = new AbortController();
		const waiting = pool.acquire(controller.signal);
		controller.abort(new Error("stop"));
		await expect(waiting).rejects.toThrow("stop");
		held.release({ kind: "neutral" });
		// The aborted waiter took nothing: the slot is free for the next caller.
		const next = await pool.acquire();
		expect(next.endpoint.limiter.inFlight).toBe(1);
	});
});
