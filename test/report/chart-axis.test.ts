import { describe, expect, it } from "vitest";
import type { MetricAnalysis, ModelPoint } from "../../src/analysis/types.js";
import { buildChartSpec, logAxisValues } from "../../src/report/chart-spec.js";
import { renderSvg } from "../../src/report/render.js";

/** A loss analysis of three models with the given means, as the web app charts it. */
function lossAnalysis(means: number[], chance: number | null): MetricAnalysis {
	const models: ModelPoint[] = means.map((mean, i) => ({
		name: `m${i}`,
		family: "f",
		status: "ok",
		coords: { parameters: 10 ** (5 + i) },
		x: 10 ** (5 + i),
		inTrend: true,
		mean,
		se: 0.01,
		n: 20,
		interval: null,
		coverage: null,
	}));
	return { metric: "loss", inverted: false, models, chance } as unknown as MetricAnalysis;
}

/** The text of every label on the chart's y axis, in the rendered SVG. */
function yLabels(svg: string): string[] {
	const axis = svg.split('aria-label="Y-axis')[1]?.split('aria-label="X-axis')[0] ?? "";
	const group = axis.split('role="graphics-object"')[0];
	return [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => !/[a-z]/i.test(t));
}

describe("log y axis labels", () => {
	it("labels every tick on a narrow loss range (where vega's own log labels go blank)", async () => {
		// Means 0.64–0.88 with chance 0.693: vega's default labelled only 0.64, 0.66, 0.68 and 0.7 here.
		const spec = buildChartSpec(lossAnalysis([0.64, 0.7, 0.88], Math.LN2), { width: 360, height: 250 });
		const values: number[] = spec.layer[1].encoding.y.axis.values;
		expect(values.length).toBeGreaterThanOrEqual(4);
		const labels = yLabels(await renderSvg(spec));
		expect(labels).toEqual(values.map((v) => String(v)));
		expect(labels.at(-1)).not.toBe("");
		expect(Number(labels.at(-1))).toBeGreaterThan(0.8);
	});

	it("puts ticks at even values inside the domain, and at 1-2-5 over several decades", () => {
		expect(logAxisValues([0.63, 0.9])).toEqual([0.65, 0.7, 0.75, 0.8, 0.85, 0.9]);
		expect(logAxisValues([0.6, 0.95])).toEqual([0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
		expect(logAxisValues([0.05, 30])).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20]);
		for (const domain of [
			[0.663, 0.701],
			[1.2, 9.7],
			[0.0021, 0.0023],
		] as [number, number][]) {
			const values = logAxisValues(domain);
			expect(values.length).toBeGreaterThanOrEqual(3);
			expect(values.length).toBeGreaterThanOrEqual(5);
			expect(values.length).toBeLessThanOrEqual(13);
			for (const v of values) {
				expect(v).toBeGreaterThanOrEqual(domain[0]);
				expect(v).toBeLessThanOrEqual(domain[1]);
			}
		}
	});
});
