import { describe, expect, it } from "vitest";
import { mapConcurrent } from "./map-concurrent.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("mapConcurrent", () => {
	it("keeps input order and never has more than the limit in flight", async () => {
		let inFlight = 0;
		let peak = 0;
		// Later items finish first, so order can only come from the indices.
		const out = await mapConcurrent([5, 4, 3, 2, 1, 0], 3, async (v, i) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await tick(v * 3);
			inFlight--;
			return `${i}:${v}`;
		});
		expect(out).toEqual(["0:5", "1:4", "2:3", "3:2", "4:1", "5:0"]);
		expect(peak).toBe(3);
	});

	it("rethrows the first failure and starts nothing after it", async () => {
		const started: number[] = [];
		await expect(
			mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (v) => {
				started.push(v);
				await tick(1);
				if (v === 1) throw new Error("row 1 failed");
				return v;
			}),
		).rejects.toThrow("row 1 failed");
		expect(started.length).toBeLessThanOrEqual(3);
	});
});
