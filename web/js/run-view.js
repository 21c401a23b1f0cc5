/** @module A run: its live progress per model (with cancel), then the verdict, charts, models, rubric and examples. */
import { api, downloadFile, followRun, openReport } from "./api.js";
import { drawChart } from "./charts.js";
import { el, fill, num, percent, showError, size, statusWords, table, when } from "./dom.js";
import { renderExamples } from "./examples-table.js";

const phaseWords = {
	waiting: "Waiting",
	downloading: "Downloading",
	scoring: "Scoring",
	done: "Done",
	failed: "Failed",
};

function progressRows(run) {
	const p = run.progress;
	const models = p?.models ?? run.models.map((name) => ({ name, phase: "waiting", done: 0, total: 0 }));
	return models.map((m) => {
		const total = m.total || p?.examples || 0;
		const fraction = m.phase === "done" ? 1 : total ? m.done / total : 0;
		const downloading = m.phase === "downloading" && m.download;
		return el(
			"tr",
			{ dataset: { model: m.name, phase: m.phase } },
			el("th", { scope: "row" }, m.name),
			el("td", {}, phaseWords[m.phase] ?? m.phase),
			el(
				"td",
				{},
				el(
					"div",
					{
						class: `bar ${m.phase}`,
						role: "progressbar",
						"aria-label": `${m.name} progress`,
						"aria-valuemin": 0,
						"aria-valuemax": 100,
						"aria-valuenow": Math.round(fraction * 100),
					},
					el("span", { style: `width:${(fraction * 100).toFixed(1)}%` }),
				),
			),
			el(
				"td",
				{ class: "num" },
				downloading
					? `${(m.download.bytes / 1e6).toFixed(0)} of ${m.download.total ? (m.download.total / 1e6).toFixed(0) : "?"} MB`
					: total
						? `${m.phase === "done" ? total : m.done} / ${total}`
						: "",
			),
			el(
				"td",
				{ class: "muted" },
				m.phase === "scoring" && m.rate ? `${num(m.rate, 2)} examples/s` : (m.error ?? ""),
			),
		);
	});
}

function verdictBlock(metric) {
	const v = metric.verdict;
	return el(
		"section",
		{ class: `verdict ${v.kind}`, id: "verdict", "aria-labelledby": "verdict-headline" },
		el(
			"div",
			{ class: "kicker" },
			`Verdict · ${metric.inverted ? "inverted " : ""}${metric.label.toLowerCase()}`,
		),
		el("div", { class: "headline", id: "verdict-headline" }, v.label),
		el("p", { class: "plain" }, v.plain),
		el("details", {}, el("summary", {}, "The numbers behind it"), el("p", {}, v.statement)),
		metric.flags.length
			? el(
					"ul",
					{ class: "flags" },
					metric.flags.map((f) => el("li", { dataset: { flag: f.code } }, f.message)),
				)
			: null,
	);
}

function modelsTable(result) {
	const metrics = result.metrics;
	const first = metrics[0];
	return table(
		{ class: "data", id: "models-table" },
		[
			el("th", { scope: "col" }, "Model"),
			el("th", { scope: "col", class: "num" }, result.xAxis),
			...metrics.map((m) => el("th", { scope: "col", class: "num" }, `${m.label} (mean ± SE)`)),
			first.models.some((p) => p.coverage !== null)
				? el(
						"th",
						{ scope: "col", class: "num", title: "share of probability the classes got" },
						"Class mass",
					)
				: null,
			el("th", { scope: "col" }, "Note"),
		],
		first.models.map((p, i) =>
			el(
				"tr",
				{},
				el("th", { scope: "row" }, p.name),
				el("td", { class: "num" }, size(p.x)),
				...metrics.map((m) => {
					const q = m.models[i];
					const fmt = (v) => (m.metric === "correct" ? percent(v, 1) : num(v));
					return el(
						"td",
						{ class: "num" },
						q.mean === null ? "—" : `${fmt(q.mean)}${q.se !== null ? ` ± ${fmt(q.se)}` : ""}`,
					);
				}),
				first.models.some((q) => q.coverage !== null)
					? el("td", { class: "num" }, percent(p.coverage, p.coverage !== null && p.coverage < 0.01 ? 2 : 0))
					: null,
				el(
					"td",
					{ class: "muted" },
					p.status === "failed" ? `failed: ${p.error ?? ""}` : p.inTrend ? "" : (p.excluded ?? ""),
				),
			),
		),
	);
}

