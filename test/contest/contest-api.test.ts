/**
 * The contest's HTTP API end to end, in process: submissions validated as `invscale validate`
 * validates, scoring on both ladders, roles refused with 403 and logged, CSRF for cookie sessions,
 * size, content and rate limits, blind judging, the weighted ranking, the export, and a restart
 * in the middle of scoring. Every byte an entrant or a judge receives is checked for the private
 * ladder's names, addresses and key.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContestFile } from "../../src/contest/contest-file.js";
import { type AppServer, startServer } from "../../src/server/index.js";
import { runCli } from "../helpers/cli.js";
import {
	type ContestFixture,
	exampleCard,
	firstRows,
	makeContest,
	PRIVATE_SIZES,
} from "./contest-fixture.js";

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read field by field by the assertions.
type Json = any;

let fx: ContestFixture;
let server: AppServer;
const seen: { who: string; body: string }[] = [];

async function start(): Promise<AppServer> {
	return startServer({
		port: 0,
		contest: loadContestFile(fx.contestFile),
		dataDir: join(fx.dir, "data"),
		storeFile: join(fx.dir, "store.sqlite"),
		log: (line) => process.env.CONTEST_TEST_LOG && process.stderr.write(`${line}\n`),
	});
}

interface Client {
	name: string;
	token: string;
	/** Records every answer's bytes unless it is the organiser. */
	req(
		method: string,
		path: string,
		body?: unknown,
		headers?: Record<string, string>,
	): Promise<{ status: number; json: Json; text: string; headers: Headers }>;
}

function client(name: string, token: string, watched: boolean): Client {
	return {
		name,
		token,
		async req(method, path, body, headers = {}) {
			const res = await fetch(new URL(`api/contest/${path}`, server.url), {
				method,
				headers: {
					authorization: `Bearer ${token}`,
					...(body !== undefined ? { "content-type": "application/json" } : {}),
					...headers,
				},
				body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
			});
			const bytes = Buffer.from(await res.arrayBuffer());
			const text = bytes.toString("utf8");
			if (watched) seen.push({ who: name, body: text + JSON.stringify([...res.headers]) });
			let json: unknown = null;
			try {
				json = JSON.parse(text);
			} catch {}
			return { status: res.status, json, text, headers: res.headers };
		},
	};
}

const fileBody = (name: string, card?: string) => ({
	task: { name, content: readFileSync(join(fx.files, name)).toString("base64") },
	...(card ? { card: { name: card, content: readFileSync(join(fx.files, card)).toString("base64") } } : {}),
});

let organiser: Client;
let alice: Client;
let bob: Client;
let judge1: Client;
let judge2: Client;
let aliceSubmission: string;
let bobSubmission: string;

async function waitScored(id: string, timeoutMs = 90_000): Promise<Json> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const view = (await organiser.req("GET", `submissions/${id}`)).json;
		const done = ["public", "private"].every((k) =>
			["complete", "partial", "failed"].includes(view.runs[k]?.status),
		);
		if (done) return view;
		if (Date.now() > until) throw new Error(`not scored in time: ${JSON.stringify(view.runs)}`);
		await new Promise((r) => setTimeout(r, 300));
	}
}

beforeAll(async () => {
	fx = await makeContest({ submissionsPerHour: 6 });
	Object.assign(process.env, { ZETA_KEY: "sk-private-ladder-KEY-3d81" });
	server = await start();
	organiser = client("organiser", fx.organiserToken, false);
	const add = async (name: string, role: string) => {
		const r = await organiser.req("POST", "people", { name, role });
		expect(r.status).toBe(201);
		return r.json.token as string;
	};
	alice = client("alice", await add("Alice", "entrant"), true);
	bob = client("bob", await add("Bob", "entrant"), true);
	judge1 = client("judge1", await add("Jo Judge", "judge"), true);
	judge2 = client("judge2", await add("Kim Judge", "judge"), true);
});

afterAll(async () => {
	await server?.close();
	await fx?.close();
});

