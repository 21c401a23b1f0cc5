/** @module A scored version's results: each metric's verdict, its chart (the report's spec) and the models' numbers. */
import { drawChart } from "../../js/charts.js";
import { el, num, showError, size, table } from "../../js/dom.js";
import { call } from "./api.js";

/** Whether a ladder's scoring has finished with results to show. */
export const done = (s) => s?.status === "complete" || s?.status === "partial";

/** One ladder's results of a submission (`kind` public or private), as the server gives them to this role. */
export function fetchResults(id, kind) {
	return call(`submissions/${encodeURIComponent(id)}/results/${kind}`);
}

/**
 * Appends the results of each ladder whose scoring is done to `area`, titled by `title(kind)`;
 * for one not done, `pending(kind)` gives what stands in its place (or nothing).
 */
export async function appendLadderResults(area, id, states, title, pending = () => null) {
	for (const kind of ["public", "private"]) {
		if (!done(states[kind])) {
			const note = pending(kind);
			if (note) area.append(note);
			continue;
		}
		try {
			const r = await fetchResults(id, kind);
			area.append(resultBlock(r.result, title(kind), `${kind}-results`));
		} catch (error) {
			showError(error);
		}
	}
}

export function resultBlock(result, title, id) {
	const box = el("div", { class: "result", id });
	// Without the private sizes, x is each model's rank by size (1 = smallest).
	const ranks = result.sizes === "ranks";
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
			table(
				{ class: "table models", dataset: { metric: m.metric } },
				["Model", ranks ? "Size rank" : "Size", "Mean", "SE", "n"],
				m.models.map((p) =>
					el(
						"tr",
						{ dataset: { model: p.name } },
						el("td", {}, p.name),
						el("td", { class: "x" }, ranks ? (p.x ?? "—") : size(p.x)),
						el("td", {}, num(p.mean)),
						el("td", {}, num(p.se)),
						el("td", {}, p.n),
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