/** One row per group (one per size when the axis is training): its verdict and slope along the axis. */
function groupsTable(metric) {
	if (!metric.groups?.length) return null;
	return el(
		"section",
		{ class: "card", "aria-labelledby": "groups-heading" },
		el("h3", { id: "groups-heading" }, `Trends along ${metric.along.label.toLowerCase()}, one per group`),
		el("p", { id: "along-verdict" }, metric.along.statement),
		table(
			{ class: "data", id: "groups-table" },
			[
				el("th", { scope: "col" }, "Group"),
				el("th", { scope: "col", class: "num" }, "Conditions"),
				el("th", { scope: "col", class: "num" }, `Slope per ${metric.along.unit}`),
				el("th", { scope: "col", class: "num" }, "p"),
				el("th", { scope: "col" }, "Verdict"),
			],
			metric.groups.map((g) =>
				el(
					"tr",
					{ dataset: { group: g.label, verdict: g.verdict } },
					el("th", { scope: "row" }, g.label),
					el("td", { class: "num" }, String(g.n)),
					el("td", { class: "num" }, g.slope === null ? "—" : num(g.slope, 3)),
					el("td", { class: "num" }, g.p === null ? "—" : g.p < 0.001 ? "< 0.001" : num(g.p, 3)),
					el("td", {}, g.verdictLabel),
				),
			),
		),
		metric.interaction
			? el(
					"p",
					{ class: "muted", id: "interaction" },
					`Size × training interaction (${metric.interaction.response}): estimate ${num(metric.interaction.estimate, 3)}${metric.interaction.interval ? ` (bootstrap interval ${num(metric.interaction.interval.lower, 3)} to ${num(metric.interaction.interval.upper, 3)})` : ""}, t = ${num(metric.interaction.t, 3)}, p ${metric.interaction.p < 0.001 ? "< 0.001" : `= ${num(metric.interaction.p, 3)}`}; negative means larger models fall further behind as training goes on.`,
				)
			: null,
	);
}

function rubricList(rubric) {
	const items = [
		["Strength", rubric.strength.words],
		["Generality", rubric.generality.words],
		["Coverage", rubric.coverage.words],
		["Size", rubric.size.words],
		["Reproducibility", rubric.reproducibility.words],
	];
	return el(
		"dl",
		{ class: "rubric" },
		items.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
	);
}

