import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium } from "../helpers/browser.js";
import { randomModel, STORIES_260K } from "../helpers/models.js";
import { type ServeProcess, serve } from "./serve-process.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const example = readFileSync(join(root, "examples", "tasks", "negation-qa.csv"), "utf8");
const card = readFileSync(join(root, "examples", "tasks", "negation-qa.card.yaml"), "utf8");

/** The first n examples of negation-qa (each row is two physical lines: prompt, then "Answer:" etc.). */
function firstRows(n: number): string {
	const lines = example.split("\n");
	return `${lines.slice(0, 1 + 2 * n).join("\n")}\n`;
}

let work: string;
let files: string;
let browser: Browser;
let app: ServeProcess;
let dataDir: string;
const models = ["tiny-a", "tiny-b", "stories260K"];

function serveArgs(data: string, store: string, extra: string[] = []): string[] {
	return [
		"--models-dir",
		join(work, "models"),
		"--data-dir",
		data,
		"--store",
		store,
		"--max-upload-mb",
		"1",
		...extra,
	];
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), "invscale-"));
	files = join(work, "files");
	mkdirSync(files);
	mkdirSync(join(work, "models"));
	copyFileSync(await randomModel("tiny-a"), join(work, "models", "tiny-a.gguf"));
	copyFileSync(await randomModel("tiny-b"), join(work, "models", "tiny-b.gguf"));
	copyFileSync(STORIES_260K, join(work, "models", "stories260K.gguf"));
	writeFileSync(join(files, "neg-small.csv"), firstRows(20));
	writeFileSync(
		join(files, "neg-small.card.yaml"),
		card.replace("name: Negation QA", "name: Negation QA (20 rows)"),
	);
	writeFileSync(join(files, "neg-slow.csv"), firstRows(150));
	writeFileSync(
		join(files, "broken.csv"),
		[
			"prompt,classes,answer_index",
			`"Q: Is a cat not an animal?\nA:","[' Yes', ' No']",1`,
			`"Q: Is a pine not a tree?","[' Yes', ' No'",1`,
			`"Q: Is red not a tree?","[' Yes', ' No']",5`,
			"",
		].join("\n"),
	);
	writeFileSync(
		join(files, "huge.csv"),
		`prompt,classes,answer_index\n${`"Q: x?","[' Yes', ' No']",0\n`.repeat(50_000)}`,
	);
	dataDir = join(work, "data");
	const env = { INVSCALE_HOME: join(work, "home") };
	[app, browser] = await Promise.all([
		serve(serveArgs(dataDir, join(work, "store.sqlite")), env),
		launchChromium(),
	]);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	rmSync(work, { recursive: true, force: true });
});

const outside = new WeakMap<Page, string[]>();

async function openApp(url: string): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
	const page = await context.newPage();
	// The app works offline: every request goes to an app server on this machine.
	const seen: string[] = [];
	outside.set(page, seen);
	page.on("request", (r) => {
		if (!/^(http:\/\/127\.0\.0\.1:\d+\/|blob:|data:)/.test(r.url())) seen.push(r.url());
	});
	await page.goto(url);
	await page.waitForSelector("#folder-models input");
	return page;
}

async function closeApp(page: Page): Promise<void> {
	expect(outside.get(page)).toEqual([]);
	await page.context().close();
}

async function uploadAndRun(page: Page, ...names: string[]): Promise<string> {
	await page.setInputFiles(
		"#file-input",
		names.map((n) => join(files, n)),
	);
	await expect.poll(() => page.textContent("#validation-status")).toMatch(/Ready/);
	await page.click("#run-button");
	await page.waitForFunction(() => location.hash.startsWith("#run/"));
	return (await page.evaluate(() => location.hash)).slice("#run/".length);
}

/** Waits until some model has scored at least one example (the run is under way, not finished). */
async function waitForProgress(page: Page): Promise<void> {
	await page.waitForFunction(
		() =>
			[...document.querySelectorAll("#progress-table [role=progressbar]")].some(
				(b) => Number(b.getAttribute("aria-valuenow")) > 0,
			) || document.querySelector("#verdict") !== null,
		undefined,
		{ timeout: 30_000 },
	);
}

