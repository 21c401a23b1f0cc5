/** The contest file, near-duplicate detection, the weighted ranking, and rounds closing on revisions. */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { blind } from "../../src/contest/blind.js";
import { ContestApp } from "../../src/contest/contest-app.js";
import {
	ContestFileError,
	loadContestFile,
	parseContest,
	privateStrings,
} from "../../src/contest/contest-file.js";
import { ContestStore } from "../../src/contest/contest-store.js";
import { fingerprint, normalise, similarity } from "../../src/contest/near-duplicates.js";
import { rank } from "../../src/contest/ranking.js";
import { hashToken } from "../../src/contest/tokens.js";
import { RunManager } from "../../src/server/run-manager.js";
import { openStore } from "../../src/store/index.js";
import type { ClassificationExample } from "../../src/tasks/types.js";
import { createPrng } from "../../src/util/prng.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";
import { brokenTask, exampleCard, firstRows } from "./contest-fixture.js";

afterAll(removeTempStores);

const base = {
	name: "Unit Bounty",
	rounds: [{ id: "round-1", opens: "2027-01-01", closes: "2027-02-01" }],
	public_ladder: { name: "pub", models: [{ name: "a", file: "a.gguf" }] },
	private_ladder: {
		name: "priv",
		models: [
			{
				name: "secret",
				openai: { base_url: "http://10.1.2.3:8000/v1", model: "secret-70b", api_key_env: "K" },
			},
		],
	},
	rubric: { criteria: [{ id: "strength", label: "Strength", weight: 2 }] },
	people: [{ name: "O", role: "organiser", token_sha256: hashToken("t") }],
};

describe("the contest file", () => {
	it("reads rounds, ladders, rules with defaults and people", () => {
		const c = parseContest(base, "/srv/contest.yaml");
		expect(c.id).toBe("unit-bounty");
		expect(c.rounds[0]).toEqual({
			id: "round-1",
			name: "round-1",
			opens: "2027-01-01T00:00:00.000Z",
			closes: "2027-02-01T00:00:00.000Z",
		});
		expect(c.publicLadder.models[0]!.source).toEqual({ kind: "file", path: "/srv/a.gguf" });
		expect(c.rules).toEqual({
			minExamples: 300,
			requireCard: true,
			maxUploadBytes: 20 * 1024 * 1024,
			submissionsPerHour: 10,
		});
		expect(c.rubric).toEqual({
			min: 1,
			max: 5,
			criteria: [{ id: "strength", label: "Strength", weight: 2 }],
		});
		expect(privateStrings(c)).toEqual(
			expect.arrayContaining([
				"secret",
				"secret-70b",
				"http://10.1.2.3:8000/v1",
				"10.1.2.3:8000",
				"K",
				"priv",
			]),
		);
	});

	it("names the field of each problem", () => {
		const bad = (patch: object) => {
			try {
				parseContest({ ...base, ...patch }, "/srv/contest.yaml");
			} catch (e) {
				expect(e).toBeInstanceOf(ContestFileError);
				return (e as Error).message;
			}
			throw new Error("accepted");
		};
		expect(bad({ rounds: [{ id: "Round 1", opens: "2027-01-01", closes: "2027-02-01" }] })).toContain(
			"rounds entry 1: id: must be lower-case",
		);
		expect(bad({ rounds: [{ id: "r", opens: "2027-03-01", closes: "2027-02-01" }] })).toContain(
			"closes must come after opens",
		);
		expect(bad({ rounds: [{ id: "r", opens: "soon", closes: "2027-02-01" }] })).toContain(
			'"soon" is not a date',
		);
		expect(bad({ people: [{ name: "O", role: "boss", token_sha256: hashToken("t") }] })).toContain("role");
		expect(bad({ people: [{ name: "O", role: "judge", token_sha256: "short" }] })).toContain("--new-token");
		expect(bad({ rules: { task_types: ["multiple_choice"] } })).toContain('unknown type "multiple_choice"');
		expect(bad({ rubric: { min: 5, max: 1, criteria: base.rubric.criteria } })).toContain(
			"min (5) must be below max (1)",
		);
	});

	it("reads a YAML file and points at its line when it is not YAML", () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-contest-file-"));
		writeFileSync(join(dir, "c.yaml"), "name: [unclosed\n");
		expect(() => loadContestFile(join(dir, "c.yaml"))).toThrow(/c\.yaml:\d+:\d+: not valid YAML/);
	});
});

