/**
 * @module The per-example table: each row's prompt and answer, and per model what it predicted with
 * the probability it gave each class (p_k normalised over the classes) and the raw mass the classes
 * got, so a person can see why a bigger model fails. Sort, filter, and download as CSV.
 */
import { downloadFile } from "./api.js";
import { el, fill, num, percent } from "./dom.js";

const pageSize = 100;

function cellValue(row, model, key) {
	return row.models[model]?.[key];
}

/** How much worse the high end of the axis did than the low end on this row (loss up, or accuracy down). */
function worsening(row, ends, metric) {
	const a = cellValue(row, ends.low, metric);
	const b = cellValue(row, ends.high, metric);
	if (a === undefined || b === undefined) return Number.NEGATIVE_INFINITY;
	return metric === "correct" ? a - b : b - a;
}

function probabilityBars(row, cell) {
	const p = cell?.probabilities;
	if (!p) return null;
	if (p.kind === "classification") {
		const best = p.shares.indexOf(Math.max(...p.shares));
		return el(
			"div",
			{ class: "probs" },
			p.shares.map((share, k) =>
				el(
					"div",
					{
						class: `prob${k === row.answerIndex ? " answer" : ""}${k === best && k !== row.answerIndex ? " wrong-pick" : ""}`,
						title: `p(${row.classes?.[k] ?? k}) = ${percent(share, 1)} of the class mass`,
					},
					el("span", { class: "cls" }, JSON.stringify(row.classes?.[k] ?? String(k)).slice(1, -1)),
					el(
						"span",
						{ class: "track", role: "img", "aria-label": `${percent(share, 0)}` },
						el("span", { style: `width:${(share * 100).toFixed(1)}%` }),
					),
					el("span", { class: "pct" }, percent(share, 0)),
				),
			),
			el(
				"span",
				{ class: "mass", title: "probability the model put on all the classes together" },
				`class mass ${num(p.mass, 2)}`,
			),
		);
	}
	if (p.kind === "sequence_prob")
		return el("span", { class: "mass" }, `p(completion) ${num(p.probability, 2)}`);
	return el(
		"span",
		{ class: "mass" },
		`p(class 0): ${percent(p.prompt[0], 0)} → ${percent(p.other[0], 0)} with the other prompt`,
	);
}

/** A generated answer: what was read from it, and the reasoning folded under it. */
function generatedAnswer(cell) {
	const g = cell?.generated;
	if (!g) return null;
	const tokens =
		g.reasoningTokens === undefined
			? ""
			: g.reasoningTokens === null
				? " · token count unknown"
				: ` · ${g.reasoningTokens} tokens`;
	return el(
		"div",
		{ class: "generated" },
		el(
			"div",
			{ title: g.answer },
			g.extracted !== undefined ? `answered ${JSON.stringify(g.extracted)}` : "answer not readable",
			g.samples > 1 ? el("span", { class: "muted" }, ` (first of ${g.samples} samples)`) : null,
		),
		g.reasoning
			? el(
					"details",
					{ class: "reasoning" },
					el("summary", {}, `reasoning${tokens}`),
					el("pre", { style: "white-space:pre-wrap;max-height:20rem;overflow:auto" }, g.reasoning),
				)
			: el("div", { class: "muted" }, `no reasoning${tokens}`),
		el("div", { class: "muted", style: "white-space:pre-wrap" }, `final answer: ${g.answer}`),
	);
}

