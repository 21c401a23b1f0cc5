import { describe, expect, it } from "vitest";
import { alongStatement, inverseGroupsWords } from "../../src/analysis/along.js";
import { axisSpec, defaultXAxis, xValue } from "../../src/analysis/axis.js";
import { autoGroupBy } from "../../src/analysis/groups.js";
import { analyzeRun } from "../../src/analysis/run.js";
import { analyzeSummaryTable, type SummaryRow } from "../../src/analysis/table.js";
import type { VerdictKind } from "../../src/analysis/trend.js";
import type { GroupTrend } from "../../src/analysis/types.js";
import { syntheticRun } from "../helpers/synthetic-ladder.js";

const opts = { replicates: 2000, seed: 3 };

describe("axes", () => {
	it("places shots and budgets on log2(1 + x), so 0 has a place, and sizes on log10", () => {
		expect(xValue({ shots: 0 }, "shots")).toEqual({ ok: true, x: 0 });
		expect(xValue({ parameters: 0 }, "params")).toEqual({
			ok: false,
			reason: "parameters 0 cannot be placed on a log axis",
		});
		expect(xValue({}, "tokens")).toEqual({ ok: false, reason: "training tokens unknown" });
		expect(axisSpec("shots").scale).toBe("log2p1");
		expect(axisSpec("step").scale).toBe("log10");
		expect(
			defaultXAxis([
				{ parameters: 1, shots: 0 },
				{ parameters: 1, shots: 4 },
			]),
		).toBe("shots");
		expect(
			defaultXAxis([
				{ parameters: 1e8, trainingTokens: 1 },
				{ parameters: 1e9, trainingTokens: 2 },
			]),
		).toBe("params");
	});

	it("gives a few-shot slope per doubling of 1 + shots, equal to least squares on log2(1 + k)", () => {
		const shots = [0, 1, 3, 7];
		const means = [0.6, 0.7, 0.8, 0.9];
		const rows: SummaryRow[] = shots.map((k, i) => ({
			model: `m-${k}shot`,
			base: "m",
			family: "f",
			parameters: 1e9,
			shots: k,
			mean: means[i],
			se: 0.005,
		}));
		const m = analyzeSummaryTable(rows, "loss", { ...opts, x: "shots" });
		// log2(1 + k) = 0, 1, 2, 3: the means rise 0.1 per unit, exactly.
		expect(m.trend.slope!.estimate).toBeCloseTo(0.1, 12);
		expect(m.along.unit).toBe("doubling of 1 + shots");
		expect(m.trend.verdict).toBe("inverse");
		expect(m.trend.statement).toMatch(
			/^Inverse scaling: models given more shots do worse; loss changes by \+0.100 nats per doubling of 1 \+ shots \(/,
		);
		expect(m.groups).toEqual([]);
	});

	it("does not split a size ladder whose models each have their own token count", () => {
		const axis = axisSpec("params");
		const chinchillaLike = [1e8, 1e9, 1e10].map((p, i) => ({
			family: "c",
			coords: { parameters: p, trainingTokens: 20 * p },
			x: p + i,
		}));
		expect(autoGroupBy(axis, chinchillaLike)).toEqual([]);
		const grid = [1e8, 1e9].flatMap((p) =>
			[1e10, 1e11].map((d) => ({ family: "c", coords: { parameters: p, trainingTokens: d }, x: p })),
		);
		expect(autoGroupBy(axis, grid)).toEqual(["training"]);
		expect(
			autoGroupBy(
				axisSpec("tokens"),
				grid.map((g) => ({ ...g, x: g.coords.trainingTokens })),
			),
		).toEqual(["size"]);
		// Compute spans size and training: a grid along compute is one line per family.
		expect(autoGroupBy(axisSpec("flops"), grid)).toEqual([]);
	});

	it("analyses a run along shots with one trend per model, and names the ends of the axis", () => {
		const models = ["a", "b"].flatMap((name, i) =>
			[0, 1, 3].map((k, j) => ({
				name: `${name}-${k}shot`,
				model: name,
				family: "f",
				parameters: 10 ** (8 + i),
				shots: k,
				// Model a gets worse with shots, model b better.
				mean: i === 0 ? 1 + 0.1 * j : 1 - 0.1 * j,
			})),
		);
		const input = syntheticRun(models, { examples: 200 });
		input.models.forEach((m, i) => {
			m.model = models[i].model;
			m.settings = { shots: models[i].shots };
		});
		const a = analyzeRun(input, opts);
		expect(a.options.x).toBe("params");
		const byShots = analyzeRun(input, { ...opts, x: "shots" });
		const m = byShots.metrics[0];
		expect(m.along.groupBy).toEqual(["size"]);
		expect(m.groups.map((g) => [g.label, g.trend.verdict])).toEqual([
			["a", "inverse"],
			["b", "positive"],
		]);
		expect(m.along.statement).toBe("Inverse in shots for a (1 of 2 sizes); the others: 1 positive scaling.");
		expect(byShots.ends).toEqual({ low: "fewest shots", high: "most shots" });
		// The examples compare 0 and 3 shots of the last group (the larger model).
		expect([byShots.changes[0]?.low.model, byShots.changes[0]?.high.model]).toEqual(["b-0shot", "b-3shot"]);
	});
});

describe("verdicts that name the groups", () => {
	const group = (label: string, verdict: VerdictKind) =>
		({ label, family: "f", values: {}, trend: { verdict } }) as unknown as GroupTrend;
	const sizes = ["s1", "s2", "s3", "s4"];
	it("says 'and larger', 'and smaller', 'all' or lists the groups", () => {
		const of = (v: VerdictKind[]) => sizes.map((s, i) => group(s, v[i]));
		expect(inverseGroupsWords(of(["flat", "inverse", "inverse", "inverse"]), ["size"])).toBe(
			"s2 and larger (3 of 4 sizes)",
		);
		expect(inverseGroupsWords(of(["inverse", "inverse", "flat", "flat"]), ["training"])).toBe(
			"s2 and earlier (2 of 4 checkpoints)",
		);
		expect(inverseGroupsWords(of(["inverse", "flat", "inverse", "flat"]), ["size"])).toBe(
			"s1, s3 (2 of 4 sizes)",
		);
		expect(inverseGroupsWords(of(["inverse", "inverse", "inverse", "inverse"]), ["shots"])).toBe(
			"all 4 shot counts",
		);
		expect(
			alongStatement(axisSpec("tokens"), of(["flat", "positive", "positive", "insufficient"]), ["size"]),
		).toBe(
			"Not inverse in training tokens for any of the 4 sizes (1 flat, 2 positive scaling, 1 no trend (too few models)).",
		);
	});
});
