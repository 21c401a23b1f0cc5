/**
 * A whole contest in Chromium, against `invscale contest CONTEST.yaml` as a child process: random
 * GGUF models as the public ladder, two in-repo OpenAI test servers as the private ladder. The
 * organiser hands out tokens; two entrants submit (one sees its row-level errors); the valid task
 * is scored on the private ladder; two judges score it blind; the ranking and the export appear.
 * Every byte the entrants' and judges' browsers receive is searched for the private ladder's names,
 * addresses and key.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContestFixture, makeContest } from "../contest/contest-fixture.js";
import { browserTestsRun, launchChromium } from "../helpers/browser.js";
import { type ServeProcess, serve } from "./serve-process.js";

let fx: ContestFixture;
let browser: Browser;
let app: ServeProcess;
/** Bodies of every answer an entrant's or a judge's browser got. */
const received: { who: string; url: string; body: Buffer }[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	if (!browserTestsRun) return;
	fx = await makeContest({ submissionsPerHour: 10 });
	[app, browser] = await Promise.all([
		serve(["--data-dir", join(fx.dir, "data"), "--store", join(fx.dir, "store.sqlite")], fx.env, [
			"contest",
			fx.contestFile,
		]),
		launchChromium(),
	]);
});

afterAll(async () => {
	for (const c of contexts) await c.close().catch(() => {});
	await browser?.close();
	await app?.stop();
	await fx?.close();
});

async function signIn(token: string, who: string | null): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
	contexts.push(context);
	if (who) {
		context.on("response", async (response) => {
			try {
				received.push({
					who,
					url: response.url(),
					body: Buffer.concat([
						Buffer.from(JSON.stringify(await response.allHeaders())),
						await response.body(),
					]),
				});
			} catch {
				// A redirect or an aborted request has no body.
			}
		});
	}
	const page = await context.newPage();
	await page.goto(app.url);
	await page.fill("#token-input", token);
	await page.click("#signin-form button[type=submit]");
	await page.waitForSelector("#whoami:not([hidden])");
	return page;
}

async function addPerson(page: Page, name: string, role: string): Promise<string> {
	await page.fill("#person-name", name);
	await page.selectOption("#person-role", role);
	await page.click("#person-add");
	await expect.poll(() => page.textContent("#new-token")).toContain(name);
	return (await page.textContent("#token-value"))!;
}