function task(prompts: string[]): ClassificationExample[] {
	return prompts.map(
		(prompt, index) =>
			({
				kind: "classification",
				index,
				prompt,
				classes: [" Yes", " No"],
				answerIndex: 0,
			}) as ClassificationExample,
	);
}

describe("near-duplicates", () => {
	const rng = createPrng(3);
	const words = [
		"cat",
		"dog",
		"tree",
		"river",
		"stone",
		"cloud",
		"bread",
		"lamp",
		"chair",
		"bird",
		"ship",
		"rose",
	];
	const pick = () => words[rng.nextInt(words.length)];
	const original = Array.from(
		{ length: 200 },
		(_, i) => `Q: Is a ${pick()} not a ${pick()} near the ${pick()} number ${i}? A:`,
	);

	it("normalises case, digits and punctuation", () => {
		expect(normalise("Q: Is 12 apples NOT 3?")).toBe("q is 0 apples not 0");
	});

	it("sees a renumbered, re-cased, reordered copy as the same task, and an unrelated task as different", () => {
		const copy = original.map((p) => p.toUpperCase().replace(/\d+/g, (d) => String(Number(d) + 7))).reverse();
		const other = Array.from(
			{ length: 200 },
			(_, i) => `Translate the word ${i} into French, then ${words[i % 12]} it.`,
		);
		const a = fingerprint(task(original));
		expect(similarity(a, fingerprint(task(copy)))).toBe(1);
		expect(similarity(a, fingerprint(task(other)))).toBeLessThan(0.1);
	});

	it("estimates the Jaccard similarity of the shingle sets", () => {
		// Half the rows kept, half replaced: compare with the exact Jaccard of the two shingle sets.
		const half = [
			...original.slice(0, 100),
			...Array.from({ length: 100 }, (_, i) => `Name a colour that rhymes with ${words[i % 12]} ${i} please`),
		];
		const sets = [original, half].map((p) => {
			const s = new Set<string>();
			for (const text of p) {
				const w = normalise(`${text}  Yes  No`).split(" ");
				for (let i = 0; i + 3 <= w.length; i++) s.add(w.slice(i, i + 3).join(" "));
			}
			return s;
		});
		const inter = [...sets[0]!].filter((x) => sets[1]!.has(x)).length;
		const exact = inter / (sets[0]!.size + sets[1]!.size - inter);
		const estimate = similarity(fingerprint(task(original)), fingerprint(task(half)));
		// 128 slots: the standard error of the estimate is at most 0.5/√128 ≈ 0.044.
		expect(Math.abs(estimate - exact)).toBeLessThan(0.15);
		expect(exact).toBeGreaterThan(0.1);
		expect(exact).toBeLessThan(0.9);
	});
});

describe("rank", () => {
	const criteria = [
		{ id: "strength", label: "S", weight: 3 },
		{ id: "novelty", label: "N", weight: 1 },
	];
	const j = (s: number, n: number, judgeId = "j") => ({
		submissionId: "",
		judgeId,
		version: 1,
		updatedAt: "",
		scores: { strength: { score: s, comment: "" }, novelty: { score: n, comment: "" } },
	});

	it("averages each judge's weighted mean, shares ranks on ties and puts the unjudged last", () => {
		const rows = rank(criteria, [
			{ submissionId: "a", judgements: [j(5, 1, "x"), j(4, 4, "y")] }, // (16/4 + 16/4)/2 = 4
			{ submissionId: "b", judgements: [] },
			{ submissionId: "c", judgements: [j(4, 4)] }, // 4
			{ submissionId: "d", judgements: [j(5, 5)] }, // 5
		]);
		expect(rows.map((r) => [r.submissionId, r.rank, r.score])).toEqual([
			["d", 1, 5],
			["a", 2, 4],
			["c", 2, 4],
			["b", null, null],
		]);
		expect(rows[1]!.criteria).toEqual({ strength: 4.5, novelty: 2.5 });
	});
});

