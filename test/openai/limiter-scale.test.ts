import { describe, expect, it } from "vitest";
import { AimdLimiter } from "../../src/backends/http/limiter.js";
import { EndpointPool } from "../../src/backends/http/pool.js";

function clock(start = 1000) {
	const c = { t: start, now: () => c.t };
	return c;
}

describe("finding a replica's capacity", () => {
	it("doubles per round until the first overload (slow start), then grows by one per round", () => {
		const c = clock();
		const limiter = new AimdLimiter({ initial: 4, max: 64, now: c.now });
		// Rounds of `limit` healthy answers: 4 → 8 → 16 → 32.
		for (const expected of [8, 16, 32]) {
			const round = Array.from({ length: limiter.limit }, () => limiter.tryAcquire()!);
			for (const slot of round) slot.release({ kind: "ok", latencyMs: 50 });
			expect(limiter.limit).toBe(expected);
		}
		c.t += 1;
		limiter.tryAcquire()!.release({ kind: "overload" });
		expect(limiter.limit).toBe(16);
		c.t += 1;
		// Additive now: 16 answers add 16 × 1/16.x, just under one slot; the 17th completes it.
		for (let i = 0; i < 16; i++) limiter.tryAcquire()!.release({ kind: "ok", latencyMs: 50 });
		expect(limiter.limit).toBe(16);
		limiter.tryAcquire()!.release({ kind: "ok", latencyMs: 50 });
		expect(limiter.limit).toBe(17);
	});

	it("compares latencies only within one route, so fast tokenizations do not make forward passes look slow", () => {
		const c = clock();
		const limiter = new AimdLimiter({ initial: 8, max: 8, now: c.now });
		for (let i = 0; i < 10; i++)
			limiter.tryAcquire()!.release({ kind: "ok", latencyMs: 1, route: "/tokenize" });
		for (let i = 0; i < 10; i++)
			limiter.tryAcquire()!.release({ kind: "ok", latencyMs: 50, route: "completions" });
		expect(limiter.limit).toBe(8);
		// Within one route, a tenfold slowdown is still overload.
		c.t += 1;
		for (let i = 0; i < 6; i++)
			limiter.tryAcquire()!.release({ kind: "ok", latencyMs: 500, route: "completions" });
		expect(limiter.limit).toBe(4);
	});
});

describe("a replica that stops answering", () => {
	it("is rested, doubling with each failure in a row, so new requests go to the others", async () => {
		const c = clock();
		const pool = new EndpointPool(["http://a/v1", "http://b/v1"], { initial: 4, now: c.now });
		const [a, b] = pool.endpoints;
		pool.markUnreachable(a!);
		expect(a!.limiter.pausedUntil).toBe(c.t + 500);
		pool.markUnreachable(a!);
		expect(a!.limiter.pausedUntil).toBe(c.t + 1000);
		// While a rests, every lease goes to b, though a is the idler one.
		const leases = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
		expect(leases.map((l) => l.endpoint)).toEqual([b, b, b]);
		for (const l of leases) l.release({ kind: "neutral" });
		// An answer ends the run of failures: the next failure rests it for the first period again.
		pool.markReachable(a!);
		c.t += 2000;
		pool.markUnreachable(a!);
		expect(a!.limiter.pausedUntil).toBe(c.t + 500);
		for (let i = 0; i < 12; i++) pool.markUnreachable(a!);
		expect(a!.limiter.pausedUntil).toBe(c.t + 30_000);
	});
});
