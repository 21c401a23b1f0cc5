/** @module Step 1: the task file (dropped, picked or pasted), its card, and its validation shown row by row. */
import { ApiFailure, api } from "./api.js";
import { bytes, clearError, el, fill, percent, showError } from "./dom.js";

const isCard = (name) => /\.(ya?ml|md)$/i.test(name);
const isTask = (name) => /\.(csv|jsonl)$/i.test(name);

function placeLabel(d) {
	const where = `line ${d.line}, column ${d.column}`;
	return d.row === undefined ? where : `Row ${d.row} · ${where}`;
}

/** One problem, shown where it is: the row, the line of the file with a caret under the column, the fix. */
export function problemItem(d) {
	const source =
		d.source !== undefined
			? el(
					"pre",
					{ "aria-label": `line ${d.line} of ${d.file}` },
					el("span", { class: "muted" }, `${String(d.line).padStart(4)} │ `),
					d.source,
					"\n",
					el(
						"span",
						{ class: "caret", "aria-hidden": "true" },
						`${" ".repeat(7 + Math.max(0, d.column - 1))}^`,
					),
				)
			: null;
	return el(
		"li",
		{
			class: `problem ${d.severity}`,
			dataset: { row: d.row ?? "", line: d.line, code: d.code, severity: d.severity },
		},
		el(
			"div",
			{ class: "where" },
			`${d.severity === "error" ? "Error" : "Warning"} · ${placeLabel(d)}`,
			d.file.match(/\.(ya?ml|md)$/i) ? ` · ${d.file}` : "",
			el("span", { class: "code" }, d.code),
		),
		el("p", { class: "message" }, d.message),
		source,
		el("p", { class: "fix" }, d.fix),
	);
}

function renderValidation(box, upload, v) {
	const s = v.summary;
	const counts = Object.entries(s.classCounts)
		.map(([k, n]) => `${n} with ${k} classes`)
		.join(", ");
	const answers = s.answerShare.map((share, i) => `${i}: ${percent(share)}`).join(" · ");
	const omitted = Object.values(s.omitted).reduce((a, b) => a + b, 0);
	fill(
		box,
		el(
			"div",
			{ class: `status-line ${v.valid ? "ok" : "bad"}`, id: "validation-status" },
			v.valid
				? `✓ Ready: ${s.examples} example${s.examples === 1 ? "" : "s"} in ${upload.name}`
				: `✗ ${s.errorCount} problem${s.errorCount === 1 ? "" : "s"} to fix in ${upload.name} before it can run`,
		),
		el(
			"div",
			{ class: "facts" },
			el(
				"span",
				{},
				el("b", {}, "Type: "),
				v.typeSource === "unresolved" ? "unknown" : `${v.typeName} (plotted: ${v.plottedMetric})`,
			),
			el("span", {}, el("b", {}, "Rows: "), `${s.rows} (${s.examples} usable)`),
			counts ? el("span", {}, el("b", {}, "Classes: "), counts) : null,
			answers ? el("span", {}, el("b", {}, "Answers: "), answers) : null,
			el("span", {}, el("b", {}, "Card: "), upload.cardName ?? "none"),
			el("span", {}, el("b", {}, "Size: "), bytes(upload.bytes)),
		),
		upload.catalog ? catalogLine(upload.catalog) : null,
		upload.cardText
			? el("details", { id: "task-card" }, el("summary", {}, "Task card"), el("pre", {}, upload.cardText))
			: null,
		v.errors.length ? el("h3", {}, "Errors") : null,
		v.errors.length ? el("ul", { class: "problems", id: "errors-list" }, v.errors.map(problemItem)) : null,
		omitted
			? el("p", { class: "muted" }, `…and ${omitted} more not shown (invscale validate --max N shows more).`)
			: null,
		v.warnings.length
			? el(
					"details",
					{ open: v.valid && v.warnings.length <= 3 },
					el("summary", {}, `${v.warnings.length} warning${v.warnings.length === 1 ? "" : "s"}`),
					el("ul", { class: "problems", id: "warnings-list" }, v.warnings.map(problemItem)),
				)
			: null,
	);
}

/** Where a catalog task came from, and plainly whether its bytes are the catalog's. */
function catalogLine(c) {
	return c.matches
		? el(
				"p",
				{ id: "catalog-status", class: "muted", dataset: { matches: "true" } },
				`From the prize catalog (prize:${c.name}); its sha256 is the catalog's.`,
			)
		: el(
				"p",
				{ id: "catalog-status", class: "status-line bad", dataset: { matches: "false" } },
				`This file differs from the prize catalog's ${c.file}: sha256 ${c.sha256} (${c.bytes} bytes), catalog ${c.expectedSha256} (${c.expectedBytes} bytes). It is used as it is; results may not be comparable with published ones.`,
			);
}

