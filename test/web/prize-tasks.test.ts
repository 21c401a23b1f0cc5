/** The task step offers the prize catalog: a task is downloaded from the (local) hub on use, with its card, and runs. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prizeTask } from "../../src/tasks/prize-catalog.js";
import { browserTestsRun, launchChromium } from "../helpers/browser.js";
import { type HubServer, startHubServer } from "../helpers/hub-server.js";
import { randomModel } from "../helpers/models.js";
import { datasetPath, hostStandIns, sha256, standInClassification } from "../prize/stand-ins.js";
import { type ServeProcess, serveFolder } from "./serve-process.js";

let work: string;
let hub: HubServer;
let app: ServeProcess;
let browser: Browser;
const memo = prizeTask("memo-trap")!;
const bytes = standInClassification(24, 5);

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), "invscale-web-prize-"));
	mkdirSync(join(work, "models"));
	copyFileSync(await randomModel("tiny-a"), join(work, "models", "tiny-a.gguf"));
	copyFileSync(await randomModel("tiny-b"), join(work, "models", "tiny-b.gguf"));
	hub = await startHubServer();
	hostStandIns(hub, { [memo.file]: bytes });
	if (!browserTestsRun) return;
	[app, browser] = await Promise.all([serveFolder(work, { HF_ENDPOINT: hub.endpoint }), launchChromium()]);
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	await hub?.close();
	rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!browserTestsRun)("prize tasks in the web app", () => {
	it("lists the catalog, downloads memo-trap on use with its card, says it differs, and runs it", async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page: Page = await context.newPage();
		await page.goto(app.url);
		await page.waitForSelector("#folder-models input");
		await page.click("#prize-box summary");
		await expect.poll(() => page.locator("#prize-list li.prize-task").count()).toBe(11);
		const item = page.locator('#prize-list li[data-task="memo-trap"]');
		expect(await item.textContent()).toMatch(
			/Memo trap.*strong prior.*round 2.*Alisa Liu, Jiacheng Liu.*CC BY 4\.0/s,
		);
		expect(hub.requests).toEqual([]); // listing touches no network
		await item.locator("button").click();
		await expect
			.poll(() => page.textContent("#validation-status"), { timeout: 30_000 })
			.toContain(`Ready: 24 examples in ${memo.file}`);
		expect(hub.requests.map((r) => r.path)).toEqual([`/${datasetPath}/resolve/main/${memo.file}`]);
		expect(await page.getAttribute("#catalog-status", "data-matches")).toBe("false");
		expect(await page.textContent("#catalog-status")).toContain(sha256(bytes));
		expect(await page.textContent("#validation")).toContain("memo-trap_classification.card.yaml");
		expect(await page.textContent("#task-card pre")).toMatch(/authors:\n\s+- Alisa Liu/);
		expect(await page.textContent("#validation")).toMatch(/classification_acc/);

		await page.click("#run-button");
		await page.waitForFunction(() => location.hash.startsWith("#run/"));
		const id = (await page.evaluate(() => location.hash)).slice("#run/".length);
		await page.waitForSelector("#verdict", { timeout: 90_000 });
		const manifestPath = join(work, "data", "runs", id, "memo-trap_classification", "run.json");
		expect(existsSync(manifestPath)).toBe(true);
		const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
		expect(manifest.task.catalog).toMatchObject({
			name: "memo-trap",
			sha256: sha256(bytes),
			expectedSha256: memo.sha256,
			matches: false,
		});

		// Taken again: the cached file is used, no new download.
		await page.goto(app.url);
		await page.waitForSelector("#folder-models input");
		await page.click("#prize-box summary");
		const again = page.locator('#prize-list li[data-task="memo-trap"]');
		await expect.poll(() => again.textContent()).toMatch(/on disk/);
		await again.locator("button").click();
		await expect.poll(() => page.textContent("#validation-status")).toContain("Ready: 24 examples");
		expect(hub.requests).toHaveLength(1);
		await context.close();
	}, 150_000);
});
