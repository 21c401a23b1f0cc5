/** @module Step 2: which models: GGUF files in the models folder, a known ladder, or a model server (with its check). */
import { api } from "./api.js";
import { bytes, el, fill, showError, size } from "./dom.js";

function stateText(m) {
	switch (m.state.kind) {
		case "present":
			return "on disk";
		case "remote":
			return "on a server";
		case "partial":
			return "partly downloaded";
		default:
			return m.bytes ? `downloads ${bytes(m.bytes)}` : "downloads first";
	}
}

export function createLadderStep({ onChange }) {
	const tabs = ["folder", "ladder", "endpoint"];
	let active = "folder";
	let listing = { ladders: [], folderModels: [], modelsDir: null };

	const folderPanel = document.getElementById("panel-folder");
	const ladderPanel = document.getElementById("panel-ladder");

	function select(tab, focus = false) {
		active = tab;
		for (const t of tabs) {
			const button = document.getElementById(`tab-${t}`);
			button.setAttribute("aria-selected", String(t === tab));
			button.tabIndex = t === tab ? 0 : -1;
			document.getElementById(`panel-${t}`).hidden = t !== tab;
			if (t === tab && focus) button.focus();
		}
		onChange();
	}
	for (const t of tabs) {
		const button = document.getElementById(`tab-${t}`);
		button.addEventListener("click", () => select(t));
		button.addEventListener("keydown", (e) => {
			const i = tabs.indexOf(t);
			if (e.key === "ArrowRight") select(tabs[(i + 1) % tabs.length], true);
			if (e.key === "ArrowLeft") select(tabs[(i + tabs.length - 1) % tabs.length], true);
		});
	}

	function renderFolder() {
		if (!listing.modelsDir) {
			fill(
				folderPanel,
				el(
					"p",
					{ class: "muted" },
					"No models folder: start the server with ",
					el("code", {}, "--models-dir FOLDER"),
					" to pick GGUF files from it.",
				),
			);
			return;
		}
		if (listing.folderModels.length === 0) {
			fill(folderPanel, el("p", { class: "muted" }, `No .gguf files in ${listing.modelsDir}.`));
			return;
		}
		fill(
			folderPanel,
			el(
				"p",
				{ class: "muted" },
				`GGUF files in `,
				el("code", {}, listing.modelsDir),
				`. Tick the models to compare; their sizes are read from the files.`,
			),
			el(
				"div",
				{ role: "group", "aria-label": "Models in the folder" },
				el(
					"ul",
					{ class: "model-list", id: "folder-models" },
					listing.folderModels.map((m) =>
						el(
							"li",
							{},
							el(
								"label",
								{},
								el("input", { type: "checkbox", value: m.path, checked: true, onchange: onChange }),
								` ${m.name} `,
								el("span", { class: "muted" }, bytes(m.bytes)),
							),
						),
					),
				),
			),
		);
	}

	function renderLadders() {
		const ladders = listing.ladders;
		const selectBox = el(
			"select",
			{
				id: "ladder-select",
				onchange: () => {
					renderLadderModels();
					onChange();
				},
			},
			ladders.map((l) =>
				el("option", { value: l.name }, `${l.name}${l.origin === "user" ? " (yours)" : ""}`),
			),
		);
		const modelsBox = el("div", { id: "ladder-models" });
		function renderLadderModels() {
			const ladder = ladders.find((l) => l.name === selectBox.value);
			if (!ladder) return fill(modelsBox);
			fill(
				modelsBox,
				ladder.description ? el("p", { class: "muted" }, ladder.description) : null,
				el(
					"ul",
					{ class: "model-list" },
					ladder.models.map((m) =>
						el(
							"li",
							{},
							el(
								"label",
								{},
								el("input", { type: "checkbox", value: m.name, checked: true, onchange: onChange }),
								` ${m.name} `,
								el(
									"span",
									{ class: "muted" },
									`${size(m.parameters ?? m.nominalParameters)} · ${stateText(m)}`,
								),
							),
						),
					),
				),
			);
		}
		fill(
			ladderPanel,
			listing.laddersError
				? el("p", { class: "probe-bad" }, `Your ladders config could not be read: ${listing.laddersError}`)
				: null,
			ladders.length
				? el("div", { class: "row" }, el("label", { for: "ladder-select" }, "Ladder"), selectBox)
				: el("p", { class: "muted" }, "No ladders configured."),
			modelsBox,
			el(
				"p",
				{ class: "muted" },
				"Models not on disk are downloaded from the Hugging Face hub when the run starts.",
			),
		);
		renderLadderModels();
	}

	function endpoint() {
		const lines = document
			.getElementById("endpoint-models")
			.value.split("\n")
			.map((l) => l.trim())
			.filter(Boolean);
		return {
			baseUrl: document.getElementById("endpoint-url").value.trim(),
			...(document.getElementById("endpoint-key").value.trim()
				? { apiKeyEnv: document.getElementById("endpoint-key").value.trim() }
				: {}),
			models: lines.map((line) => {
				const [model, parameters] = line.split(/\s+/);
				return parameters ? { model, parameters } : { model };
			}),
		};
	}
	for (const id of ["endpoint-url", "endpoint-key", "endpoint-models"])
		document.getElementById(id).addEventListener("input", () => onChange());
	document.getElementById("endpoint-check").addEventListener("click", async () => {
		const box = document.getElementById("endpoint-result");
		fill(box, el("p", { class: "muted" }, "Checking the server…"));
		try {
			const { results } = await api("/api/ladders/probe", { method: "POST", json: endpoint() });
			fill(
				box,
				el(
					"ul",
					{ class: "probe" },
					results.map((r) =>
						r.ok
							? el(
									"li",
									{ class: "probe-ok" },
									`✓ ${r.model}: ready (context ${r.info.contextLength} tokens, tokenizer ${r.info.tokenizer}, ${r.info.parallelism} requests at once)`,
								)
							: el(
									"li",
									{ class: "probe-bad" },
									`✗ ${r.model}: ${r.error}`,
									r.hint ? el("span", { class: "muted" }, ` — ${r.hint}`) : null,
								),
					),
				),
			);
		} catch (error) {
			fill(box);
			showError(error);
		}
	});

	async function load() {
		try {
			listing = await api("/api/ladders");
		} catch (error) {
			showError(error);
		}
		renderFolder();
		renderLadders();
		select(listing.folderModels.length > 0 || listing.ladders.length === 0 ? "folder" : "ladder");
	}

	/** The ladder as the API takes it, or null when nothing usable is chosen. */
	function choice() {
		if (active === "folder") {
			const files = [...folderPanel.querySelectorAll("input[type=checkbox]:checked")].map((i) => i.value);
			return files.length ? { kind: "files", files } : null;
		}
		if (active === "ladder") {
			const name = document.getElementById("ladder-select")?.value;
			if (!name) return null;
			const boxes = [...ladderPanel.querySelectorAll("#ladder-models input[type=checkbox]")];
			const picked = boxes.filter((b) => b.checked).map((b) => b.value);
			if (picked.length === 0) return null;
			return picked.length === boxes.length
				? { kind: "ladder", name }
				: { kind: "ladder", name, sizes: picked };
		}
		const e = endpoint();
		return e.baseUrl && e.models.length ? { kind: "endpoint", endpoint: e } : null;
	}

	function describe() {
		const c = choice();
		if (!c) return null;
		if (c.kind === "files")
			return `${c.files.length} model${c.files.length === 1 ? "" : "s"} from the models folder`;
		if (c.kind === "ladder") return `the ${c.name} ladder${c.sizes ? ` (${c.sizes.length} models)` : ""}`;
		return `${c.endpoint.models.length} model${c.endpoint.models.length === 1 ? "" : "s"} on ${c.endpoint.baseUrl}`;
	}

	return { load, choice, describe };
}
