/** @module Pieces every role's view of a submission shows: the Open button, near-duplicate flags, the data link. */
import { el } from "../../js/dom.js";

/** A table cell with the button that opens a submission. */
export function openCell(id, openDetail) {
	return el(
		"td",
		{},
		el("button", { type: "button", class: "small open", onclick: () => openDetail(id) }, "Open"),
	);
}

/** The submissions this one nearly duplicates, or null. */
export function duplicateFlags(view) {
	if (!view.duplicates.length) return null;
	return el(
		"p",
		{ class: "flag", id: "duplicate-flags" },
		`Near-duplicate of: ${view.duplicates.map((d) => `${d.label} (${Math.round(d.similarity * 100)}%)`).join(", ")}`,
	);
}

/** A link that downloads the submission's task data. */
export function dataLink(view, text) {
	return el(
		"p",
		{},
		el(
			"a",
			{ href: `/api/contest/submissions/${encodeURIComponent(view.id)}/data`, download: "", id: "data-link" },
			text,
		),
	);
}
