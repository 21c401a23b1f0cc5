import { describe, expect, it } from "vitest";
import { pairedBootstrap, parametricBootstrap, replicateColumn } from "../../src/analysis/bootstrap.js";
import { meanSe, percentileInterval, percentileSorted } from "../../src/analysis/descriptive.js";
import { invertValue } from "../../src/analysis/metric.js";
import { benjaminiHochberg, bhRejections } from "../../src/analysis/multiple.js";
import { fitLine, fitQuadratic } from "../../src/analysis/regression.js";
import { ranks, spearmanRho, spearmanTest } from "../../src/analysis/spearman.js";
import { createPrng, createPrngFromState } from "../../src/util/prng.js";

describe("meanSe", () => {
	it("uses the population standard deviation over √n, as the prize", () => {
		// [1,2,3,4]: mean 2.5, population variance 1.25, se = √1.25 / 2.
		const r = meanSe([1, 2, 3, 4]);
		expect(r.mean).toBe(2.5);
		expect(r.se).toBeCloseTo(Math.sqrt(1.25) / 2, 12);
		expect(r.n).toBe(4);
	});
	it("gives a null standard error, never 0, for a single value", () => {
		expect(meanSe([3])).toEqual({ mean: 3, se: null, n: 1 });
		expect(meanSe([]).se).toBeNull();
	});
});

