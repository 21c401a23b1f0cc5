/**
 * @module The web app's few-shot and budget controls, in a real browser: the fields are checked by
 * the CLI's own rules as they are typed (the same words as `invscale eval --shots/--budgets`), and
 * a valid grid runs every model under each number of demonstrations × each budget through the same
 * engine, with both coordinates in run.json, the questions in shots/ and the groups along each axis.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunManifest } from "../../src/run/manifest.js";
import { browserTestsRun, launchChromium } from "../helpers/browser.js";
import { type ServeProcess, serveFolder } from "./serve-process.js";
import { storiesFolder } from "./stories-folder.js";

let work: string;
let browser: Browser;
let app: ServeProcess;

beforeAll(async () => {
	if (!browserTestsRun) return;
	work = storiesFolder("invscale-web-shots-");
	[app, browser] = await Promise.all([serveFolder(work), launchChromium()]);
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	if (work) rmSync(work, { recursive: true, force: true });
});

/** Types into a field and waits until the server's check of it shows `shown`. */
async function typeAndCheck(page: Page, field: string, text: string, shown: string | RegExp): Promise<void> {
	await page.fill(field, text);
	const matches = (box: string | null) =>
		typeof shown === "string" ? (box ?? "").includes(shown) : shown.test(box ?? "");
	await expect.poll(async () => matches(await page.textContent("#sweep-check"))).toBe(true);
}

describe.skipIf(!browserTestsRun)("the web app's few-shot and budget controls", () => {
	it("checks the fields as the CLI does, then runs the shots × budgets grid", async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await page.goto(app.url);
		await page.waitForSelector("#folder-models input");
		await page.setInputFiles("#file-input", [join(work, "neg-4.csv")]);
		await expect.poll(() => page.textContent("#validation-status")).toMatch(/Ready/);
		await page.click("#shots-step summary");
		await page.click("#budgets-step summary");

		// Refused with the CLI's words, and nothing can start meanwhile.
		await typeAndCheck(page, "#shots-input", "0,x", '✗ shots: "x" is not a number of demonstrations');
		expect(await page.isDisabled("#run-button")).toBe(true);
		expect(await page.textContent("#go-summary")).toBe(
			"Fix the demonstrations or budgets first (see below).",
		);
		await typeAndCheck(
			page,
			"#shots-input",
			"0,4",
			"✗ neg-4.csv: 4 demonstrations need at least 5 examples (each row's own place in the block goes to another); the task has 4",
		);
		await typeAndCheck(page, "#shots-input", "2,0", /✓ 2 conditions per model: 0 and 2 shots$/);
		await typeAndCheck(page, "#budgets-input", "0,low", "✗ budgets mixes token counts and effort levels");
		expect(await page.isDisabled("#run-button")).toBe(true);
		await typeAndCheck(
			page,
			"#budgets-input",
			"8,0",
			/✓ 4 conditions per model: 0 and 2 shots × reasoning budgets 0 and 8$/,
		);
		await expect.poll(() => page.isEnabled("#run-button")).toBe(true);
		expect(await page.textContent("#go-summary")).toMatch(
			/^Ask 4 examples of neg-4 on .*, 4 conditions each/,
		);

		await page.click("#run-button");
		await page.waitForSelector("#verdict", { timeout: 120_000 });
		const id = (await page.evaluate(() => location.hash)).slice("#run/".length);
		const dir = join(work, "data", "runs", id, "neg-4");
		const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunManifest;
		const cells = [0, 2].flatMap((k) => [0, 8].map((b) => ({ shots: k, budget: b })));
		expect(
			run.models.map((m) => [m.name, m.status, { shots: m.coords?.shots, budget: m.coords?.budget }]),
		).toEqual(cells.map((c) => [`stories260K-${c.shots}shot-budget${c.budget}`, "ok", c]));
		expect(run.shots).toMatchObject({ values: [0, 2], seed: 1, format: "questions" });
		// Each 2-shot row was asked after two answered turns, never its own.
		const asked = readFileSync(join(dir, "shots", "neg-4-2shot.jsonl"), "utf8")
			.trim()
			.split("\n")
			.map((l) => JSON.parse(l) as { index: number; messages: Array<{ role: string }> });
		expect(asked.map((q) => q.messages.map((m) => m.role))).toEqual(
			Array(4).fill(["user", "assistant", "user", "assistant", "user"]),
		);
		// The result can be read along either axis: the picker offers both, and each reading names its axis.
		await page.waitForSelector("#axis-select");
		const axes = await page
			.locator("#axis-select option")
			.evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
		expect(axes).toEqual(["shots", "budget"]);
		const along = (x: string) =>
			page.evaluate(
				async ([run, axis]) => {
					const result = await (await fetch(`/api/runs/${run}/result?x=${axis}`)).json();
					return { axis: result.axis, groupBy: result.metrics[0].along.groupBy };
				},
				[id, x] as const,
			);
		expect(await along("budget")).toEqual({ axis: "budget", groupBy: ["shots"] });
		expect(await along("shots")).toEqual({ axis: "shots", groupBy: ["budget"] });
		await page.selectOption("#axis-select", "budget");
		await expect.poll(() => page.inputValue("#axis-select")).toBe("budget");
		await page.close();
	}, 240_000);
});