describe("rounds", () => {
	it("keeps every accepted version until the round closes, then refuses revisions and new submissions", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-contest-round-"));
		const store = openStore(tempStorePath());
		const config = parseContest({ ...base, rules: { min_examples: 1 } }, join(dir, "c.yaml"));
		let now = new Date("2027-01-15T00:00:00Z");
		// The public ladder's model file does not exist: the queued runs fail, which this test does not need.
		const runs = new RunManager(store, { runsDir: join(dir, "runs"), storeFile: store.path });
		const app = new ContestApp({ config, store, runs, dataDir: dir, now: () => now });
		const entrant = app.store.addUser("E", "entrant", "test").user;
		const p = { id: entrant.id, name: entrant.name, role: entrant.role };
		const card = { name: "t.card.yaml", bytes: Buffer.from(exampleCard) };
		const files = { task: { name: "t.csv", bytes: Buffer.from(firstRows(5)) }, card };
		const first = await app.submit(p, files);
		expect(first.receipt).toMatchObject({ version: 1, accepted: true });
		const id = first.receipt.submission!;
		// A refused revision is answered with its problems and not kept.
		const refused = await app.submit(
			p,
			{ task: { name: "t.csv", bytes: Buffer.from(brokenTask) }, card },
			id,
		);
		expect(refused.receipt).toMatchObject({ submission: id, version: null, accepted: false });
		const second = await app.submit(p, files, id);
		expect(second.receipt.version).toBe(2);
		now = new Date("2027-02-01T00:00:00Z");
		await expect(app.submit(p, files, id)).rejects.toThrow(/round round-1 has closed/);
		await expect(app.submit(p, files)).rejects.toThrow(/no round is open/);
		expect(app.store.versions(id).map((v) => v.version)).toEqual([1, 2]);
		await runs.shutdown();
		store.close();
	});
});

describe("people from the contest file", () => {
	it("signs in by token, and loses the token once taken out of the file", () => {
		const store = openStore(tempStorePath());
		const people = new ContestStore(store.db, "c");
		people.syncPeople([
			{ name: "O", role: "organiser", tokenSha256: hashToken("tok-o") },
			{ name: "J", role: "judge", tokenSha256: hashToken("tok-j") },
		]);
		expect(people.userByToken("tok-j")?.role).toBe("judge");
		const { session } = people.createSession(people.userByToken("tok-j")!.id);
		expect(people.session(session)?.user.name).toBe("J");
		// Another contest in the same store does not know these tokens.
		expect(new ContestStore(store.db, "other").userByToken("tok-j")).toBeUndefined();
		people.syncPeople([{ name: "O", role: "organiser", tokenSha256: hashToken("tok-o") }]);
		expect(people.userByToken("tok-j")).toBeUndefined();
		expect(people.session(session)).toBeUndefined();
		expect(people.userByToken("tok-o")?.name).toBe("O");
		store.close();
	});
});

describe("the submission limit", () => {
	it("counts accepted versions only, from the store, so a restart neither resets nor forgets it", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-contest-limit-"));
		const store = openStore(tempStorePath());
		const day = 86_400_000;
		const config = parseContest(
			{
				...base,
				rounds: [
					{
						id: "r",
						opens: new Date(Date.now() - day).toISOString(),
						closes: new Date(Date.now() + day).toISOString(),
					},
				],
				rules: { min_examples: 1, submissions_per_hour: 2 },
			},
			join(dir, "c.yaml"),
		);
		// The public ladder's model file does not exist: the queued runs fail, which this test does not need.
		const runs = new RunManager(store, { runsDir: join(dir, "runs"), storeFile: store.path });
		const card = { name: "t.card.yaml", bytes: Buffer.from(exampleCard) };
		const good = { task: { name: "t.csv", bytes: Buffer.from(firstRows(5)) }, card };
		const broken = { task: { name: "t.csv", bytes: Buffer.from(brokenTask) }, card };
		const first = new ContestApp({ config, store, runs, dataDir: dir });
		const e = first.store.addUser("E", "entrant", "test").user;
		const p = { id: e.id, name: e.name, role: e.role };
		// An entrant fixing errors is not held back: refused uploads count for nothing and leave nothing.
		for (let i = 0; i < 4; i++) {
			const refused = await first.submit(p, broken);
			expect(refused.receipt).toMatchObject({ submission: null, version: null, accepted: false });
		}
		expect(first.store.submissions({ entrantId: e.id })).toEqual([]);
		expect(readdirSync(join(dir, "contest-uploads"))).toEqual([]);
		const a = await first.submit(p, good);
		await first.submit(p, good, a.receipt.submission!);
		await expect(first.submit(p, good)).rejects.toThrow(
			"too many submissions: the limit is 2 accepted version(s) in an hour",
		);
		// At the limit a file is still checked (and not kept); the refused upload over the limit is not kept either.
		expect((await first.submit(p, broken)).receipt.accepted).toBe(false);
		expect(readdirSync(join(dir, "contest-uploads"))).toHaveLength(2);
		// A server started again on the same store counts the same two.
		await runs.shutdown();
		const runs2 = new RunManager(store, { runsDir: join(dir, "runs"), storeFile: store.path });
		const second = new ContestApp({ config, store, runs: runs2, dataDir: dir });
		await expect(second.submit(p, good)).rejects.toMatchObject({ status: 429 });
		// Another entrant is not limited by E's submissions.
		const f = second.store.addUser("F", "entrant", "test").user;
		await expect(second.submit({ id: f.id, name: f.name, role: f.role }, good)).resolves.toBeDefined();
		await runs2.shutdown();
		store.close();
	});
});