/** A request made by the page's own script, with the session's CSRF token. */
function pageFetch(page: Page, method: string, path: string, body?: unknown) {
	return page.evaluate(
		async ({ method, path, body }) => {
			const me = await (await fetch("/api/contest/me")).json();
			const res = await fetch(`/api/contest/${path}`, {
				method,
				headers: { "content-type": "application/json", "x-csrf-token": me.csrf },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: res.status, body: await res.json() };
		},
		{ method, path, body },
	);
}

describe.skipIf(!browserTestsRun)("a contest in the browser", () => {
	it("runs from the organiser's setup through submissions, scoring and blind judging to the ranking and the export", {
		timeout: 240_000,
	}, async () => {
		// The organiser signs in with the token named in the contest file and hands out tokens.
		const organiser = await signIn(fx.organiserToken, null);
		expect(await organiser.textContent("#whoami")).toContain("organiser");
		expect(await organiser.textContent("#overview-body")).toContain("Private ladder: 2 model(s), not named");
		const alice = await addPerson(organiser, "Alice", "entrant");
		const bob = await addPerson(organiser, "Bob", "entrant");
		const jo = await addPerson(organiser, "Jo", "judge");
		const kim = await addPerson(organiser, "Kim", "judge");
		// The table is redrawn after each addition: wait for the last row, not for a moment.
		await expect.poll(() => organiser.locator("#people-table tbody tr").count()).toBe(5);

		// Alice submits a valid task with its card and gets a receipt.
		const a = await signIn(alice, "alice");
		await a.setInputFiles("#task-file", join(fx.files, "neg-small.csv"));
		await a.setInputFiles("#card-file", join(fx.files, "neg-small.card.yaml"));
		await a.click("#submit-button");
		await a.waitForSelector("#receipt");
		expect(await a.textContent("#receipt")).toContain("Accepted");
		const sha = (await a.textContent("#receipt-sha"))!;
		expect(sha).toMatch(/^[0-9a-f]{64}$/);
		const aliceId = (await a.textContent("#receipt-id"))!;

		// Bob's file has errors: he sees each at its row and line, and nothing is scored.
		const b = await signIn(bob, "bob");
		await b.setInputFiles("#task-file", join(fx.files, "broken.csv"));
		await b.setInputFiles("#card-file", join(fx.files, "broken.card.yaml"));
		await b.click("#submit-button");
		await b.waitForSelector("#receipt");
		expect(await b.textContent("#receipt")).toContain("Not accepted");
		const classes = b.locator('#errors-list li[data-row="1"][data-line="4"]');
		expect(await classes.textContent()).toContain("not closed");
		expect(await classes.locator("pre").textContent()).toContain(`"Q: Is a pine not a tree?"`);
		expect(await b.textContent('#errors-list li[data-row="2"][data-line="5"]')).toContain(
			"answer_index 5 is out of range",
		);
		expect(await b.textContent('#errors-list li[data-code="contest-min-examples"]')).toContain("at least 10");
		// A file over the limit is refused by the server too, naming the limit.
		const oversize = await pageFetch(b, "POST", "submissions", {
			task: { name: "big.csv", content: "QUFB".repeat(375_000) },
		});
		expect(oversize.status).toBe(413);
		expect(oversize.body.error).toBe("the task file is 1.1 MB, over the limit of 1 MB");
		// Bob cannot see Alice's submission, from his own page's script either.
		const peek = await pageFetch(b, "GET", `submissions/${aliceId}`);
		expect(peek.status).toBe(403);

		// The organiser watches Alice's task being scored on both ladders.
		await organiser.reload();
		await organiser.waitForSelector(`#all-submissions tr[data-id="${aliceId}"]`);
		await expect
			.poll(
				async () => {
					await organiser.reload();
					await organiser.waitForSelector(`#all-submissions tr[data-id="${aliceId}"]`);
					return organiser.textContent(`#all-submissions tr[data-id="${aliceId}"] td.private`);
				},
				{ timeout: 120_000, interval: 1000 },
			)
			.toBe("Complete");
		await organiser.click(`#all-submissions tr[data-id="${aliceId}"] button.open`);
		await organiser.waitForSelector("#private-results .verdict");
		expect(await organiser.textContent("#private-results")).toContain("zeta-secret-large-7x");

		// Alice sees her public-ladder results, never the private ones.
		await a.reload();
		await a.waitForSelector(`#my-submissions tr[data-id="${aliceId}"]`);
		await a.click(`#my-submissions tr[data-id="${aliceId}"] button.open`);
		await a.waitForSelector("#public-results .verdict");
		// The submission has its own address, which opens it again after a reload.
		expect(await a.evaluate(() => location.hash)).toBe(`#submission/${aliceId}`);
		await a.reload();
		await a.waitForSelector("#public-results .verdict");
		expect(await a.locator('#public-results table[data-metric="loss"] tr[data-model]').count()).toBe(2);
		expect(await a.locator("#private-results").count()).toBe(0);
		const privateTry = await pageFetch(a, "GET", `submissions/${aliceId}/results/private`);
		expect(privateTry.status).toBe(403);

		// Jo judges blind: the label, the card without authors, both ladders with the private models unnamed.
		const j = await signIn(jo, "jo");
		await j.waitForSelector("#judge-queue tbody tr");
		expect(await j.locator("#judge-queue tbody tr").count()).toBe(1);
		await j.click("#judge-queue tbody tr button.open");
		await j.waitForSelector("#private-results .verdict");
		expect(
			await j
				.locator('#private-results table[data-metric="loss"] tr[data-model]')
				.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-model"))),
		).toEqual(["private-1", "private-2"]);
		// The contest does not show the private sizes: the judge sees ranks, smallest first.
		expect(await j.locator('#private-results table[data-metric="loss"] td.x').allTextContents()).toEqual([
			"1",
			"2",
		]);
		expect(await j.textContent("#private-results")).toContain("Size rank");
		expect(await j.textContent("#card-table")).toContain("Negation QA (12 rows)");
		expect(await j.textContent("#card-table")).not.toContain("invscale contributors");
		expect(await j.isVisible("#others-hidden")).toBe(true);
		const [data] = await Promise.all([j.waitForEvent("download"), j.click("#data-link")]);
		expect(readFileSync((await data.path())!).equals(readFileSync(join(fx.files, "neg-small.csv")))).toBe(
			true,
		);
		// The download goes by the blind label, not by the entrant's file name.
		const label = (await j.textContent("#detail-label"))!;
		expect(data.suggestedFilename()).toBe(`${label}.csv`);
		await j.selectOption("#score-strength", "4");
		await j.fill("#comment-strength", "clean, monotonic");
		await j.selectOption("#score-novelty", "2");
		await j.fill("#comment-novelty", "a known effect");
		await j.click("#rubric-save");
		await j.waitForSelector("#others-table");
		expect(await j.textContent("#others-table")).toContain("No other judge");

		// Kim sees nothing of Jo's until she has scored; then she sees Jo's scores.
		const k = await signIn(kim, "kim");
		await k.click("#judge-queue tbody tr button.open");
		await k.waitForSelector("#rubric-form");
		expect(await k.isVisible("#others-hidden")).toBe(true);
		const early = await pageFetch(k, "GET", `submissions/${aliceId}/judgements`);
		expect(early.status).toBe(403);
		await k.selectOption("#score-strength", "3");
		await k.fill("#comment-strength", "clear enough");
		await k.selectOption("#score-novelty", "5");
		await k.fill("#comment-novelty", "new to me");
		await k.click("#rubric-save");
		await k.waitForSelector("#others-table tbody tr");
		expect(await k.textContent("#others-table tbody")).toMatch(/judge 1\s*4\s*2/);
		// Kim cannot change Jo's scores.
		const joId = await j.evaluate(async () => (await (await fetch("/api/contest/me")).json()).principal.id);
		const overwrite = await pageFetch(k, "PUT", `submissions/${aliceId}/judgements/${joId}`, {
			scores: { strength: { score: 1, comment: "" }, novelty: { score: 1, comment: "" } },
		});
		expect(overwrite.status).toBe(403);
		expect(overwrite.body.error).toContain("only their own scores");

		// The organiser ranks, marks the winner and downloads the export.
		await organiser.reload();
		await organiser.waitForSelector(`#all-submissions tr[data-id="${aliceId}"] input.winner`);
		await organiser.check(`#all-submissions tr[data-id="${aliceId}"] input.winner`);
		await organiser.click("#ranking-refresh");
		await organiser.waitForSelector(`#ranking-table tr[data-id="${aliceId}"]`);
		// (3·4 + 1·2)/4 = 3.5 for Jo and (3·3 + 1·5)/4 = 3.5 for Kim.
		expect(await organiser.textContent(`#ranking-table tr[data-id="${aliceId}"] td.score`)).toBe("3.50");
		expect(await organiser.textContent(`#ranking-table tr[data-id="${aliceId}"] td.rank`)).toBe("1");
		const [download] = await Promise.all([
			organiser.waitForEvent("download"),
			organiser.click("#export-link"),
		]);
		const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
		const top = "test-bounty-round-1";
		expect(
			Buffer.from(zip[`${top}/neg-small/neg-small.csv`]!).equals(
				readFileSync(join(fx.files, "neg-small.csv")),
			),
		).toBe(true);
		expect(zip[`${top}/neg-small/results/tiny-b.csv`]).toBeDefined();
		expect(Buffer.from(zip[`${top}/README.md`]!).toString()).toContain("neg-small");
		expect(Buffer.from(zip[`${top}/ranking.csv`]!).toString().split("\n")[1]).toMatch(
			/^1,\w{6},neg-small,neg-small,3\.5,2,3\.5,3\.5,1,$/,
		);

		// Once published, everyone sees the ranking and the winner's report.
		await organiser.click("#publish-button");
		await expect.poll(() => organiser.textContent("#publish-button")).toBe("Unpublish");
		await b.reload();
		await b.waitForSelector("#ranking-view:not([hidden])");
		await b.click("#ranking-refresh");
		await b.waitForSelector(`#ranking-table tr[data-id="${aliceId}"] button.report`);
		expect(await b.textContent(`#ranking-table tr[data-id="${aliceId}"] td.score`)).toBe("3.50");
		await b.click(`#ranking-table tr[data-id="${aliceId}"] button.report`);
		await b.waitForSelector("#winner-results .verdict");
		expect(await b.locator('#winner-results table[data-metric="loss"] tr[data-model]').count()).toBe(2);
		// Alice now reads the judges' scores and comments, the judges numbered.
		await a.reload();
		await a.waitForSelector("#my-judgements");
		expect(await a.textContent("#my-judgements")).toContain("clean, monotonic");
		expect(await a.textContent("#my-judgements")).not.toMatch(/Jo|Kim/);

		// Every refusal above is in the audit log, with who asked.
		await organiser.click("#audit-refresh");
		const refusals = await organiser.locator('#audit-table tr[data-outcome="refused"]').allTextContents();
		expect(refusals.filter((t) => t.includes("403")).length).toBeGreaterThanOrEqual(4);
		expect(refusals.some((t) => t.includes("judge") && t.includes("judgements"))).toBe(true);

		if (process.env.INVSCALE_SCREENSHOTS === "1") {
			const img = join(fx.dir, "..", "contest-screenshots");
			mkdirSync(img, { recursive: true });
			await j.screenshot({ path: join(img, "judge.png"), fullPage: true });
			await organiser.screenshot({ path: join(img, "organiser.png"), fullPage: true });
			await b.screenshot({ path: join(img, "entrant.png"), fullPage: true });
		}

		// Nothing an entrant's or a judge's browser received names the private ladder.
		expect(received.length).toBeGreaterThan(20);
		for (const r of received)
			for (const s of fx.secrets) expect(r.body.includes(s), `${r.who} got ${s} from ${r.url}`).toBe(false);
	});
});
