/** @module A scored version's results: each metric's verdict, its chart (the report's spec) and the models' numbers. */
import { drawChart } from "../../js/charts.js";
import { el, num, size } from "../../js/dom.js";

export function resultBlock(result, title, id) {
	const box = el("div", { class: "result", id });
	box.append(el("h3", {}, title));
	for (const m of result.metrics) {
		const chart = el("div", { class: "chart", dataset: { metric: m.metric } });
		box.append(
			el("h4", {}, m.label),
			el(
				"p",
				{ class: "verdict" },
				el("strong", { class: "verdict-label" }, m.verdict.label),
				" — ",
				m.verdict.plain,
			),
			chart,
			el(
				"table",
				{ class: "table models", dataset: { metric: m.metric } },
				el(
					"thead",
					{},
					el(
						"tr",
						{},
						el("th", {}, "Model"),
						el("th", {}, "Size"),
						el("th", {}, "Mean"),
						el("th", {}, "SE"),
						el("th", {}, "n"),
					),
				),
				el(
					"tbody",
					{},
					m.models.map((p) =>
						el(
							"tr",
							{ dataset: { model: p.name } },
							el("td", {}, p.name),
							el("td", {}, size(p.x)),
							el("td", {}, num(p.mean)),
							el("td", {}, num(p.se)),
							el("td", {}, p.n),
						),
					),
				),
			),
		);
		if (m.chart) drawChart(chart, m.chart).catch(() => {});
	}
	return box;
}

export function verdictsBlock(verdicts, id) {
	return el(
		"div",
		{ class: "result", id },
		el("h3", {}, "Private ladder: verdict"),
		verdicts.map((v) =>
			el("p", {}, el("strong", {}, v.label), ": ", el("span", { class: "verdict-label" }, v.verdict.label)),
		),
	);
}
