/** @module The contest page: signing in, then the entrant's, judge's or organiser's view and the results. */
import { clearError, el, fill, showError } from "../../js/dom.js";
import { call, setCsrf } from "./api.js";
import { createEntrant, entrantDetail } from "./entrant.js";
import { createJudge, judgeDetail } from "./judge.js";
import { createOrganiser, organiserDetail } from "./organiser.js";
import { createRanking } from "./ranking.js";

const $ = (id) => document.getElementById(id);

function overview(contest) {
	$("contest-name").textContent = contest.name;
	fill(
		$("overview-body"),
		el(
			"p",
			{},
			`Rounds: ${contest.rounds.map((r) => `${r.name} (${r.opens.slice(0, 10)} – ${r.closes.slice(0, 10)})${r.open ? " open now" : ""}`).join("; ")}.`,
		),
		el(
			"p",
			{},
			`Rules: at least ${contest.rules.minExamples} examples; ${contest.rules.taskTypes ? `types ${contest.rules.taskTypes.join(", ")}` : "any task type"}; ${contest.rules.requireCard ? "a card is required" : "a card is optional"}; up to ${contest.rules.submissionsPerHour} submissions an hour.`,
		),
		el(
			"p",
			{},
			`Public ladder ${contest.publicLadder.name}: ${contest.publicLadder.models.map((m) => m.name).join(", ")}. Private ladder: ${contest.privateLadder.models} model(s), not named${contest.privateLadder.showSizes ? "" : "; judges see their ranks by size, not their sizes"}.`,
		),
		el(
			"p",
			{},
			`Rubric: ${contest.rubric.criteria.map((c) => `${c.label} ×${c.weight}`).join(", ")}; scores ${contest.rubric.min}–${contest.rubric.max}.`,
		),
	);
	$("overview").hidden = false;
}

async function start(me) {
	setCsrf(me.csrf);
	$("signin-view").hidden = true;
	$("whoami").hidden = false;
	$("whoami").textContent = `${me.principal.name} · ${me.principal.role}`;
	$("whoami").dataset.role = me.principal.role;
	$("signout-button").hidden = false;
	overview(me.contest);
	const role = me.principal.role;
	const detail = $("detail-view");
	let view;
	let poll;
	const openDetail = async (id, { quiet = false } = {}) => {
		if (!quiet) clearError();
		clearTimeout(poll);
		try {
			const v = await call(`submissions/${encodeURIComponent(id)}`);
			detail.hidden = false;
			detail.dataset.id = id;
			// Each submission has its own address: #submission/<id>.
			if (location.hash !== `#submission/${id}`) history.replaceState(null, "", `#submission/${id}`);
			const reload = async () => {
				await openDetail(id);
				await view.refresh();
			};
			if (role === "entrant") await entrantDetail($("detail-body"), v);
			else if (role === "judge")
				await judgeDetail($("detail-body"), v, { contest: me.contest, me: me.principal, reload });
			else await organiserDetail($("detail-body"), v, { reload });
			detail.dataset.ready = "1";
			// While it is being scored, the page follows along (not while a judge fills in the form).
			const states = Object.values(v.scoring ?? v.runs ?? {}).map((r) => r?.status);
			if (states.some((s) => s === "queued" || s === "running"))
				poll = setTimeout(() => {
					if (detail.dataset.id === id && !document.activeElement?.closest("form"))
						openDetail(id, { quiet: true });
				}, 3000);
		} catch (error) {
			showError(error);
		}
	};
	if (role === "entrant") view = createEntrant({ contest: me.contest, openDetail });
	else if (role === "judge") view = createJudge({ openDetail });
	else view = createOrganiser({ openDetail });
	$(`${role}-view`).hidden = false;
	$("ranking-view").hidden = false;
	createRanking({ contest: me.contest, me: me.principal });
	await view.refresh();
	const linked = /^#submission\/([\w-]+)$/.exec(location.hash);
	if (linked) await openDetail(linked[1]);
}

$("signin-form").addEventListener("submit", async (event) => {
	event.preventDefault();
	clearError();
	try {
		await call("login", { method: "POST", json: { token: $("token-input").value } });
		$("token-input").value = "";
		await start(await call("me"));
	} catch (error) {
		showError(error);
	}
});

$("signout-button").addEventListener("click", async () => {
	await call("logout", { method: "POST", json: {} }).catch(() => {});
	location.reload();
});

$("register-form").addEventListener("submit", async (event) => {
	event.preventDefault();
	clearError();
	try {
		const { token } = await call("register", { method: "POST", json: { name: $("register-name").value } });
		fill(
			$("register-token"),
			"Your token, shown only now (keep it: it is how you sign in again): ",
			el("code", { id: "registered-token" }, token),
		);
		$("register-token").hidden = false;
		$("register-form").hidden = true;
		$("token-input").value = token;
	} catch (error) {
		showError(error);
	}
});

try {
	await start(await call("me"));
} catch (error) {
	if (error.status === 401) {
		$("signin-view").hidden = false;
		const info = await call("public").catch(() => null);
		if (info) {
			$("contest-name").textContent = info.name;
			$("register-form").hidden = !info.openRegistration;
		}
	} else showError(error);
}
