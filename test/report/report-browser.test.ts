import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../../src/report/index.js";
import { browserTestsRun, closeBrowserFolder, openBrowserFolder } from "../helpers/browser.js";
import { makeRunDir } from "../helpers/make-run-dir.js";
import { ladder } from "../helpers/synthetic-ladder.js";

let browser: Browser;
let work: string;

beforeAll(async () => {
	({ work, browser } = await openBrowserFolder());
});
afterAll(() => closeBrowserFolder({ work, browser }));

describe.skipIf(!browserTestsRun)("report.html in a browser", () => {
	it("shows the charts with one point per model, one line per family, and the verdict table", async () => {
		const dir = join(work, "negation-qa");
		const models = [
			...ladder([0.75, 0.9, 1.0, 1.15, 1.3], "pythia"),
			...ladder([0.8, 0.95, 1.0, 1.2], "gpt2", 8.1),
			{ name: "gpt2-broken", family: "gpt2", parameters: 7e9, mean: 1, status: "failed" as const },
		];
		makeRunDir(dir, models, {
			examples: 400,
			task: "negation-qa",
			card: "name: negation-qa\nzero_shot: true\nwhy: Larger models follow the surface pattern and ignore the negation.\n",
		});
		const { htmlPath } = await writeReport(dir, { replicates: 2000, generatedAt: "2024-05-01T12:00:00Z" });
		const html = readFileSync(htmlPath, "utf8");
		// Self-contained: no external scripts, styles, images or fonts.
		expect(html).not.toMatch(/<(script|link|img)\b[^>]*(src|href)=["']?https?:/i);

		const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
		const requests: string[] = [];
		page.on("request", (r) => {
			if (!r.url().startsWith("file:")) requests.push(r.url());
		});
		await page.goto(pathToFileURL(htmlPath).href);
		const loss = page.locator('figure[data-metric="loss"] svg');
		// 9 models ran (the failed one is not plotted): 9 points, 2 families → 2 lines, 9 error bars, 9 labels.
		expect(await loss.locator(".points_marks path").count()).toBe(9);
		expect(await loss.locator(".lines_marks path").count()).toBe(2);
		expect(await loss.locator(".errorbars_marks line").count()).toBe(9);
		expect(await loss.locator(".labels_marks text").allTextContents()).toContain("pythia-4");
		expect(await loss.locator(".chance_layer_0_marks line").count()).toBe(1);
		expect(await page.locator('figure[data-metric="correct"] svg .points_marks path').count()).toBe(9);

		const table = page.locator("#verdict-table");
		await expect.poll(() => table.isVisible()).toBe(true);
		// Loss all models + 2 families, then accuracy all models + 2 families.
		expect(await table.locator("tbody tr").count()).toBe(6);
		expect(await table.locator("tbody tr").first().getAttribute("data-verdict")).toBe("inverse");
		expect(await page.locator("#verdict").textContent()).toMatch(/Inverse scaling/);
		expect(await page.locator('tr[data-model="gpt2-broken"]').textContent()).toMatch(/failed/);
		expect(await page.locator(".example").count()).toBe(8);
		expect(await page.locator("text=Larger models follow the surface pattern").count()).toBe(1);
		expect(requests).toEqual([]);

		const shot = join(work, "report.png");
		await page.screenshot({ path: shot, fullPage: true });
		if (process.env.INVSCALE_SCREENSHOTS === "1") {
			const out = join(import.meta.dirname, "..", "..", "docs", "img");
			mkdirSync(out, { recursive: true });
			copyFileSync(shot, join(out, "report.png"));
			await page.setViewportSize({ width: 1100, height: 1400 });
			await page.screenshot({ path: join(out, "report-top.png") });
		}
		await page.close();
	});
});
