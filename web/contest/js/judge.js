/** @module The judge's page: submissions by blind label, their card and results, the rubric form; others' scores after one's own. */
import { clearError, el, fill, showError, table } from "../../js/dom.js";
import { call } from "./api.js";
import { dataLink, duplicateFlags, openCell } from "./parts.js";
import { appendLadderResults } from "./results.js";

export function createJudge({ openDetail }) {
	async function refresh() {
		const rows = await call("submissions");
		fill(
			document.querySelector("#judge-queue tbody"),
			rows.map((s) =>
				el(
					"tr",
					{ dataset: { id: s.id, label: s.blindLabel } },
					el("td", {}, el("code", {}, s.blindLabel)),
					el("td", {}, s.round),
					el("td", {}, s.scoring.private ?? "—"),
					el("td", {}, s.judged),
					el("td", {}, s.mine ? "scored" : "to do"),
					openCell(s.id, openDetail),
				),
			),
		);
	}
	return { refresh };
}

function cardBlock(card) {
	if (!card) return el("p", { class: "muted" }, "No card.");
	const rows = Object.entries(card).map(([k, v]) =>
		el("tr", {}, el("th", {}, k), el("td", {}, Array.isArray(v) ? v.join("; ") : String(v))),
	);
	return el("table", { class: "table", id: "card-table" }, el("tbody", {}, rows));
}

function scoresTable(list, criteria, id) {
	return table(
		{ class: "table", id },
		["Judge", criteria.map((c) => c.label)],
		list.map((j) =>
			el(
				"tr",
				{ dataset: { judge: j.judgeId } },
				el("td", {}, j.judge),
				criteria.map((c) => el("td", { title: j.scores[c.id]?.comment ?? "" }, j.scores[c.id]?.score ?? "—")),
			),
		),
	);
}

/** The judge's view of one submission, with the rubric form. */
export async function judgeDetail(box, view, { contest, me, reload }) {
	const rubric = contest.rubric;
	const form = el("form", { class: "rubric", id: "rubric-form" });
	for (const c of rubric.criteria) {
		const mine = view.mine?.scores[c.id];
		const select = el("select", { id: `score-${c.id}`, name: c.id, required: true });
		for (let s = rubric.min; s <= rubric.max; s++)
			select.append(el("option", { value: s, selected: mine?.score === s }, s));
		form.append(
			el(
				"div",
				{ class: "rubric-item" },
				el("label", { for: `score-${c.id}` }, `${c.label} (weight ${c.weight})`),
				c.help ? el("p", { class: "muted" }, c.help) : null,
				select,
				el(
					"textarea",
					{
						id: `comment-${c.id}`,
						rows: 2,
						required: true,
						placeholder: "Why this score (needed)",
						"aria-label": `comment on ${c.label}`,
					},
					mine?.comment ?? "",
				),
			),
		);
	}
	form.append(
		el(
			"button",
			{ type: "submit", class: "primary", id: "rubric-save" },
			view.mine ? "Update my scores" : "Save my scores",
		),
	);
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		clearError();
		const scores = {};
		for (const c of rubric.criteria)
			scores[c.id] = {
				score: Number(document.getElementById(`score-${c.id}`).value),
				comment: document.getElementById(`comment-${c.id}`).value,
			};
		try {
			await call(`submissions/${view.id}/judgements/${encodeURIComponent(me.id)}`, {
				method: "PUT",
				json: { scores },
			});
			await reload();
		} catch (error) {
			showError(error);
		}
	});
	fill(
		box,
		el(
			"p",
			{},
			"Submission ",
			el("code", { id: "detail-label" }, view.blindLabel),
			`, round ${view.round}, version ${view.scored ?? "–"}.`,
		),
		duplicateFlags(view),
		dataLink(view, "Download the task data"),
		el("h3", {}, "Card"),
		cardBlock(view.version?.card),
		el("div", { id: "results-area" }),
		el("h3", {}, "Your scores"),
		form,
		el("h3", {}, "Other judges"),
		view.others
			? view.others.length
				? scoresTable(view.others, rubric.criteria, "others-table")
				: el("p", { id: "others-table" }, "No other judge has scored it yet.")
			: el("p", { class: "muted", id: "others-hidden" }, "Shown after you save your scores."),
	);
	await appendLadderResults(
		box.querySelector("#results-area"),
		view.id,
		view.scoring,
		(kind) => (kind === "public" ? "Public ladder" : "Private ladder (models unnamed)"),
		(kind) =>
			el(
				"p",
				{ class: "muted" },
				`${kind === "public" ? "Public" : "Private"} ladder: ${view.scoring[kind]?.status ?? "not queued"}.`,
			),
	);
}