describe("a contest over HTTP", () => {
	it("takes a valid submission with a receipt and scores it on both ladders", async () => {
		const r = await alice.req("POST", "submissions", fileBody("neg-small.csv", "neg-small.card.yaml"));
		expect(r.status).toBe(201);
		const expectedSha = createHash("sha256")
			.update(readFileSync(join(fx.files, "neg-small.csv")))
			.digest("hex");
		expect(r.json.receipt).toMatchObject({ version: 1, sha256: expectedSha, accepted: true });
		aliceSubmission = r.json.receipt.submission;
		const view = await waitScored(aliceSubmission);
		expect(view.runs.public.status).toBe("complete");
		expect(view.runs.private.status).toBe("complete");
		// The organiser sees the private models by name.
		const priv = await organiser.req("GET", `submissions/${aliceSubmission}/results/private`);
		expect(priv.json.result.metrics[0].models.map((m: { name: string }) => m.name)).toEqual([
			"zeta-secret-small-9q",
			"zeta-secret-large-7x",
		]);
		// The private servers did the scoring, with the key from the environment.
		expect(fx.privateServers.every((s) => s.stats.completions > 0)).toBe(true);
	});

	it("refuses an invalid task with the same row-level diagnostics as invscale validate, and keeps nothing", async () => {
		const r = await bob.req("POST", "submissions", fileBody("broken.csv", "broken.card.yaml"));
		expect(r.status).toBe(201);
		expect(r.json.receipt).toMatchObject({ submission: null, version: null, accepted: false });
		const cli = await runCli(["validate", join(fx.files, "broken.csv"), "--json"]);
		const fromCli = JSON.parse(cli.stdout).files[0].errors.map((d: Json) => [
			d.code,
			d.row,
			d.line,
			d.column,
		]);
		const fromServer = r.json.validation.errors.map((d: Json) => [d.code, d.row, d.line, d.column]);
		// The file's own problems first, at their rows; then the contest's rule (at least 10 examples).
		expect(fromServer.slice(0, -1)).toEqual(fromCli);
		expect(fromServer.at(-1)[0]).toBe("contest-min-examples");
		expect(fromServer.some((d: Json[]) => d[1] === 1 && d[2] === 4)).toBe(true);
		// No submission was made for it, so nothing was queued.
		expect((await bob.req("GET", "submissions")).json).toEqual([]);
	});

	it("refuses every role's forbidden requests with 403 and logs each", async () => {
		const forbidden: [Client, string, string, unknown?][] = [
			[bob, "GET", `submissions/${aliceSubmission}`],
			[bob, "GET", `submissions/${aliceSubmission}/data`],
			[bob, "GET", `submissions/${aliceSubmission}/results/public`],
			[alice, "GET", `submissions/${aliceSubmission}/results/private`],
			[alice, "GET", "rounds/round-1/ranking"],
			[alice, "GET", "audit"],
			[alice, "POST", "people", { name: "Mallory", role: "organiser" }],
			[alice, "PUT", `submissions/${aliceSubmission}/judgements/${"x"}`, { scores: {} }],
			[judge1, "POST", "submissions", fileBody("neg-small.csv", "neg-small.card.yaml")],
			[judge1, "GET", `submissions/${aliceSubmission}/judgements`],
			[judge1, "GET", "rounds/round-1/export.zip"],
			[judge1, "POST", `submissions/${aliceSubmission}/winner`, { winner: true }],
			[judge1, "POST", "rounds/round-1/publish", { published: true }],
			[organiser, "POST", "submissions", fileBody("neg-small.csv", "neg-small.card.yaml")],
		];
		for (const [who, method, path, body] of forbidden) {
			const r = await who.req(method, path, body);
			expect(r.status, `${who.name} ${method} ${path}`).toBe(403);
			expect(r.json.error).toBeTruthy();
		}
		const log = (await organiser.req("GET", "audit")).json as Json[];
		const refused = log.filter((e) => e.outcome === "refused" && e.detail?.startsWith("403"));
		expect(refused.length).toBeGreaterThanOrEqual(forbidden.length);
		for (const [who, method, path] of forbidden) {
			const id = (await who.req("GET", "me")).json.principal.id;
			expect(
				refused.some((e) => e.action === `${method} /${path}` && e.principal === id),
				`${who.name} ${method} ${path} logged`,
			).toBe(true);
		}
	});

	it("judges blind: scores are the judge's own, others' appear only after scoring, the ranking is weighted", async () => {
		const people = (await organiser.req("GET", "people")).json as Json[];
		const j1 = people.find((p) => p.name === "Jo Judge").id;
		const j2 = people.find((p) => p.name === "Kim Judge").id;
		const list = (await judge1.req("GET", "submissions")).json as Json[];
		// Judges see accepted submissions by label only: Bob's invalid one is not there, no names, no tasks.
		expect(list.map((s) => s.id)).toEqual([aliceSubmission]);
		expect(JSON.stringify(list)).not.toMatch(/Alice|neg-small/);
		const view = (await judge1.req("GET", `submissions/${aliceSubmission}`)).json;
		expect(view.others).toBeNull();
		expect(view.version.card.name).toBe("Negation QA (12 rows)");
		expect(view.version.card.authors).toBeUndefined();
		const priv = (await judge1.req("GET", `submissions/${aliceSubmission}/results/private`)).json;
		expect(priv.result.metrics[0].models.map((m: { name: string }) => m.name)).toEqual([
			"private-1",
			"private-2",
		]);

		const scores1 = { strength: { score: 4, comment: "clean" }, novelty: { score: 2, comment: "known" } };
		const scores2 = { strength: { score: 3, comment: "ok" }, novelty: { score: 5, comment: "new" } };
		expect(
			(await judge1.req("PUT", `submissions/${aliceSubmission}/judgements/${j1}`, { scores: scores1 }))
				.status,
		).toBe(200);
		// Judge 1 may not write judge 2's scores, before or after judge 2 has scored.
		expect(
			(await judge1.req("PUT", `submissions/${aliceSubmission}/judgements/${j2}`, { scores: scores1 }))
				.status,
		).toBe(403);
		expect((await judge2.req("GET", `submissions/${aliceSubmission}`)).json.others).toBeNull();
		expect(
			(await judge2.req("PUT", `submissions/${aliceSubmission}/judgements/${j2}`, { scores: scores2 }))
				.status,
		).toBe(200);
		expect(
			(await judge1.req("PUT", `submissions/${aliceSubmission}/judgements/${j2}`, { scores: scores1 }))
				.status,
		).toBe(403);
		const after = (await judge2.req("GET", `submissions/${aliceSubmission}`)).json;
		expect(after.others.map((o: Json) => o.scores.strength.score)).toEqual([4]);
		// Out-of-range scores are refused with the range named.
		const bad = await judge1.req("PUT", `submissions/${aliceSubmission}/judgements/${j1}`, {
			scores: { ...scores1, novelty: { score: 9, comment: "" } },
		});
		expect(bad.status).toBe(400);
		expect(bad.json.error).toContain("from 1 to 5");
		// Every item is scored with a comment: a blank one is refused, naming the item.
		for (const comment of ["", "   "]) {
			const bare = await judge1.req("PUT", `submissions/${aliceSubmission}/judgements/${j1}`, {
				scores: { ...scores1, novelty: { score: 2, comment } },
			});
			expect(bare.status).toBe(400);
			expect(bare.json.error).toBe("Novelty: a score needs a comment saying why");
		}
		expect((await judge1.req("GET", `submissions/${aliceSubmission}`)).json.mine.scores).toEqual(scores1);
		// The entrant is told when her judgements will be shown, in words meant for her.
		const early = await alice.req("GET", `submissions/${aliceSubmission}/judgements`);
		expect(early.status).toBe(403);
		expect(early.json.error).toBe(
			"the judges' scores and comments on your submission are shown to you when the organisers publish the round's results",
		);
		expect((await bob.req("GET", `submissions/${aliceSubmission}/judgements`)).json.error).toBe(
			"entrants see only their own submissions",
		);

		const ranking = (await organiser.req("GET", "rounds/round-1/ranking")).json;
		// (3·4 + 1·2)/4 = 3.5 and (3·3 + 1·5)/4 = 3.5: the mean is 3.5.
		expect(ranking.rows[0]).toMatchObject({ submissionId: aliceSubmission, rank: 1, judges: 2 });
		expect(ranking.rows[0].score).toBeCloseTo(3.5, 12);
		expect(ranking.rows[0].criteria).toEqual({ strength: 3.5, novelty: 3.5 });
	});

	it("shows a judge the submission by its blind label only, and the private ladder without its sizes", {
		timeout: 180_000,
	}, async () => {
		// A file named after its author: the name must reach no judge, in no answer and no download.
		const token = (await organiser.req("POST", "people", { name: "Zelda Quist", role: "entrant" })).json
			.token;
		const zelda = client("zelda", token, true);
		writeFileSync(join(fx.files, "zelda-quist-negation.csv"), firstRows(12, 300));
		writeFileSync(
			join(fx.files, "zelda-quist-negation.card.yaml"),
			exampleCard
				.replace("name: Negation QA", "name: Negation QA (blind)")
				.replace("invscale contributors", "Zelda Quist"),
		);
		const r = await zelda.req(
			"POST",
			"submissions",
			fileBody("zelda-quist-negation.csv", "zelda-quist-negation.card.yaml"),
		);
		expect(r.json.receipt.accepted).toBe(true);
		const id = r.json.receipt.submission;
		await waitScored(id);
		const label = (await organiser.req("GET", `submissions/${id}`)).json.blindLabel;
		const people = (await organiser.req("GET", "people")).json as Json[];
		const j1 = people.find((p) => p.name === "Jo Judge").id;
		const scores = { strength: { score: 3, comment: "clear" }, novelty: { score: 4, comment: "fresh" } };
		expect((await judge1.req("PUT", `submissions/${id}/judgements/${j1}`, { scores })).status).toBe(200);

		const answers: { path: string; text: string }[] = [];
		for (const path of [
			"me",
			"submissions",
			`submissions/${id}`,
			`submissions/${id}/data`,
			`submissions/${id}/results/public`,
			`submissions/${id}/results/private`,
			`submissions/${id}/judgements`,
		]) {
			const a = await judge1.req("GET", path);
			expect(a.status, path).toBe(200);
			answers.push({ path, text: a.text + JSON.stringify([...a.headers]) });
		}
		// The private sizes (3.3B and 33B) in every way a number or a size can be written.
		const sizes = PRIVATE_SIZES.flatMap((x) => [
			String(x),
			x.toExponential(),
			x.toExponential(1),
			x.toExponential(2),
			`${x / 1e9}B`,
			`${x / 1e9} B`,
			`${x / 1e9}G`,
		]);
		for (const { path, text } of answers) {
			expect(text, path).not.toMatch(/zelda|quist/i);
			for (const size of sizes) expect(text.includes(size), `${path} holds ${size}`).toBe(false);
		}
		// The download is offered under the label; the task is called by it in the results.
		const data = await judge1.req("GET", `submissions/${id}/data`);
		expect(data.headers.get("content-disposition")).toBe(`attachment; filename="${label}.csv"`);
		expect(data.text).toBe(readFileSync(join(fx.files, "zelda-quist-negation.csv"), "utf8"));
		const pub = (await judge1.req("GET", `submissions/${id}/results/public`)).json.result;
		expect(pub.task.name).toBe(label);
		expect(pub.sizes).toBe("shown");

		// The private ladder: ranks 1…n, smallest first, on an ordinal axis; the verdict is the one
		// computed on the real sizes, which the organiser sees.
		const judged = (await judge1.req("GET", `submissions/${id}/results/private`)).json.result;
		const real = (await organiser.req("GET", `submissions/${id}/results/private`)).json.result;
		expect(judged.sizes).toBe("ranks");
		expect(real.sizes).toBe("shown");
		expect(real.metrics[0].models.map((m: Json) => m.x)).toEqual(PRIVATE_SIZES);
		for (const [i, m] of judged.metrics.entries()) {
			const o = real.metrics[i];
			expect(m.models.map((p: Json) => [p.name, p.x, p.mean])).toEqual([
				["private-1", 1, o.models[0].mean],
				["private-2", 2, o.models[1].mean],
			]);
			expect(m.verdict.kind).toBe(o.verdict.kind);
			expect(m.verdict.label).toBe(o.verdict.label);
			expect(m.verdict.plain).toMatch(/from \S+ \(private-1\) to \S+ \(private-2\)/);
			expect(m.chart.layer[2].encoding.x.type).toBe("ordinal");
			expect(m.chart.data.values.map((v: Json) => v.x)).toEqual([1, 2]);
		}
		// With show_sizes the judges would see them: the organiser's view places the models at their sizes.
		expect(real.metrics[0].verdict.plain).toContain("3.3B");
	});

	it("refuses oversize, malformed and binary uploads, naming the limit", async () => {
		const big = { task: { name: "big.csv", content: Buffer.alloc(1_200_000, "a").toString("base64") } };
		const tooBig = await alice.req("POST", "submissions", big);
		expect(tooBig.status).toBe(413);
		expect(tooBig.json.error).toMatch(/limit of 1 MB/);
		const justOver = await alice.req("POST", "submissions", {
			task: { name: "big.csv", content: Buffer.alloc(1024 * 1024 + 1, "a").toString("base64") },
		});
		expect(justOver.status).toBe(413);
		expect(justOver.json.error).toMatch(/over the limit of 1 MB/);
		const notJson = await alice.req("POST", "submissions", "{ not json");
		expect(notJson.status).toBe(400);
		expect(notJson.json.error).toContain("not valid JSON");
		const binary = await alice.req("POST", "submissions", {
			task: { name: "x.csv", content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]).toString("base64") },
		});
		expect(binary.status).toBe(415);
		expect(binary.json.error).toContain("not a text file");
		const badName = await alice.req("POST", "submissions", {
			task: { name: "../../etc/passwd.csv", content: "YQ==" },
		});
		expect(badName.status).toBe(400);
		const badB64 = await alice.req("POST", "submissions", { task: { name: "x.csv", content: "***" } });
		expect(badB64.status).toBe(400);
		expect(badB64.json.error).toContain("base64");
	});

	it("answers 429 over the submission rate limit, with Retry-After; refused uploads do not count", async () => {
		// Bob's refused upload above did not count; the limit is 6 accepted versions an hour.
		writeFileSync(join(fx.files, "bob-task.csv"), firstRows(12, 100));
		writeFileSync(join(fx.files, "bob-task.card.yaml"), exampleCard);
		const first = await bob.req("POST", "submissions", fileBody("bob-task.csv", "bob-task.card.yaml"));
		expect(first.json.receipt).toMatchObject({ version: 1, accepted: true });
		bobSubmission = first.json.receipt.submission;
		const statuses: number[] = [];
		let last: Awaited<ReturnType<Client["req"]>> | undefined;
		for (let i = 0; i < 6; i++) {
			const path = `submissions/${bobSubmission}/versions`;
			// A refused upload between each: it is answered and does not count.
			expect((await bob.req("POST", path, fileBody("broken.csv", "broken.card.yaml"))).status).toBe(201);
			last = await bob.req("POST", path, fileBody("bob-task.csv", "bob-task.card.yaml"));
			statuses.push(last.status);
		}
		expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
		expect(last!.json.error).toBe("too many submissions: the limit is 6 accepted version(s) in an hour");
		expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
		const log = (await organiser.req("GET", "audit")).json as Json[];
		expect(log.some((e) => e.outcome === "refused" && e.detail?.startsWith("429"))).toBe(true);
		// Every accepted version is kept; the refused ones are not.
		expect(
			(await bob.req("GET", `submissions/${bobSubmission}`)).json.versions.map((v: Json) => v.version),
		).toEqual([1, 2, 3, 4, 5, 6]);
	});

	it("needs the CSRF token and the app's origin for changes made with a session cookie", async () => {
		const login = await fetch(new URL("api/contest/login", server.url), {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ token: alice.token }),
		});
		expect(login.status).toBe(200);
		const cookie = login.headers.get("set-cookie")!;
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Strict/);
		const { csrf } = (await login.json()) as { csrf: string };
		const session = cookie.split(";")[0]!;
		const post = (headers: Record<string, string>) =>
			fetch(new URL("api/contest/submissions", server.url), {
				method: "POST",
				headers: { cookie: session, "content-type": "application/json", ...headers },
				body: JSON.stringify({ task: { name: "x.csv", content: "" } }),
			});
		expect((await post({})).status).toBe(403);
		expect((await post({ "x-csrf-token": "wrong" })).status).toBe(403);
		expect((await post({ "x-csrf-token": csrf, origin: "https://evil.example" })).status).toBe(403);
		// With the token and its own origin the request gets through to the checks of the body.
		const own = await post({ "x-csrf-token": csrf, origin: server.url.replace(/\/$/, "") });
		expect(own.status).toBe(400);
		// A cookie session reads without the token.
		const me = await fetch(new URL("api/contest/me", server.url), { headers: { cookie: session } });
		expect(((await me.json()) as { principal: { name: string } }).principal.name).toBe("Alice");
		// Unknown tokens are refused, and sign-in attempts are limited per address.
		const statuses: number[] = [];
		for (let i = 0; i < 11; i++) {
			const r = await fetch(new URL("api/contest/login", server.url), {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ token: `guess-${i}` }),
			});
			statuses.push(r.status);
		}
		expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
		expect(statuses.at(-1)).toBe(429);
		const guess = await fetch(new URL("api/contest/me", server.url), {
			headers: { authorization: "Bearer isc_guess" },
		});
		expect(guess.status).toBe(429);
		expect(Number(guess.headers.get("retry-after"))).toBeGreaterThan(0);
	});

	it("refuses sign-ups unless the contest file allows them", async () => {
		const r = await fetch(new URL("api/contest/register", server.url), {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ name: "Eve" }),
		});
		expect(r.status).toBe(403);
		expect(((await r.json()) as { error: string }).error).toContain("does not take sign-ups");
	});

	it("keeps the workbench API and the file system out of reach", async () => {
		for (const path of [
			"api/runs",
			"api/uploads",
			"api/ladders",
			"..%2f..%2fstore.sqlite",
			"contest/../../package.json",
		]) {
			const r = await fetch(new URL(path, server.url), {
				headers: { authorization: `Bearer ${fx.organiserToken}` },
			});
			expect(r.status, path).toBeGreaterThanOrEqual(400);
		}
		const page = await fetch(server.url);
		expect(page.headers.get("x-frame-options")).toBe("DENY");
		expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
		expect(await page.text()).toContain("contest");
	});

	it("exports the round in the release layout", async () => {
		const r = await fetch(new URL("api/contest/rounds/round-1/export.zip", server.url), {
			headers: { authorization: `Bearer ${fx.organiserToken}` },
		});
		expect(r.status).toBe(200);
		const zip = unzipSync(new Uint8Array(await r.arrayBuffer()));
		const names = Object.keys(zip);
		const top = "test-bounty-round-1";
		expect(
			Buffer.from(zip[`${top}/neg-small/neg-small.csv`]!).equals(
				readFileSync(join(fx.files, "neg-small.csv")),
			),
		).toBe(true);
		expect(zip[`${top}/neg-small/neg-small.card.yaml`]).toBeDefined();
		expect(zip[`${top}/neg-small/results/tiny-a.csv`]).toBeDefined();
		expect(zip[`${top}/neg-small/results/labelled_data.jsonl`]).toBeDefined();
		expect(names.some((n) => n.includes("/private/"))).toBe(false);
		const ranking = Buffer.from(zip[`${top}/ranking.csv`]!).toString("utf8").split("\n");
		expect(ranking[0]).toBe("rank,label,task,folder,score,judges,strength,novelty,winner,near_duplicate_of");
		expect(ranking[1]).toMatch(/^1,[A-Z0-9]{6},neg-small,neg-small,3\.5,2,3\.5,3\.5,0,$/);
		const subs = Buffer.from(zip[`${top}/submissions.csv`]!).toString("utf8");
		expect(subs.trim().split("\n")).toHaveLength(4);
		// The release without the private folder names no private model.
		const all = names.map((n) => Buffer.from(zip[n]!).toString("utf8")).join("\n");
		for (const s of fx.secrets) expect(all.includes(s), s).toBe(false);
	});

	it("exports public results fit to publish: model identities, never a server path", async () => {
		const r = await fetch(new URL("api/contest/rounds/round-1/export.zip", server.url), {
			headers: { authorization: `Bearer ${fx.organiserToken}` },
		});
		const zip = unzipSync(new Uint8Array(await r.arrayBuffer()));
		const names = Object.keys(zip);
		const top = "test-bounty-round-1";
		expect(names).toContain(`${top}/neg-small/results/report.html`);
		// No file holds a path of the server's (models, uploads, data folder).
		for (const n of names) {
			const text = Buffer.from(zip[n]!).toString("utf8");
			expect(text.includes(fx.dir), `${n} holds a server path`).toBe(false);
			expect(text.includes(JSON.stringify(fx.dir).slice(1, -1)), `${n} holds a server path`).toBe(false);
		}
		// The models are named by what identifies them anywhere: their name and the file's sha256.
		const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
		const run = JSON.parse(Buffer.from(zip[`${top}/neg-small/results/run.json`]!).toString("utf8"));
		expect(run.models.map((m: Json) => m.source)).toEqual([
			`tiny-a (sha256:${sha(join(fx.dir, "models", "tiny-a.gguf"))})`,
			`tiny-b (sha256:${sha(join(fx.dir, "models", "tiny-b.gguf"))})`,
		]);
		expect(run.task.file).toBe("neg-small.csv");
	});

	it("takes submissions from `invscale submit`, and flags a near-duplicate by content", async () => {
		// A copy of Alice's task with its rows reversed, upper-cased and saved as JSONL.
		const rows = readFileSync(join(fx.files, "neg-small.csv"), "utf8");
		const { parse } = await import("csv-parse/sync");
		const records = parse(rows, { columns: true }) as {
			prompt: string;
			classes: string;
			answer_index: string;
		}[];
		const jsonl = records
			.reverse()
			.map((r) =>
				JSON.stringify({
					prompt: r.prompt.toUpperCase(),
					classes: r.classes,
					answer_index: Number(r.answer_index),
				}),
			)
			.join("\n");
		writeFileSync(join(fx.files, "neg-copy.jsonl"), `${jsonl}\n`);
		writeFileSync(join(fx.files, "neg-copy.card.yaml"), readFileSync(join(fx.files, "neg-small.card.yaml")));
		const ok = await runCli(["submit", join(fx.files, "neg-copy.jsonl"), "--contest", server.url], {
			INVSCALE_CONTEST_TOKEN: alice.token,
		});
		expect(ok.code, ok.stderr).toBe(0);
		const receipt = /accepted: submission (s-[0-9a-f]+) version 1, sha256 ([0-9a-f]{64})/.exec(ok.stdout);
		expect(receipt).not.toBeNull();
		expect(receipt![2]).toBe(
			createHash("sha256")
				.update(readFileSync(join(fx.files, "neg-copy.jsonl")))
				.digest("hex"),
		);
		const copy = (await organiser.req("GET", `submissions/${receipt![1]}`)).json;
		const original = (await organiser.req("GET", `submissions/${aliceSubmission}`)).json;
		expect(copy.duplicates).toEqual([
			{ label: original.blindLabel, submissionId: aliceSubmission, similarity: 1, kind: "submission" },
		]);
		// The earlier submission is not flagged by the later one.
		expect(original.duplicates).toEqual([]);

		const bad = await runCli([
			"submit",
			join(fx.files, "broken.csv"),
			"--contest",
			server.url,
			"--token",
			alice.token,
		]);
		expect(bad.code).toBe(1);
		expect(bad.stdout).toMatch(/broken\.csv:4:\d+ \(row 1\): error: .*not closed/);
		expect(bad.stdout).toContain("not accepted");
		const refused = await runCli([
			"submit",
			join(fx.files, "broken.csv"),
			"--contest",
			server.url,
			"--token",
			"isc_wrong",
		]);
		expect(refused.code).toBe(1);
		// This address used up its sign-in attempts above; guessing a bearer token counts against them too.
		expect(refused.stderr).toContain("(429): too many sign-in attempts");
		for (const s of fx.secrets) expect(ok.stdout + bad.stdout).not.toContain(s);
	});

	it("loses nothing when the server restarts in the middle of scoring", { timeout: 180_000 }, async () => {
		const r = await alice.req(
			"POST",
			`submissions/${aliceSubmission}/versions`,
			fileBody("neg-small.csv", "neg-small.card.yaml"),
		);
		expect(r.json.receipt).toMatchObject({ version: 2, accepted: true });
		await server.close();
		// The organisers now publish the private ladder's verdict to entrants.
		writeFileSync(
			fx.contestFile,
			readFileSync(fx.contestFile, "utf8")
				.replace("private_verdict: false", "private_verdict: true")
				.replace("open_registration: false", "open_registration: true"),
		);
		server = await start();
		expect(server.recoveredAtStart).toBeGreaterThan(0);
		const view = await waitScored(aliceSubmission);
		expect(view.scored).toBe(2);
		expect(view.runs.public.status).toBe("complete");
		expect(view.runs.private.status).toBe("complete");
		// Entrants get the verdict of each metric, nothing about the models.
		const verdict = await alice.req("GET", `submissions/${aliceSubmission}/results/private`);
		expect(verdict.status).toBe(200);
		expect(verdict.json.version).toBe(2);
		expect(Object.keys(verdict.json)).toEqual(["version", "verdicts"]);
		expect(verdict.json.verdicts.map((v: Json) => Object.keys(v).sort())).toEqual([
			["label", "metric", "verdict"],
			["label", "metric", "verdict"],
		]);
		expect(verdict.text).not.toMatch(/private-1|models|mean/);
		// Another entrant still may not.
		expect((await bob.req("GET", `submissions/${aliceSubmission}/results/private`)).status).toBe(403);
	});

	it("signs up entrants when the contest takes them, a few per address", async () => {
		const signUp = (name: string) =>
			fetch(new URL("api/contest/register", server.url), {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ name }),
			});
		const first = await signUp("Newcomer");
		expect(first.status).toBe(201);
		const { token, user } = (await first.json()) as { token: string; user: { role: string } };
		expect(user.role).toBe("entrant");
		const me = (await client("newcomer", token, true).req("GET", "me")).json;
		expect(me.principal).toMatchObject({ name: "Newcomer", role: "entrant" });
		expect((await signUp("Second")).status).toBe(201);
		expect((await signUp("Third")).status).toBe(201);
		const fourth = await signUp("Fourth");
		expect(fourth.status).toBe(429);
		expect(((await fourth.json()) as { error: string }).error).toContain("the limit is 3 in an hour");
		const info = (await (await fetch(new URL("api/contest/public", server.url))).json()) as Json;
		expect(Object.keys(info).sort()).toEqual(["name", "openRegistration", "rounds"]);
	});

	it("answers an unexpected failure with a plain 500 that names no server path", async () => {
		const view = (await organiser.req("GET", `submissions/${aliceSubmission}`)).json;
		const manifest = join(fx.dir, "data", "runs", view.runs.public.id, "neg-small", "run.json");
		renameSync(manifest, `${manifest}.moved`);
		try {
			const r = await judge1.req("GET", `submissions/${aliceSubmission}/results/public`);
			expect(r.status).toBe(500);
			expect(r.json.error).toBe("the server could not do this");
			expect(r.text).not.toContain(fx.dir);
		} finally {
			renameSync(`${manifest}.moved`, manifest);
		}
	});

	it("shows the entrant her judgements once the round is published, the judges numbered", async () => {
		expect((await organiser.req("POST", "rounds/round-1/publish", { published: true })).status).toBe(200);
		const r = await alice.req("GET", `submissions/${aliceSubmission}/judgements`);
		expect(r.status).toBe(200);
		// Jo was added first: judge 1, listed first.
		expect(r.json.judgements.map((j: Json) => [j.judge, j.scores.strength.comment])).toEqual([
			["judge 1", "clean"],
			["judge 2", "ok"],
		]);
		expect(r.text).not.toMatch(/Jo Judge|Kim Judge|judgeId/);
		expect((await bob.req("GET", `submissions/${aliceSubmission}/judgements`)).status).toBe(403);
	});

	it("never sent an entrant or a judge a private model name, address or key", () => {
		expect(seen.length).toBeGreaterThan(20);
		for (const { who, body } of seen)
			for (const s of fx.secrets) expect(body.includes(s), `${who} got ${s}`).toBe(false);
	});
});
