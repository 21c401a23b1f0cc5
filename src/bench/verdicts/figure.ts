/** @module The power plot of the verdict study: power of "inverse" against the total change, one line per design. */
import type { StudyResult } from "./study.js";

/** A Vega-Lite spec: one panel per metric, log x (total change), one line per models × examples. */
export function powerPlotSpec(r: StudyResult): Record<string, unknown> {
	const values = r.power.flatMap((c) =>
		c.effects.map((e) => ({
			metric:
				c.metric === "correct"
					? "accuracy (total drop, points of accuracy ÷ 100)"
					: "loss (total rise, nats)",
			effect: e.effect,
			power: e.power,
			examples: `${c.examples} examples`,
			models: `${c.models} models`,
		})),
	);
	return {
		$schema: "https://vega.github.io/schema/vega-lite/v5.json",
		data: { values },
		facet: { column: { field: "metric", type: "nominal", title: null } },
		spec: {
			width: 300,
			height: 220,
			layer: [
				{
					mark: { type: "line", point: true },
					encoding: {
						x: {
							field: "effect",
							type: "quantitative",
							scale: { type: "log" },
							title: "true change from the first to the last model",
						},
						y: {
							field: "power",
							type: "quantitative",
							scale: { domain: [0, 1] },
							title: "share of runs called inverse",
						},
						color: { field: "examples", type: "nominal", title: "examples" },
						strokeDash: {
							field: "models",
							type: "nominal",
							title: "models",
							sort: ["4 models", "6 models", "8 models", "12 models"],
						},
						detail: [{ field: "models" }, { field: "examples" }],
					},
				},
				{ mark: { type: "rule", strokeDash: [2, 2], color: "#888" }, encoding: { y: { datum: 0.8 } } },
			],
		},
		config: { font: "Liberation Sans" },
	};
}