export function createRunView({ onRunsChanged }) {
	const root = document.getElementById("run-view");
	let follow = null;
	let shownId = null;
	let resultShownFor = null;
	let resultTicket = 0;
	// Results are shown for runs that finished their work; a stopped run shows its progress and Resume.
	const hasResults = (run) => run.status === "complete" || run.status === "partial";

	function header(run) {
		const actions = [];
		if (!run.finished)
			actions.push(
				el(
					"button",
					{ type: "button", class: "danger", id: "cancel-button", onclick: () => act(run.id, "cancel") },
					"Cancel run",
				),
			);
		if (run.resumable)
			actions.push(
				el(
					"button",
					{ type: "button", class: "primary", id: "resume-button", onclick: () => act(run.id, "resume") },
					"Resume run",
				),
			);
		if (hasResults(run)) {
			actions.push(
				el(
					"button",
					{
						type: "button",
						id: "zip-button",
						onclick: () =>
							downloadFile(`/api/runs/${run.id}/download.zip`, `${run.task}-${run.id}.zip`).catch(showError),
					},
					"Download results (.zip)",
				),
			);
			actions.push(
				el(
					"button",
					{
						type: "button",
						id: "report-button",
						onclick: () => openReport(`/api/runs/${run.id}/files/report.html`).catch(showError),
					},
					"Open full report",
				),
			);
		}
		return el(
			"div",
			{ class: "run-head" },
			el(
				"div",
				{},
				el("h2", { id: "run-title" }, run.title),
				el(
					"p",
					{ class: "muted" },
					el(
						"span",
						{ class: `badge ${run.status}`, id: "run-status" },
						statusWords[run.status] ?? run.status,
					),
					` · started ${when(run.startedAt ?? run.createdAt)}${run.endedAt ? ` · ended ${when(run.endedAt)}` : ""}`,
				),
			),
			el("div", { class: "actions" }, actions),
		);
	}

	function renderRun(run) {
		const explain =
			run.status === "interrupted"
				? "The server stopped while this run was going. Resume it: work already done is reused from the cache."
				: run.status === "cancelled"
					? "You cancelled this run. Resume it to finish: work already done is reused from the cache."
					: run.status === "queued"
						? "Waiting for the run before it to finish."
						: null;
		const progressCard = el(
			"section",
			{ class: "card", "aria-labelledby": "progress-heading", id: "progress-card" },
			el("h3", { id: "progress-heading" }, run.finished ? "Models" : "Progress"),
			explain ? el("p", { class: "muted", id: "run-explain" }, explain) : null,
			run.error ? el("p", { class: "probe-bad", id: "run-error" }, run.error) : null,
			el("table", { class: "progress-table", id: "progress-table" }, el("tbody", {}, progressRows(run))),
			run.progress?.messages?.length
				? el(
						"details",
						{},
						el("summary", {}, `${run.progress.messages.length} message(s) from the run`),
						el(
							"ul",
							{},
							run.progress.messages.map((m) => el("li", {}, m)),
						),
					)
				: null,
		);
		const existing = root.querySelector("#result");
		fill(root, header(run), el("div", { id: "result-slot" }), progressCard);
		if (existing && resultShownFor === run.id && run.finished)
			root.querySelector("#result-slot").replaceWith(existing);
	}

	/** Shows the analysis of a finished run, along `axis` (default: the one the run varies in). */
	async function renderResult(run, axis) {
		if (resultShownFor === run.id && axis === undefined) return;
		resultShownFor = run.id;
		const ticket = ++resultTicket;
		const slot = root.querySelector("#result-slot") ?? root.querySelector("#result");
		const box = el("div", { id: "result" }, el("p", { class: "muted" }, "Analysing the results…"));
		slot.replaceWith(box);
		let result;
		try {
			result = await api(`/api/runs/${run.id}/result${axis ? `?x=${encodeURIComponent(axis)}` : ""}`);
		} catch (error) {
			fill(box, el("p", { class: "probe-bad" }, error.message));
			return;
		}
		// The page may have moved on (another run, a resume) while the analysis was loading.
		if (ticket !== resultTicket || !box.isConnected) return;
		const main = result.metrics[0];
		const charts = el("div", { class: "charts" });
		fill(
			box,
			verdictBlock(main),
			el(
				"section",
				{ "aria-labelledby": "charts-heading", class: "card" },
				el("h3", { id: "charts-heading" }, `How the models scale (${result.task.examples} examples)`),
				axisPicker(run, result),
				charts,
			),
			groupsTable(main),
			el(
				"section",
				{ class: "card", "aria-labelledby": "models-heading" },
				el("h3", { id: "models-heading" }, "Models"),
				modelsTable(result),
			),
			el(
				"section",
				{ class: "card", "aria-labelledby": "rubric-heading" },
				el("h3", { id: "rubric-heading" }, "Against the prize's rubric"),
				rubricList(result.rubric),
			),
			examplesSection(run, main.metric),
		);
		for (const m of result.metrics) {
			const list = m.charts ?? (m.chart ? [{ kind: "along", title: "", spec: m.chart }] : []);
			for (const c of list) {
				const holder = el("div", {
					class: "chart",
					dataset: { metric: m.metric, chart: c.kind },
					role: "img",
					"aria-label": `${m.label} ${c.title || `against ${result.xAxis.toLowerCase()}`}: ${m.verdict.label}`,
				});
				const name = `${m.inverted ? "Inverted " : ""}${m.label}${m.unit ? ` (${m.unit})` : ""}`;
				charts.append(
					el(
						"figure",
						{ class: "chart-card" },
						el("h3", {}, list.length > 1 ? `${name} ${c.title}` : name),
						holder,
					),
				);
				drawChart(holder, c.spec).catch(
					(error) => (holder.textContent = `The chart could not be drawn: ${error.message}`),
				);
			}
		}
	}

	/** When the conditions vary along several axes (sizes × checkpoints), a choice of the x axis. */
	function axisPicker(run, result) {
		if (!result.axes || result.axes.length < 2) return null;
		const words = {
			params: "Parameters",
			nonembedding: "Non-embedding parameters",
			tokens: "Training tokens",
			step: "Training step",
			flops: "Training compute",
			shots: "Shots",
			budget: "Reasoning budget",
		};
		return el(
			"label",
			{ class: "axis-picker" },
			"Along ",
			el(
				"select",
				{ id: "axis-select", onchange: (e) => renderResult(run, e.target.value) },
				result.axes.map((a) => el("option", { value: a, selected: a === result.axis }, words[a] ?? a)),
			),
		);
	}

	function examplesSection(run, metric) {
		const content = el("div", { id: "examples" });
		const button = el(
			"button",
			{
				type: "button",
				id: "examples-button",
				"aria-expanded": "false",
				"aria-controls": "examples",
				onclick: async () => {
					if (button.getAttribute("aria-expanded") === "true") {
						button.setAttribute("aria-expanded", "false");
						button.textContent = "Show every example";
						fill(content);
						return;
					}
					button.setAttribute("aria-expanded", "true");
					button.textContent = "Hide the examples";
					fill(content, el("p", { class: "muted" }, "Loading the examples…"));
					try {
						renderExamples(content, run.id, await api(`/api/runs/${run.id}/examples`), metric);
					} catch (error) {
						fill(content, el("p", { class: "probe-bad" }, error.message));
					}
				},
			},
			"Show every example",
		);
		return el(
			"section",
			{ class: "card", "aria-labelledby": "examples-heading" },
			el("h3", { id: "examples-heading" }, "Examples, model by model"),
			el(
				"p",
				{ class: "muted" },
				"What each model predicted for each example, with the probability it gave every class: see which examples the bigger models get wrong, and how confidently.",
			),
			button,
			content,
		);
	}

	function update(run) {
		if (shownId !== run.id) return;
		if (!hasResults(run)) {
			resultShownFor = null;
			resultTicket++;
		}
		renderRun(run);
		if (hasResults(run)) renderResult(run);
		if (run.finished) onRunsChanged();
	}

	async function act(id, action) {
		try {
			const run = await api(`/api/runs/${id}/${action}`, { method: "POST" });
			onRunsChanged();
			show(run.id, run);
		} catch (error) {
			showError(error);
		}
	}

	/** Shows a run and follows it live until it finishes. */
	async function show(id, known) {
		follow?.abort();
		follow = new AbortController();
		if (shownId !== id) resultShownFor = null;
		shownId = id;
		root.hidden = false;
		try {
			const run = known ?? (await api(`/api/runs/${id}`));
			update(run);
			if (!run.finished) {
				const signal = follow.signal;
				followRun(id, update, signal).catch(showError);
			}
		} catch (error) {
			showError(error);
		}
	}

	function hide() {
		follow?.abort();
		shownId = null;
		resultShownFor = null;
		root.hidden = true;
	}

	return { show, hide, shown: () => shownId };
}
