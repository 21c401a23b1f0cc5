/** @module The page: access token, the list of runs, the new-run steps and the run view (address #run/ID). */
import { ApiFailure, api, setToken } from "./api.js";
import { clearError, el, fill, showError, statusWords, when } from "./dom.js";
import { createLadderStep } from "./ladder-step.js";
import { createRunView } from "./run-view.js";
import { createTaskStep } from "./task-step.js";

const newView = document.getElementById("new-view");
const tokenView = document.getElementById("token-view");

async function loadConfig() {
	try {
		return await api("/api/config");
	} catch (error) {
		if (error instanceof ApiFailure && error.status === 401) return null;
		throw error;
	}
}

function askToken() {
	tokenView.hidden = false;
	newView.hidden = true;
	document.getElementById("token-input").focus();
	return new Promise((resolve) => {
		document.getElementById("token-form").addEventListener("submit", async (e) => {
			e.preventDefault();
			setToken(document.getElementById("token-input").value);
			const config = await loadConfig().catch(() => null);
			if (config) {
				tokenView.hidden = true;
				clearError();
				resolve(config);
			} else
				showError(
					new ApiFailure(
						401,
						"that token is not the server's",
						"check the --token the server was started with",
					),
				);
		});
	});
}

async function start() {
	let config;
	try {
		config = (await loadConfig()) ?? (await askToken());
	} catch (error) {
		showError(error);
		return;
	}
	const runsList = document.getElementById("runs-list");
	const runView = createRunView({ onRunsChanged: () => refreshRuns() });
	const runButton = document.getElementById("run-button");
	const summary = document.getElementById("go-summary");
	const budgetsInput = document.getElementById("budgets-input");
	const shotsInput = document.getElementById("shots-input");
	const sweepBox = document.getElementById("sweep-check");

	async function refreshRuns() {
		let runs;
		try {
			runs = await api("/api/runs");
		} catch (error) {
			showError(error);
			return;
		}
		document.getElementById("runs-empty").hidden = runs.length > 0;
		fill(
			runsList,
			...runs.map((r) =>
				el(
					"li",
					{},
					el(
						"button",
						{
							type: "button",
							dataset: { run: r.id },
							"aria-current": String(runView.shown() === r.id),
							onclick: () => (location.hash = `#run/${r.id}`),
						},
						el("span", { class: "title" }, r.title),
						el(
							"span",
							{ class: "meta" },
							el("span", { class: `badge ${r.status}` }, statusWords[r.status] ?? r.status),
							when(r.createdAt),
						),
					),
				),
			),
		);
	}

	let task = null;
	const ladder = createLadderStep({ onChange: () => updateGo() });
	createTaskStep({
		config,
		onChange: (result) => {
			task = result;
			checkSweep();
		},
	});

	/** The shots and budgets as typed, as the API takes them (empty fields left out). */
	function sweepFields() {
		const shots = shotsInput.value.trim();
		const budgets = budgetsInput.value.trim();
		return { ...(shots ? { shots } : {}), ...(budgets ? { budgets } : {}) };
	}

	// The server checks the fields by the CLI's own rules; only the answer to the latest edit counts.
	let sweep = { state: "none" };
	let sweepAsked = 0;
	async function checkSweep() {
		const fields = sweepFields();
		const asked = ++sweepAsked;
		if (Object.keys(fields).length === 0 || !task?.validation.valid) {
			sweep = { state: "none" };
			fill(sweepBox);
			updateGo();
			return;
		}
		sweep = { state: "checking" };
		fill(sweepBox, el("span", { class: "muted" }, "Checking…"));
		updateGo();
		let next;
		try {
			const { settings } = await api("/api/sweep", {
				method: "POST",
				json: { uploadId: task.upload.id, ...fields },
			});
			next = { state: "ok", settings };
		} catch (error) {
			next = { state: "bad", error };
		}
		if (asked !== sweepAsked) return;
		sweep = next;
		if (next.state === "ok")
			fill(sweepBox, el("span", { class: "probe-ok" }, `✓ ${describeSweep(next.settings)}`));
		else
			fill(
				sweepBox,
				el("span", { class: "probe-bad" }, `✗ ${next.error.message}`),
				next.error.hint ? el("span", { class: "muted" }, ` — ${next.error.hint}`) : null,
			);
		updateGo();
	}
	shotsInput.addEventListener("input", () => checkSweep());
	budgetsInput.addEventListener("input", () => checkSweep());

	/** "4 conditions per model: 0 and 2 shots × reasoning budgets 0 and 8". */
	function describeSweep(settings) {
		const list = (values) =>
			values.length === 1 ? values[0] : `${values.slice(0, -1).join(", ")} and ${values.at(-1)}`;
		const unique = (key) => [...new Set(settings.map(key).filter((v) => v !== undefined))];
		const shots = unique((c) => c.shots);
		const budgets = unique((c) => c.budgetLabel ?? c.budget);
		const parts = [
			shots.length ? `${list(shots)} shots` : null,
			budgets.length ? `reasoning budget${budgets.length === 1 ? "" : "s"} ${list(budgets)}` : null,
		].filter(Boolean);
		return `${settings.length} condition${settings.length === 1 ? "" : "s"} per model: ${parts.join(" × ")}`;
	}

	function updateGo() {
		const models = ladder.describe();
		const ready = task?.validation.valid && models && (sweep.state === "none" || sweep.state === "ok");
		runButton.disabled = !ready;
		const asked = sweep.state === "ok" && sweep.settings.some((c) => c.budget !== undefined);
		summary.textContent = !task
			? "Choose a task file first."
			: !task.validation.valid
				? "Fix the task's problems first (listed under step 1)."
				: !models
					? "Choose at least one model."
					: sweep.state === "bad"
						? "Fix the demonstrations or budgets first (see below)."
						: sweep.state === "checking"
							? "Checking the demonstrations and budgets…"
							: `${asked ? "Ask" : "Score"} ${task.validation.summary.examples} examples of ${task.validation.name} on ${models}${sweep.state === "ok" ? `, ${sweep.settings.length} conditions each` : ""}, smallest model first.`;
	}

	runButton.addEventListener("click", async () => {
		clearError();
		runButton.disabled = true;
		try {
			const run = await api("/api/runs", {
				method: "POST",
				json: {
					uploadId: task.upload.id,
					ladder: ladder.choice(),
					...sweepFields(),
				},
			});
			await refreshRuns();
			location.hash = `#run/${run.id}`;
		} catch (error) {
			showError(error);
		} finally {
			updateGo();
		}
	});

	function route() {
		clearError();
		const match = /^#run\/([a-z0-9-]+)$/.exec(location.hash);
		if (match) {
			newView.hidden = true;
			runView.show(match[1]);
		} else {
			runView.hide();
			newView.hidden = false;
		}
		for (const b of runsList.querySelectorAll("button"))
			b.setAttribute("aria-current", String(match?.[1] === b.dataset.run));
	}
	document.getElementById("new-run-button").addEventListener("click", () => {
		location.hash = "";
		document.getElementById("main").focus();
	});
	window.addEventListener("hashchange", route);
	await ladder.load();
	updateGo();
	await refreshRuns();
	route();
}

start();