describe("percentiles", () => {
	it("interpolates linearly between order statistics (type 7)", () => {
		expect(percentileSorted([1, 2, 3, 4, 5], 0.25)).toBe(2);
		expect(percentileSorted([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
		expect(percentileInterval([5, 1, 4, 2, 3, Number.NaN], 0.5)).toEqual([2, 4]);
	});
});

describe("least squares", () => {
	it("recovers a hand-solved line", () => {
		// Sxy = 7, Sxx = 5 → slope 1.4; intercept 4 − 1.4·2.5 = 0.5.
		const fit = fitLine([1, 2, 3, 4], [2, 3, 5, 6]);
		expect(fit.slope).toBeCloseTo(1.4, 12);
		expect(fit.intercept).toBeCloseTo(0.5, 12);
	});
	it("recovers a parabola and its turning point", () => {
		const sym = fitQuadratic([-1, 0, 1], [1, 0, 1]);
		expect(sym.c).toBeCloseTo(1, 12);
		expect(sym.b).toBeCloseTo(0, 12);
		expect(sym.turningPoint).toBeCloseTo(0, 12);
		// y = 1 + 2t + 3t² → turning point −2/6.
		const t = [0, 1, 2, 3];
		const q = fitQuadratic(
			t,
			t.map((v) => 1 + 2 * v + 3 * v * v),
		);
		expect(q.c).toBeCloseTo(3, 9);
		expect(q.turningPoint).toBeCloseTo(-1 / 3, 9);
	});
	it("returns NaN rather than a made-up slope with one distinct x", () => {
		expect(fitLine([2, 2], [1, 3]).slope).toBeNaN();
		expect(fitQuadratic([1, 2, 2, 1], [1, 2, 3, 4]).c).toBeNaN();
	});
});

describe("Spearman", () => {
	it("averages tied ranks", () => {
		expect([...ranks([10, 20, 20, 30])]).toEqual([1, 2.5, 2.5, 4]);
	});
	it("matches 1 − 6Σd²/(n(n²−1)) without ties", () => {
		// d = [0,0,1,1] → ρ = 1 − 12/60 = 0.8.
		expect(spearmanRho([1, 2, 3, 4], [1, 2, 4, 3])).toBeCloseTo(0.8, 12);
	});
	it("gives exact permutation p-values for n = 4, counted by hand", () => {
		// |ρ| ≥ 0.8 ⇔ Σd² ≤ 2 or ≥ 18: identity + 3 adjacent swaps, and their 4 reverses → 8/24.
		const r = spearmanTest([1, 2, 3, 4], [1, 2, 4, 3]);
		expect(r.method).toBe("exact");
		expect(r.p).toBeCloseTo(8 / 24, 12);
		// A perfectly monotone ladder of four: only the identity and the reverse → 2/24 > 0.05.
		const perfect = spearmanTest([1e8, 1e9, 1e10, 1e11], [4, 3, 2, 1]);
		expect(perfect.rho).toBe(-1);
		expect(perfect.p).toBeCloseTo(2 / 24, 12);
		expect(perfect.minP).toBeCloseTo(2 / 24, 12);
	});
	it("falls back to a seeded Monte Carlo test past 9 models", () => {
		const x = Array.from({ length: 12 }, (_, i) => i);
		const a = spearmanTest(x, x, { seed: 5, permutations: 2000 });
		expect(a.method).toBe("monte-carlo");
		// Only the identity and its reverse reach |ρ| = 1 among 12! orders: p ≈ 1/(N+1).
		expect(a.p).toBeCloseTo(1 / 2001, 6);
		expect(spearmanTest(x, x, { seed: 5, permutations: 2000 }).p).toBe(a.p);
	});
});

describe("Benjamini–Hochberg", () => {
	// The 15 p-values of Benjamini & Hochberg (1995), section 4: at q = 0.05 four are rejected.
	const p = [
		0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
		0.759, 1,
	];
	it("rejects the textbook four", () => {
		expect(bhRejections(p, 0.05).filter(Boolean)).toHaveLength(4);
		expect(bhRejections(p, 0.05).slice(0, 4)).toEqual([true, true, true, true]);
	});
	it("adjusts p_(i)·m/i with a running minimum, in input order", () => {
		const q = benjaminiHochberg([0.04, 0.01, 0.03]);
		// sorted 0.01, 0.03, 0.04 → 0.03, 0.045, 0.04 → running min from the top: 0.03, 0.04, 0.04.
		expect(q[1]).toBeCloseTo(0.03, 12);
		expect(q[2]).toBeCloseTo(0.04, 12);
		expect(q[0]).toBeCloseTo(0.04, 12);
		expect(benjaminiHochberg([0.01, Number.NaN])).toEqual([0.01, Number.NaN]);
	});
});

describe("invert", () => {
	it("maps loss to −ln(1 − e^(−loss)) and accuracy to 1 − correct", () => {
		// p(answer) = 0.25 → loss ln 4; inverted: −ln 0.75.
		expect(invertValue("loss", Math.log(4))).toBeCloseTo(-Math.log(0.75), 12);
		expect(invertValue("correct", 1)).toBe(0);
	});
});

describe("PRNG", () => {
	it("matches the xoshiro128** reference outputs for state {1,2,3,4}", () => {
		const r = createPrngFromState([1, 2, 3, 4]);
		// First three by hand from the algorithm: rotl(2·5, 7)·9, then b = 0, then rotl(1029·5, 7)·9.
		expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([11520, 0, 5927040]);
	});
	it("fills integer arrays with the same draws as nextInt", () => {
		const a = createPrng(42);
		const b = createPrng(42);
		const filled = new Int32Array(1000);
		a.fillInts(filled, 37);
		expect([...filled]).toEqual(Array.from({ length: 1000 }, () => b.nextInt(37)));
		// The state carries on identically after a fill.
		expect(a.nextUint32()).toBe(b.nextUint32());
	});
	it("is deterministic for a seed and different across seeds", () => {
		const a = createPrng(7);
		const b = createPrng(7);
		const c = createPrng(8);
		const sa = Array.from({ length: 5 }, () => a.nextUint32());
		expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
		expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
	});
});

describe("bootstrap", () => {
	const n = 400;
	const rng = createPrng(3);
	const base = Array.from({ length: n }, () => rng.nextNormal());
	// Model 1 = model 0 + 0.5 on every example: a paired bootstrap keeps the difference exactly.
	const values = new Float64Array(n * 2);
	base.forEach((v, e) => {
		values[e * 2] = v;
		values[e * 2 + 1] = v + 0.5;
	});
	it("is deterministic for a seed", () => {
		const a = pairedBootstrap(values, n, 2, { replicates: 200, seed: 9 });
		const b = pairedBootstrap(values, n, 2, { replicates: 200, seed: 9 });
		expect(a.means).toEqual(b.means);
		expect(pairedBootstrap(values, n, 2, { replicates: 200, seed: 10 }).means).not.toEqual(a.means);
	});
	it("resamples the same examples for every model", () => {
		const rep = pairedBootstrap(values, n, 2, { replicates: 300, seed: 1 });
		for (let r = 0; r < rep.replicates; r++)
			expect(rep.means[r * 2 + 1] - rep.means[r * 2]).toBeCloseTo(0.5, 10);
	});
	it("has a spread that matches the analytic standard error", () => {
		const rep = pairedBootstrap(values, n, 2, { replicates: 4000, seed: 2 });
		const spread = meanSe(replicateColumn(rep, 0));
		// SD of bootstrap means ≈ population SD / √n; spread.se·√R is that SD.
		const sdOfMeans = spread.se! * Math.sqrt(rep.replicates);
		expect(sdOfMeans / meanSe(base).se!).toBeGreaterThan(0.93);
		expect(sdOfMeans / meanSe(base).se!).toBeLessThan(1.07);
	});
	it("draws parametric replicates around the given means", () => {
		const rep = parametricBootstrap([1, 2], [0.1, null], { replicates: 4000, seed: 4 });
		const col = meanSe(replicateColumn(rep, 0));
		expect(col.mean).toBeCloseTo(1, 2);
		expect(col.se! * Math.sqrt(4000)).toBeCloseTo(0.1, 2);
		expect(new Set(replicateColumn(rep, 1)).size).toBe(1);
	});
});
