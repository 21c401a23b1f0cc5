/** @module The entrant's page: submit or revise a task, read its problems row by row, follow its scoring and results. */
import { bytes, clearError, el, fill, showError, table, when } from "../../js/dom.js";
import { problemItem } from "../../js/task-step.js";
import { call, fileBase64 } from "./api.js";
import { dataLink, openCell } from "./parts.js";
import { done, fetchResults, resultBlock, verdictsBlock } from "./results.js";

function receiptBlock(answer) {
	const r = answer.receipt;
	const v = answer.validation;
	return el(
		"div",
		{},
		el(
			"p",
			{ class: "receipt", id: "receipt" },
			r.accepted
				? [
						"✓ Accepted. Receipt: submission ",
						el("code", { id: "receipt-id" }, r.submission),
						", version ",
						el("code", {}, r.version),
						", sha256 ",
						el("code", { id: "receipt-sha" }, r.sha256),
						`, received ${when(r.receivedAt)}.`,
					]
				: [
						"✗ Not accepted, and not kept: fix the problems below and send the file again. ",
						"Refused uploads do not count against your hourly limit. sha256 ",
						el("code", { id: "receipt-sha" }, r.sha256),
						`, received ${when(r.receivedAt)}.`,
					],
		),
		v.errors.length ? el("h3", {}, `Errors (${v.summary.errorCount})`) : null,
		v.errors.length ? el("ul", { class: "problems", id: "errors-list" }, v.errors.map(problemItem)) : null,
		v.warnings.length
			? el(
					"details",
					{},
					el("summary", {}, `${v.warnings.length} warning(s)`),
					el("ul", { class: "problems" }, v.warnings.map(problemItem)),
				)
			: null,
	);
}

export function createEntrant({ contest, openDetail }) {
	const form = document.getElementById("submit-form");
	const result = document.getElementById("submit-result");
	const revise = document.getElementById("revise-of");
	document.getElementById("upload-limit").textContent = bytes(contest.rules.maxUploadBytes);

	async function refresh() {
		const rows = await call("submissions");
		fill(
			document.querySelector("#my-submissions tbody"),
			rows.map((s) =>
				el(
					"tr",
					{ dataset: { id: s.id } },
					el("td", {}, s.task ?? "—"),
					el("td", {}, s.round),
					el("td", {}, s.versions),
					el("td", {}, s.accepted ? "yes" : "no"),
					el("td", { class: "scoring" }, s.scoring.private ?? "—"),
					openCell(s.id, openDetail),
				),
			),
		);
		fill(
			revise,
			el("option", { value: "" }, "a new submission"),
			rows.map((s) => el("option", { value: s.id }, `a new version of ${s.task ?? s.id}`)),
		);
	}

	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		clearError();
		const task = document.getElementById("task-file").files[0];
		const card = document.getElementById("card-file").files[0];
		if (!task) return;
		if (task.size > contest.rules.maxUploadBytes) {
			showError({
				message: `${task.name} is ${bytes(task.size)}, over the limit of ${bytes(contest.rules.maxUploadBytes)}`,
				hint: "split the task or remove rows",
			});
			return;
		}
		try {
			const body = { task: { name: task.name, content: await fileBase64(task) } };
			if (card) body.card = { name: card.name, content: await fileBase64(card) };
			const target = revise.value
				? `submissions/${encodeURIComponent(revise.value)}/versions`
				: "submissions";
			const answer = await call(target, { method: "POST", json: body });
			fill(result, receiptBlock(answer));
			await refresh();
		} catch (error) {
			fill(result);
			showError(error);
		}
	});

	return { refresh };
}

/** The entrant's view of one submission. */
export async function entrantDetail(box, view) {
	const last = view.versions.at(-1);
	const parts = [
		el(
			"p",
			{},
			`Round ${view.round}; ${view.versions.length} version(s). Scored version: ${view.scored ?? "none yet"}.`,
		),
		table(
			{ class: "table" },
			["Version", "File", "sha256", "Accepted", "Received"],
			view.versions.map((v) =>
				el(
					"tr",
					{},
					el("td", {}, v.version),
					el("td", {}, v.fileName),
					el("td", {}, el("code", {}, v.sha256.slice(0, 16))),
					el("td", {}, v.accepted ? "yes" : "no"),
					el("td", {}, when(v.createdAt)),
				),
			),
		),
		last && !last.accepted
			? el("ul", { class: "problems", id: "errors-list" }, last.validation.errors.map(problemItem))
			: null,
		dataLink(view, "Download the newest version"),
		el(
			"p",
			{ id: "scoring-state" },
			`Public ladder: ${view.scoring.public?.status ?? "not queued"}; private ladder: ${view.scoring.private?.status ?? "not queued"}.`,
		),
	];
	fill(box, parts);
	if (done(view.scoring.public) && view.publicResults) {
		try {
			const r = await fetchResults(view.id, "public");
			box.append(resultBlock(r.result, "Public ladder", "public-results"));
		} catch (error) {
			showError(error);
		}
	}
	// Once the round is published (winner is then true or false), the judges' scores and comments.
	if (view.winner !== null) {
		try {
			const { judgements } = await call(`submissions/${encodeURIComponent(view.id)}/judgements`);
			box.append(
				el("h3", {}, "The judges' scores"),
				judgements.length
					? el(
							"ul",
							{ id: "my-judgements" },
							judgements.map((j) =>
								el(
									"li",
									{},
									`${j.judge}: `,
									Object.entries(j.scores).map(([k, v]) => `${k} ${v.score} (“${v.comment}”) `),
								),
							),
						)
					: el("p", { class: "muted", id: "my-judgements" }, "No judge scored this submission."),
			);
		} catch (error) {
			showError(error);
		}
	}
	if (done(view.scoring.private) && view.privateVerdict) {
		try {
			const r = await fetchResults(view.id, "private");
			box.append(verdictsBlock(r.verdicts, "private-verdict"));
		} catch (error) {
			showError(error);
		}
	}
}