describe.skipIf(!browserTestsRun)("the web app", () => {
	it("walks from a dropped task to the verdict, the chart, the example table and the zip", async () => {
		const page = await openApp(app.url);
		await page.setInputFiles("#file-input", [
			join(files, "neg-small.csv"),
			join(files, "neg-small.card.yaml"),
		]);
		await expect
			.poll(() => page.textContent("#validation-status"))
			.toContain("Ready: 20 examples in neg-small.csv");
		expect(await page.textContent("#validation")).toContain("neg-small.card.yaml");
		expect(await page.locator("#folder-models input:checked").count()).toBe(3);
		expect(await page.textContent("#go-summary")).toContain("Score 20 examples of neg-small");

		await page.click("#run-button");
		await page.waitForSelector("#verdict", { timeout: 60_000 });
		const id = (await page.evaluate(() => location.hash)).slice("#run/".length);
		expect(await page.textContent("#run-status")).toBe("Complete");
		expect(await page.textContent("#verdict .plain")).toMatch(/stories260K|tiny/);
		// One point per model on the loss chart, drawn from the same spec as the report.
		const points = page.locator('.chart[data-metric="loss"] .points_marks path');
		await expect.poll(() => points.count()).toBe(3);
		expect(await page.locator("#models-table tbody tr").count()).toBe(3);

		await page.click("#examples-button");
		await page.waitForSelector("#examples-table tbody tr");
		expect(await page.locator("#examples-table tbody tr").count()).toBe(20);
		// Row 0, stories260K: the share of the right class recomputed from details/ and the data.
		const taskDir = join(dataDir, "runs", id, "neg-small");
		const logprobs: number[] = JSON.parse(
			readFileSync(join(taskDir, "details", "stories260K.jsonl"), "utf8").split("\n")[0],
		).logprobs;
		const answer = Number(/,(\d+)\n/.exec(firstRows(1))![1]);
		const share = Math.exp(logprobs[answer]) / (Math.exp(logprobs[0]) + Math.exp(logprobs[1]));
		const cell = page.locator(
			'#examples-table tr[data-index="0"] td[data-model="stories260K"] .prob.answer .pct',
		);
		expect(await cell.textContent()).toBe(`${(share * 100).toFixed(0)}%`);
		await page.selectOption("#examples-filter", "flipped");
		const flipped = await page.locator("#examples-table tbody tr").count();
		expect(flipped).toBeLessThan(20);

		const [download] = await Promise.all([page.waitForEvent("download"), page.click("#zip-button")]);
		const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
		for (const model of models) {
			const inZip = zip[`neg-small/${model}.csv`];
			expect(inZip, model).toBeDefined();
			expect(Buffer.from(inZip).equals(readFileSync(join(taskDir, `${model}.csv`))), model).toBe(true);
		}
		expect(zip["neg-small/report.html"]).toBeDefined();
		expect(zip["neg-small/labelled_data.jsonl"]).toBeDefined();

		const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#examples-csv")]);
		expect(readFileSync((await csv.path())!, "utf8").split("\n")[0]).toContain("stories260K_p_class_1");

		if (process.env.INVSCALE_SCREENSHOTS === "1") {
			await page.selectOption("#examples-filter", "all");
			await page.evaluate(() => window.scrollTo(0, 0));
			mkdirSync(join(root, "docs", "img"), { recursive: true });
			await page.screenshot({ path: join(root, "docs", "img", "app.png") });
			await page.locator("#examples-heading").scrollIntoViewIfNeeded();
			await page.evaluate(() => document.querySelector("#examples-heading")?.scrollIntoView());
			await page.screenshot({ path: join(root, "docs", "img", "app-examples.png") });
		}
		await closeApp(page);
	});

	it("shows each problem of a bad task at its row and line, and refuses an oversize file with the limit", async () => {
		const page = await openApp(app.url);
		await page.setInputFiles("#file-input", join(files, "broken.csv"));
		await expect.poll(() => page.textContent("#validation-status")).toContain("2 problems to fix");
		const classes = page.locator('#errors-list li[data-row="1"][data-line="4"]');
		expect(await classes.textContent()).toContain("not closed");
		expect(await classes.locator("pre").textContent()).toContain(`"Q: Is a pine not a tree?"`);
		const answer = page.locator('#errors-list li[data-row="2"][data-line="5"]');
		expect(await answer.textContent()).toContain("answer_index 5 is out of range");
		expect(await page.isDisabled("#run-button")).toBe(true);

		await page.setInputFiles("#file-input", join(files, "huge.csv"));
		await page.waitForSelector("#notice:not([hidden])");
		expect(await page.textContent("#notice")).toMatch(/over the limit of 1 MB/);
		// The server says the same to a client that skips the page's check.
		const answerFromServer = await page.evaluate(async () => {
			const res = await fetch("/api/uploads?name=huge.csv", { method: "POST", body: "x".repeat(1_200_000) });
			return { status: res.status, body: await res.json() };
		});
		expect(answerFromServer.status).toBe(413);
		expect(answerFromServer.body.error).toContain("limit of 1 MB");
		await closeApp(page);
	});

	it("keeps showing progress after a reload, and cancels a run", async () => {
		const page = await openApp(app.url);
		const id = await uploadAndRun(page, "neg-slow.csv");
		await waitForProgress(page);
		await page.reload();
		await page.waitForSelector("#progress-table");
		expect(await page.evaluate(() => location.hash)).toBe(`#run/${id}`);
		const before = await page
			.locator("#progress-table [role=progressbar]")
			.evaluateAll((bars) => bars.map((b) => Number(b.getAttribute("aria-valuenow"))));
		// Live updates keep arriving after the reload.
		await page.waitForFunction(
			(sum) =>
				[...document.querySelectorAll("#progress-table [role=progressbar]")].reduce(
					(s, b) => s + Number(b.getAttribute("aria-valuenow")),
					0,
				) > sum,
			before.reduce((a, b) => a + b, 0),
			{ timeout: 30_000 },
		);
		await page.click("#cancel-button");
		await expect.poll(() => page.textContent("#run-status"), { timeout: 30_000 }).toBe("Cancelled");
		expect(await page.isVisible("#resume-button")).toBe(true);
		await expect
			.poll(() => page.locator(`#runs-list button[data-run="${id}"] .badge`).textContent())
			.toBe("Cancelled");
		await closeApp(page);
	});

	it("marks a run cut off by a server restart as interrupted, and resumes it to the end", {
		timeout: 120_000,
	}, async () => {
		const data = join(work, "data-restart");
		const store = join(work, "store-restart.sqlite");
		const env = { INVSCALE_HOME: join(work, "home") };
		const first = await serve(serveArgs(data, store), env);
		const page = await openApp(first.url);
		await page.click('#folder-models input[value="stories260K.gguf"]');
		const id = await uploadAndRun(page, "neg-slow.csv");
		await waitForProgress(page);
		expect(await page.textContent("#run-status")).toBe("Running");
		await first.stop("SIGKILL");

		const second = await serve(serveArgs(data, store), env);
		try {
			expect(second.output()).toContain("1 run(s) were cut off");
			await page.goto(`${second.url}#run/${id}`);
			await expect.poll(() => page.textContent("#run-status")).toBe("Interrupted");
			expect(await page.textContent("#run-explain")).toContain("Resume it");
			await page.click("#resume-button");
			await page.waitForSelector("#verdict", { timeout: 90_000 });
			expect(await page.textContent("#run-status")).toBe("Complete");
			await expect.poll(() => page.locator('.chart[data-metric="loss"] .points_marks path').count()).toBe(2);
		} finally {
			await closeApp(page);
			await second.stop();
		}
	});
});