/** One catalog task in the list: what it is, who made it, and a button that takes it. */
function prizeItem(t, take) {
	return el(
		"li",
		{ class: "prize-task", dataset: { task: t.name } },
		el(
			"div",
			{},
			el("b", {}, t.title),
			el(
				"span",
				{ class: "muted" },
				` · ${t.cause} · round ${t.round} · ${t.type} · ${bytes(t.bytes)}${t.onDisk ? " · on disk" : ""}`,
			),
		),
		el("p", {}, t.description),
		el("p", { class: "muted" }, `By ${t.authors.join(", ")} · ${t.licence}`),
		el("button", { type: "button", onclick: () => take(t) }, t.onDisk ? "Use this task" : "Download and use"),
	);
}

export function createTaskStep({ config, onChange }) {
	const drop = document.getElementById("drop-zone");
	const input = document.getElementById("file-input");
	const box = document.getElementById("validation");
	const typeSelect = document.getElementById("type-select");
	document.getElementById("upload-limit").textContent = bytes(config.maxUploadBytes).replace(/\.0 /, " ");
	let current = null;

	const show = (result) => {
		current = result;
		renderValidation(box, result.upload, result.validation);
		onChange(result);
	};

	async function upload(name, content, card) {
		clearError();
		const size = content.size ?? new Blob([content]).size;
		if (size > config.maxUploadBytes) {
			showError(
				new ApiFailure(
					413,
					`${name} is ${bytes(size)}, over the limit of ${bytes(config.maxUploadBytes)}`,
					"split the task into smaller files, or restart the server with a larger --max-upload-mb",
				),
			);
			return;
		}
		fill(box, el("p", { class: "muted" }, `Checking ${name}…`));
		try {
			let result = await api("/api/uploads", {
				method: "POST",
				body: content,
				query: { name, ...(typeSelect.value ? { type: typeSelect.value } : {}) },
			});
			if (card)
				result = await api(`/api/uploads/${result.upload.id}/card`, {
					method: "POST",
					body: card,
					query: { name: card.name },
				});
			show(result);
		} catch (error) {
			fill(box);
			current = null;
			onChange(null);
			showError(error);
		}
	}

	function takeFiles(files) {
		const list = [...files];
		const task = list.find((f) => isTask(f.name));
		const card = list.find((f) => isCard(f.name));
		if (!task && card && current) {
			api(`/api/uploads/${current.upload.id}/card`, {
				method: "POST",
				body: card,
				query: { name: card.name },
			}).then(show, showError);
			return;
		}
		if (!task) {
			showError(
				new ApiFailure(
					400,
					"that is not a task file",
					"a task is a .csv or .jsonl file (its card .card.yaml may come with it)",
				),
			);
			return;
		}
		upload(task.name, task, card);
	}

	drop.addEventListener("click", () => input.click());
	drop.addEventListener("dragover", (e) => {
		e.preventDefault();
		drop.classList.add("over");
	});
	drop.addEventListener("dragleave", () => drop.classList.remove("over"));
	drop.addEventListener("drop", (e) => {
		e.preventDefault();
		drop.classList.remove("over");
		takeFiles(e.dataTransfer.files);
	});
	input.addEventListener("change", () => {
		takeFiles(input.files);
		input.value = "";
	});
	document.getElementById("paste-check").addEventListener("click", () => {
		const text = document.getElementById("paste-text").value;
		const stem =
			document
				.getElementById("paste-name")
				.value.trim()
				.replace(/[^A-Za-z0-9._-]+/g, "-") || "pasted-task";
		if (!text.trim()) {
			showError(
				new ApiFailure(400, "there are no rows to check", "paste the header line and some rows first"),
			);
			return;
		}
		const jsonl = text.trimStart().startsWith("{");
		upload(`${stem}.${jsonl ? "jsonl" : "csv"}`, text);
	});
	const prizeBox = document.getElementById("prize-box");
	const prizeList = document.getElementById("prize-list");
	let listed = false;
	async function takePrize(t) {
		clearError();
		fill(
			box,
			el(
				"p",
				{ class: "muted" },
				t.onDisk ? `Checking ${t.file}…` : `Downloading ${t.file} (${bytes(t.bytes)})…`,
			),
		);
		try {
			const result = await api(`/api/tasks/${encodeURIComponent(t.name)}`, { method: "POST", json: {} });
			show({ ...result, upload: { ...result.upload, cardText: result.cardText } });
			listed = false; // the list shows "on disk" when opened again
			prizeBox.open = false;
		} catch (error) {
			fill(box);
			current = null;
			onChange(null);
			showError(error);
		}
	}
	prizeBox.addEventListener("toggle", () => {
		if (!prizeBox.open || listed) return;
		listed = true;
		fill(prizeList, el("li", { class: "muted" }, "Loading the catalog…"));
		api("/api/tasks").then(
			(r) => fill(prizeList, ...r.tasks.map((t) => prizeItem(t, takePrize))),
			(error) => {
				listed = false;
				fill(prizeList);
				showError(error);
			},
		);
	});
	typeSelect.addEventListener("change", () => {
		if (!current) return;
		api(`/api/uploads/${current.upload.id}/type`, { method: "POST", json: { type: typeSelect.value } }).then(
			show,
			showError,
		);
	});
	return { current: () => current };
}
