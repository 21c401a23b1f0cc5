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
			updateGo();
		},
	});

	function updateGo() {
		const models = ladder.describe();
		const ready = task?.validation.valid && models;
		runButton.disabled = !ready;
		summary.textContent = !task
			? "Choose a task file first."
			: !task.validation.valid
				? "Fix the task's problems first (listed under step 1)."
				: !models
					? "Choose at least one model."
					: `Score ${task.validation.summary.examples} examples of ${task.validation.name} on ${models}, smallest model first.`;
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
					...(budgetsInput.value.trim() ? { budgets: budgetsInput.value.trim() } : {}),
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
