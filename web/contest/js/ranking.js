/** @module Results per round: the weighted ranking with near-duplicate flags, publishing and the export. */
import { el, fill, num, showError, table } from "../../js/dom.js";
import { call } from "./api.js";
import { fetchResults, resultBlock } from "./results.js";

export function createRanking({ contest, me }) {
	const select = document.getElementById("round-select");
	const body = document.getElementById("ranking-body");
	const publish = document.getElementById("publish-button");
	const exportLink = document.getElementById("export-link");
	fill(
		select,
		contest.rounds.map((r) =>
			el("option", { value: r.id, selected: r.open }, `${r.name}${r.open ? " (open)" : ""}`),
		),
	);
	const organiser = me.role === "organiser";
	publish.hidden = !organiser;
	exportLink.hidden = !organiser;
	const privateLink = document.getElementById("export-private-link");
	privateLink.hidden = !organiser;
	let published = false;

	async function show() {
		const round = select.value;
		exportLink.href = `/api/contest/rounds/${encodeURIComponent(round)}/export.zip`;
		exportLink.setAttribute("download", `${round}.zip`);
		privateLink.href = `${exportLink.href}?include=private`;
		privateLink.setAttribute("download", `${round}-with-private.zip`);
		try {
			const r = await call(`rounds/${encodeURIComponent(round)}/ranking`);
			published = r.published;
			publish.textContent = published ? "Unpublish" : "Publish the results";
			fill(
				body,
				el(
					"p",
					{ class: "muted" },
					`Weighted score = Σ weight × score / Σ weight, averaged over judges. ${r.published ? "Published." : "Not published."}`,
				),
				table(
					{ class: "table", id: "ranking-table" },
					[
						"Rank",
						"Label",
						"Task",
						"Score",
						"Judges",
						r.criteria.map((c) => `${c.label} ×${c.weight}`),
						"Winner",
						"Flags",
					],
					r.rows.map((row) =>
						el(
							"tr",
							{ dataset: { id: row.submissionId, label: row.blindLabel } },
							el("td", { class: "rank" }, row.rank ?? "—"),
							el("td", {}, el("code", {}, row.blindLabel)),
							el("td", {}, row.task ?? ""),
							el("td", { class: "score" }, row.score === null ? "—" : row.score.toFixed(2)),
							el("td", {}, row.judges),
							r.criteria.map((c) => el("td", {}, num(row.criteria[c.id]))),
							el(
								"td",
								{},
								row.winner
									? el(
											"button",
											{ type: "button", class: "small report", onclick: () => report(row) },
											"★ Report",
										)
									: "",
							),
							el(
								"td",
								{ class: "flag" },
								row.flagged.map((f) => `${f.label} (${Math.round(f.similarity * 100)}%)`).join(", "),
							),
						),
					),
				),
			);
		} catch (error) {
			fill(body, el("p", { class: "muted" }, error.message));
		}
	}
	/** A winner's public-ladder report, which everyone may read once the round is published. */
	async function report(row) {
		const detail = document.getElementById("detail-view");
		try {
			const r = await fetchResults(row.submissionId, "public");
			fill(
				document.getElementById("detail-body"),
				el("p", {}, `Winner ${row.task ?? row.blindLabel} (${row.blindLabel})`),
				resultBlock(r.result, "Public ladder", "winner-results"),
			);
			detail.hidden = false;
			detail.scrollIntoView({ block: "start" });
		} catch (error) {
			showError(error);
		}
	}
	document.getElementById("ranking-refresh").addEventListener("click", show);
	publish.addEventListener("click", async () => {
		try {
			await call(`rounds/${encodeURIComponent(select.value)}/publish`, {
				method: "POST",
				json: { published: !published },
			});
			await show();
		} catch (error) {
			showError(error);
		}
	});
	select.addEventListener("change", show);
	return { show };
}