export function renderExamples(container, runId, table, metric) {
	const models = table.models;
	// The conditions the filters compare: the ends of the run's axis (smallest and largest model,
	// earliest and latest checkpoint, fewest and most shots), as the server chose them.
	const ends = {
		low: table.ends?.low.model ?? models[0],
		high: table.ends?.high.model ?? models[models.length - 1],
		lowWords: table.ends?.low.words ?? "smallest model",
		highWords: table.ends?.high.words ?? "largest model",
	};
	const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
	const state = { sort: "index", direction: 1, filter: "all", search: "", shown: pageSize };
	const hasCorrect = table.rows.some((r) => models.some((m) => cellValue(r, m, "correct") !== undefined));
	const body = el("tbody");
	const setState = (change) => {
		Object.assign(state, change);
		draw();
	};
	const count = el("p", { class: "muted", "aria-live": "polite", id: "examples-count" });
	const more = el(
		"button",
		{ type: "button", onclick: () => setState({ shown: state.shown + pageSize }) },
		"Show more rows",
	);

	const filters = {
		all: () => true,
		worse: (r) => worsening(r, ends, metric) > 0,
		"largest-wrong": (r) => cellValue(r, ends.high, "correct") === 0,
		flipped: (r) => cellValue(r, ends.low, "correct") === 1 && cellValue(r, ends.high, "correct") === 0,
		"all-wrong": (r) => models.every((m) => cellValue(r, m, "correct") === 0),
	};

	function rowsNow() {
		const q = state.search.toLowerCase();
		const rows = table.rows.filter(
			(r) =>
				filters[state.filter](r) &&
				(!q ||
					`${r.prompt ?? ""} ${r.otherPrompt ?? ""} ${(r.classes ?? []).join(" ")} ${r.completion ?? ""}`
						.toLowerCase()
						.includes(q)),
		);
		const key =
			state.sort === "index"
				? (r) => r.index
				: state.sort === "worsening"
					? (r) => worsening(r, ends, metric)
					: (r) => cellValue(r, state.sort, metric) ?? Number.NEGATIVE_INFINITY;
		return rows.sort((a, b) => state.direction * (key(a) - key(b)) || a.index - b.index);
	}

	const headers = [];
	function sortHeader(label, key, numeric = true) {
		const th = el("th", { class: numeric ? "num" : "", scope: "col", "aria-sort": "none" });
		th.append(
			el(
				"button",
				{
					type: "button",
					onclick: () => {
						state.direction = state.sort === key ? -state.direction : key === "index" ? 1 : -1;
						state.sort = key;
						draw();
					},
				},
				label,
			),
		);
		headers.push([th, key]);
		return th;
	}

	function draw() {
		const rows = rowsNow();
		for (const [th, key] of headers)
			th.setAttribute(
				"aria-sort",
				state.sort === key ? (state.direction > 0 ? "ascending" : "descending") : "none",
			);
		fill(
			body,
			...rows.slice(0, state.shown).map((r) =>
				el(
					"tr",
					{ dataset: { index: r.index } },
					el("td", { class: "num" }, String(r.index)),
					el(
						"td",
						{ class: "prompt-cell" },
						r.prompt ?? "",
						r.otherPrompt ? el("div", { class: "muted" }, `Other prompt: ${r.otherPrompt}`) : null,
						r.completion !== undefined
							? el("div", { class: "muted" }, `Completion: ${JSON.stringify(r.completion)}`)
							: null,
					),
					el(
						"td",
						{},
						r.classes && r.answerIndex !== undefined ? JSON.stringify(r.classes[r.answerIndex]) : "",
					),
					...models.map((m) => {
						const c = r.models[m];
						if (!c) return el("td", { class: "muted" }, "—");
						const value = c[metric];
						return el(
							"td",
							{ dataset: { model: m } },
							el(
								"div",
								{},
								c.correct !== undefined
									? el(
											"span",
											{
												class: c.correct ? "mark-right" : "mark-wrong",
												"aria-label": c.correct ? "right" : "wrong",
											},
											c.correct ? "✓ " : "✗ ",
										)
									: null,
								c.generated
									? `accuracy ${num(c.correct)}${c.loss !== undefined ? ` · loss ${num(c.loss)}` : ""}`
									: `${metric === "correct" ? "loss" : metric.replace("_", " ")} ${num(metric === "correct" ? c.loss : value)}`,
							),
							generatedAnswer(c),
							probabilityBars(r, c),
						);
					}),
				),
			),
		);
		count.textContent = `${Math.min(rows.length, state.shown)} of ${rows.length} examples shown${rows.length !== table.rows.length ? ` (${table.rows.length} in the task)` : ""}`;
		more.hidden = rows.length <= state.shown;
	}

	const search = el("input", {
		id: "examples-search",
		type: "search",
		placeholder: "words in the prompt or classes",
		oninput: (e) => setState({ search: e.target.value, shown: pageSize }),
	});
	const filter = el(
		"select",
		{
			id: "examples-filter",
			onchange: (e) => setState({ filter: e.target.value, shown: pageSize }),
		},
		el("option", { value: "all" }, "All examples"),
		el("option", { value: "worse" }, `${capital(ends.highWords)} did worse than ${ends.lowWords}`),
		hasCorrect
			? el("option", { value: "flipped" }, `${capital(ends.lowWords)} right, ${ends.highWords} wrong`)
			: null,
		hasCorrect ? el("option", { value: "largest-wrong" }, `${capital(ends.highWords)} wrong`) : null,
		hasCorrect ? el("option", { value: "all-wrong" }, "Every model wrong") : null,
	);
	const table_ = el(
		"table",
		{ class: "data", id: "examples-table" },
		el(
			"caption",
			{ class: "muted", style: "caption-side:bottom;text-align:left;padding:0.4rem" },
			"Bars: each class's share of the probability the model gave the classes; green is the right answer, red a wrong pick. Class mass: how much probability the classes got in all.",
		),
		el(
			"thead",
			{},
			el(
				"tr",
				{},
				sortHeader("#", "index"),
				el("th", { scope: "col" }, "Prompt"),
				el("th", { scope: "col" }, "Answer"),
				...models.map((m) => sortHeader(m, m)),
			),
		),
		body,
	);
	fill(
		container,
		el(
			"div",
			{ class: "examples-tools" },
			el("div", {}, el("label", { for: "examples-search" }, "Search"), search),
			el("div", {}, el("label", { for: "examples-filter" }, "Show"), filter),
			el(
				"div",
				{},
				el("span", { class: "muted" }, " "),
				el(
					"button",
					{ type: "button", onclick: () => setState({ sort: "worsening", direction: -1 }) },
					"Sort by biggest worsening",
				),
			),
			el(
				"div",
				{},
				el("span", { class: "muted" }, " "),
				el(
					"button",
					{
						type: "button",
						id: "examples-csv",
						onclick: () => downloadFile(`/api/runs/${runId}/examples.csv`, `${table.task}-examples.csv`),
					},
					"Download table as CSV",
				),
			),
		),
		count,
		el("div", { class: "table-wrap" }, table_),
		more,
	);
	draw();
}
