import { describe, expect, it } from "vitest";
import { fitScalingLaw } from "./scaling-law.js";

describe("fitScalingLaw", () => {
	it("recovers the constants of an exact power law", () => {
		const law = (n: number) => 1.7 + 40 * n ** -0.35;
		const points = [1e4, 3e4, 1e5, 3e5, 1e6].map((n) => ({ n, loss: law(n) }));
		const fit = fitScalingLaw(points);
		expect(fit?.alpha).toBeCloseTo(0.35, 2);
		expect(fit?.E).toBeCloseTo(1.7, 1);
		expect(fit?.r2).toBeGreaterThan(0.9999);
	});

	it("says nothing from fewer than three sizes, or from a size that is not positive", () => {
		expect(
			fitScalingLaw([
				{ n: 1, loss: 2 },
				{ n: 2, loss: 1 },
			]),
		).toBeUndefined();
		expect(
			fitScalingLaw([
				{ n: 0, loss: 2 },
				{ n: 2, loss: 1 },
				{ n: 3, loss: 1 },
			]),
		).toBeUndefined();
	});
});
