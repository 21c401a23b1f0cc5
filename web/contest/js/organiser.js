/** @module The organiser's page: people and their tokens, every submission with its runs, winners, the audit log. */
import { clearError, el, fill, showError, statusWords, when } from "../../js/dom.js";
import { call } from "./api.js";
import { duplicateFlags, openCell } from "./parts.js";
import { appendLadderResults } from "./results.js";

export function createOrganiser({ openDetail }) {
	const form = document.getElementById("person-form");
	const tokenBox = document.getElementById("new-token");

	async function people() {
		const list = await call("people");
		fill(
			document.querySelector("#people-table tbody"),
			list.map((u) =>
				el(
					"tr",
					{ dataset: { id: u.id, role: u.role } },
					el("td", {}, u.name),
					el("td", {}, u.role),
					el("td", {}, el("code", {}, u.id)),
					el("td", {}, when(u.createdAt)),
					el("td", {}, u.disabled ? "disabled" : ""),
				),
			),
		);
	}

	async function submissions() {
		const rows = await call("submissions");
		fill(
			document.querySelector("#all-submissions tbody"),
			rows.map((s) => {
				const winner = el("input", {
					type: "checkbox",
					class: "winner",
					checked: s.winner,
					"aria-label": `winner ${s.blindLabel}`,
				});
				winner.addEventListener("change", async () => {
					try {
						await call(`submissions/${s.id}/winner`, { method: "POST", json: { winner: winner.checked } });
					} catch (error) {
						showError(error);
					}
				});
				return el(
					"tr",
					{ dataset: { id: s.id, label: s.blindLabel } },
					el("td", {}, el("code", {}, s.blindLabel)),
					el("td", {}, s.task ?? "—"),
					el("td", {}, s.entrant ?? "—"),
					el("td", {}, s.versions),
					el("td", { class: "public" }, statusWords[s.scoring.public] ?? "—"),
					el("td", { class: "private" }, statusWords[s.scoring.private] ?? "—"),
					el("td", { class: "judged" }, s.judged),
					el("td", { class: "flag" }, s.flagged ? "near-duplicate" : ""),
					el("td", {}, winner),
					openCell(s.id, openDetail),
				);
			}),
		);
	}

	async function audit() {
		const list = await call("audit");
		fill(
			document.querySelector("#audit-table tbody"),
			list.map((a) =>
				el(
					"tr",
					{ dataset: { outcome: a.outcome } },
					el("td", {}, when(a.at)),
					el("td", { title: a.principal ?? "" }, a.name ?? a.principal ?? "—"),
					el("td", {}, a.role ?? "—"),
					el("td", {}, a.action),
					el("td", {}, a.outcome),
					el("td", {}, a.detail ?? ""),
				),
			),
		);
	}

	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		clearError();
		try {
			const { user, token } = await call("people", {
				method: "POST",
				json: {
					name: document.getElementById("person-name").value,
					role: document.getElementById("person-role").value,
				},
			});
			fill(
				tokenBox,
				`Token for ${user.name} (${user.role}), shown only now: `,
				el("code", { id: "token-value", dataset: { user: user.id } }, token),
			);
			tokenBox.hidden = false;
			form.reset();
			await people();
		} catch (error) {
			showError(error);
		}
	});
	document.getElementById("audit-refresh").addEventListener("click", () => audit().catch(showError));

	return {
		refresh: async () => {
			await Promise.all([people(), submissions(), audit()]);
		},
	};
}

/** The organiser's view of one submission: everything, private models by name. */
export async function organiserDetail(box, view, { reload }) {
	const rerun = el(
		"button",
		{ type: "button", class: "small", id: "rerun-button" },
		"Score again (resume stopped runs)",
	);
	rerun.addEventListener("click", async () => {
		try {
			await call(`submissions/${view.id}/rerun`, { method: "POST", json: {} });
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
			el("code", {}, view.blindLabel),
			` by ${view.entrant?.name ?? "?"}, round ${view.round}, ${view.versions.length} version(s).`,
		),
		duplicateFlags(view),
		el(
			"p",
			{},
			`Public run: ${view.runs.public?.status ?? "—"}${view.runs.public?.error ? ` (${view.runs.public.error})` : ""}; private run: ${view.runs.private?.status ?? "—"}${view.runs.private?.error ? ` (${view.runs.private.error})` : ""}.`,
		),
		rerun,
		el("h3", {}, "Judgements"),
		el(
			"ul",
			{ id: "judgements-list" },
			view.judgements.map((j) =>
				el(
					"li",
					{},
					`${j.judge}: ${Object.entries(j.scores)
						.map(([k, v]) => `${k} ${v.score}`)
						.join(", ")}`,
				),
			),
		),
		el("div", { id: "results-area" }),
	);
	await appendLadderResults(
		box.querySelector("#results-area"),
		view.id,
		view.runs,
		(kind) => `${kind === "public" ? "Public" : "Private"} ladder`,
	);
}
