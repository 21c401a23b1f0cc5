/**
 * @module The web app at reasoning budgets, in a real browser: a run started with budgets from the
 * run step, and the example table showing each condition's answer with its reasoning folded.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium } from "../helpers/browser.js";
import { type ServeProcess, serveFolder } from "./serve-process.js";
import { storiesFolder } from "./stories-folder.js";

let work: string;
let browser: Browser;
let app: ServeProcess;

beforeAll(async () => {
	if (!browserTestsRun) return;
	work = storiesFolder("invscale-web-budgets-");
	[app, browser] = await Promise.all([serveFolder(work), launchChromium()]);
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!browserTestsRun)("the web app at reasoning budgets", () => {
	it("runs at the budgets typed in the run step and folds each condition's reasoning in the table", async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		await page.goto(app.url);
		await page.waitForSelector("#folder-models input");
		await page.setInputFiles("#file-input", [join(work, "neg-4.csv")]);
		await expect.poll(() => page.textContent("#validation-status")).toMatch(/Ready/);
		await page.click("#budgets-step summary");
		await page.fill("#budgets-input", "0,8");
		await page.click("#run-button");
		await page.waitForSelector("#verdict", { timeout: 90_000 });
		const id = (await page.evaluate(() => location.hash)).slice("#run/".length);
		await page.click("#examples-button");
		await page.waitForSelector("#examples-table tbody tr");
		expect(await page.locator("#examples-table tbody tr").count()).toBe(4);

		const details = readFileSync(
			join(work, "data", "runs", id, "neg-4", "details", "stories260K-budget8.jsonl"),
			"utf8",
		)
			.trim()
			.split("\n")
			.map((l) => JSON.parse(l) as { index: number; reasoning: string; answer: string });
		const cell = page.locator('#examples-table tr[data-index="0"] td[data-model="stories260K-budget8"]');
		const folded = cell.locator("details.reasoning");
		expect(await folded.locator("summary").textContent()).toBe("reasoning · 8 tokens");
		// Folded until opened; then the recorded reasoning, exactly.
		expect(await folded.getAttribute("open")).toBeNull();
		expect(await folded.locator("pre").isVisible()).toBe(false);
		await folded.locator("summary").click();
		expect(await folded.locator("pre").isVisible()).toBe(true);
		expect(await folded.locator("pre").textContent()).toBe(details[0].reasoning);
		expect(await cell.textContent()).toContain(`final answer: ${details[0].answer}`);
		// Budget 0: no reasoning to fold.
		const none = page.locator('#examples-table tr[data-index="0"] td[data-model="stories260K-budget0"]');
		expect(await none.locator("details").count()).toBe(0);
		expect(await none.textContent()).toContain("no reasoning · 0 tokens");
		await page.close();
	}, 180_000);
});