describe("earlier winners", () => {
	it("flags a submission too close to a winner the contest file names", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-contest-winners-"));
		writeFileSync(join(dir, "negation-qa.csv"), firstRows(30));
		const store = openStore(tempStorePath());
		const day = 86_400_000;
		const config = parseContest(
			{
				...base,
				rounds: [
					{
						id: "r",
						opens: new Date(Date.now() - day).toISOString(),
						closes: new Date(Date.now() + day).toISOString(),
					},
				],
				rules: { min_examples: 1 },
				previous_winners: ["negation-qa.csv"],
			},
			join(dir, "c.yaml"),
		);
		// The public ladder's model file does not exist: the queued runs fail, which this test does not need.
		const runs = new RunManager(store, { runsDir: join(dir, "runs"), storeFile: store.path });
		const app = new ContestApp({ config, store, runs, dataDir: dir });
		await app.loadPreviousWinners();
		const e = app.store.addUser("E", "entrant", "test").user;
		const o = app.store.addUser("O", "organiser", "test").user;
		const card = { name: "t.card.yaml", bytes: Buffer.from(exampleCard) };
		const copy = await app.submit(
			{ id: e.id, name: e.name, role: e.role },
			{ task: { name: "t.csv", bytes: Buffer.from(firstRows(20)) }, card },
		);
		const fresh = await app.submit(
			{ id: e.id, name: e.name, role: e.role },
			{ task: { name: "u.csv", bytes: Buffer.from(firstRows(20, 200)) }, card },
		);
		const view = (id: string) =>
			app.view({ id: o.id, name: o.name, role: o.role }, id) as {
				duplicates: { label: string; similarity: number; kind: string }[];
			};
		const flags = view(copy.receipt.submission!).duplicates;
		expect(flags).toHaveLength(1);
		expect(flags[0]).toMatchObject({ label: "earlier winner negation-qa", kind: "winner" });
		// 20 of the winner's 30 rows: the shingle sets overlap by about two thirds.
		expect(flags[0]!.similarity).toBeGreaterThan(0.5);
		expect(view(fresh.receipt.submission!).duplicates.filter((d) => d.kind === "winner")).toEqual([]);
		await runs.shutdown();
		store.close();
	});
});

describe("require_card", () => {
	async function submitWithCard(card: string, rules: Record<string, unknown> = {}) {
		const dir = mkdtempSync(join(tmpdir(), "invscale-contest-card-"));
		const store = openStore(tempStorePath());
		const day = 86_400_000;
		const config = parseContest(
			{
				...base,
				rounds: [
					{
						id: "r",
						opens: new Date(Date.now() - day).toISOString(),
						closes: new Date(Date.now() + day).toISOString(),
					},
				],
				rules: { min_examples: 1, ...rules },
			},
			join(dir, "c.yaml"),
		);
		// The public ladder's model file does not exist: a queued run fails, which this test does not need.
		const runs = new RunManager(store, { runsDir: join(dir, "runs"), storeFile: store.path });
		const app = new ContestApp({ config, store, runs, dataDir: dir });
		const e = app.store.addUser("E", "entrant", "test").user;
		try {
			return await app.submit(
				{ id: e.id, name: e.name, role: e.role },
				{
					task: { name: "t.csv", bytes: Buffer.from(firstRows(5)) },
					card: { name: "t.card.yaml", bytes: Buffer.from(card) },
				},
			);
		} finally {
			await runs.shutdown();
			store.close();
		}
	}

	it("refuses a card that does not validate, with the card validator's line and field", async () => {
		const cases: [string, string, { code: string; line: number; message: RegExp }][] = [
			["invalid YAML", "name: a\nname: b\n", { code: "card-invalid", line: 2, message: /not valid YAML/ }],
			["empty", "", { code: "card-invalid", line: 1, message: /must be a YAML mapping/ }],
			[
				"a list",
				"- name: a\n- licence: b\n",
				{ code: "card-invalid", line: 1, message: /must be a YAML mapping/ },
			],
			[
				"only a name",
				"name: x\n",
				{ code: "card-incomplete", line: 1, message: /lacks description, correct_behaviour, .*authors/ },
			],
			[
				"a field of the wrong kind",
				exampleCard.replace("shots: zero-shot", "shots: many"),
				{ code: "card-invalid", line: 7, message: /the card's shots is not valid/ },
			],
		];
		for (const [what, card, expected] of cases) {
			const r = await submitWithCard(card);
			expect(r.receipt.accepted, what).toBe(false);
			const errors = r.validation.errors;
			expect(errors, what).toContainEqual(
				expect.objectContaining({
					severity: "error",
					file: "t.card.yaml",
					code: expected.code,
					line: expected.line,
				}),
			);
			expect(errors.find((d) => d.file === "t.card.yaml")!.message, what).toMatch(expected.message);
			expect(errors.find((d) => d.file === "t.card.yaml")!.fix, what).toContain(
				"this contest needs a complete card",
			);
			// The same problem is not listed again as a warning.
			expect(
				r.validation.warnings.filter((w) => w.code === expected.code),
				what,
			).toEqual([]);
		}
		// The example's complete card is taken; without require_card a broken card is a warning only.
		expect((await submitWithCard(exampleCard)).receipt.accepted).toBe(true);
		const lax = await submitWithCard("name: x\n", { require_card: false });
		expect(lax.receipt.accepted).toBe(true);
		expect(lax.validation.warnings.map((w) => w.code)).toContain("card-incomplete");
	});
});

describe("private_ladder.show_sizes", () => {
	it("is off unless the contest file turns it on, and is no ladder field", () => {
		expect(parseContest(base, "/srv/c.yaml").showPrivateSizes).toBe(false);
		const shown = parseContest(
			{ ...base, private_ladder: { ...base.private_ladder, show_sizes: true } },
			"/srv/c.yaml",
		);
		expect(shown.showPrivateSizes).toBe(true);
		expect(shown.privateLadder.models.map((m) => m.name)).toEqual(["secret"]);
		expect(() =>
			parseContest({ ...base, private_ladder: { ...base.private_ladder, show_sizes: "yes" } }, "/srv/c.yaml"),
		).toThrow(/private_ladder: show_sizes: .*expected boolean/);
	});
});

describe("blind labels", () => {
	it("replaces the entrant's file names as whole names in every string, and a task's name where it is the whole string", () => {
		const names = { label: "KQ7", files: ["zq-neg.card.yaml", "zq-neg.csv", "a.csv"], tasks: ["zq-neg"] };
		const answer = {
			message: "zq-neg.csv:3:1 and /up/zq-neg.card.yaml; data.csv is not a.csv",
			nested: [{ name: "zq-neg" }, { name: "zq-negative" }],
			n: 3,
			none: null,
		};
		expect(blind(answer, names)).toEqual({
			message: "KQ7.csv:3:1 and /up/KQ7.card.yaml; data.csv is not KQ7.csv",
			nested: [{ name: "KQ7" }, { name: "zq-negative" }],
			n: 3,
			none: null,
		});
	});
});
