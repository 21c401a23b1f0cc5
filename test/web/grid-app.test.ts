import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { launchChromium } from "../helpers/browser.js";
import { GRID_SIZES, gridModels, makeGridRun } from "../helpers/grid-run.js";
import { type ServeProcess, serve } from "./serve-process.js";

let work: string;
let browser: Browser;
let app: ServeProcess;
const id = "gridrun01-abcdef";

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), "invscale-"));
	const dataDir = join(work, "data");
	const storeFile = join(work, "store.sqlite");
	// A finished size × checkpoint run, registered in the store as the server's runs are.
	makeGridRun(join(dataDir, "runs", id, "grid-task"));
	const store = openStore(storeFile);
	store.runs.createRun({
		id,
		kind: "eval",
		title: "grid-task on pythia 4 sizes × 4 steps",
		status: "complete",
		dir: join(dataDir, "runs", id),
		options: {
			taskName: "grid-task",
			uploadId: "none",
			taskFile: "grid-task.jsonl",
			choice: { kind: "ladder", name: "pythia-grid" },
			ladderName: "pythia-grid",
			models: gridModels().map((m) => ({
				name: m.name,
				family: "pythia",
				source: { kind: "file", path: "x" },
			})),
		},
	});
	store.close();
	[app, browser] = await Promise.all([
		serve(["--data-dir", dataDir, "--store", storeFile], { INVSCALE_HOME: join(work, "home") }),
		launchChromium(),
	]);
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	rmSync(work, { recursive: true, force: true });
});

describe("the web app on a size × checkpoint run", () => {
	it("shows both grid charts and the trends per checkpoint along size, then per size along training tokens", async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await page.goto(`${app.url}#run/${id}`);
		await page.waitForSelector("#verdict", { timeout: 30_000 });
		// The run varies in size and in training: the app analyses it along size, one line per checkpoint.
		const along = page.locator('.chart[data-metric="loss"][data-chart="along"]');
		const transpose = page.locator('.chart[data-metric="loss"][data-chart="transpose"]');
		await expect.poll(() => along.locator(".points_marks path").count()).toBe(16);
		expect(await along.locator(".lines_marks path").count()).toBe(4);
		await expect.poll(() => transpose.locator(".points_marks path").count()).toBe(16);
		expect(await transpose.locator(".lines_marks path").count()).toBe(4);
		expect(await transpose.locator(".labels_marks text").allTextContents()).toEqual(
			expect.arrayContaining(GRID_SIZES.map(([name]) => name)),
		);
		// Per-checkpoint trends along size: loss rises with size at every checkpoint but the first.
		const rows = page.locator("#groups-table tbody tr");
		expect(await rows.count()).toBe(4);
		expect(await rows.first().getAttribute("data-group")).toBe("step 2000");
		expect(await page.locator('#groups-table tr[data-verdict="inverse"]').count()).toBe(3);
		expect(await page.textContent("#along-verdict")).toContain(
			"Inverse in parameters for step 8000 and later",
		);
		expect(await page.textContent("#interaction")).toMatch(
			/negative means larger models fall further behind/,
		);
		expect(await page.textContent("#verdict .headline")).toBe("Inverse scaling in 3 of 4 groups");

		// Along training tokens instead: one trend per size; the two larger sizes get worse with training.
		expect(await page.locator("#axis-select option").allTextContents()).toEqual(
			expect.arrayContaining(["Parameters", "Training tokens", "Training step", "Training compute"]),
		);
		await page.selectOption("#axis-select", "tokens");
		await expect.poll(() => page.textContent("#along-verdict")).toContain("Inverse in training tokens");
		expect(await page.textContent("#along-verdict")).toContain("pythia-410m and larger (2 of 4 sizes)");
		expect(
			await rows.evaluateAll((trs) =>
				trs.map((tr) => [tr.getAttribute("data-group"), tr.getAttribute("data-verdict")]),
			),
		).toEqual([
			["pythia-70m", "positive"],
			["pythia-160m", "positive"],
			["pythia-410m", "inverse"],
			["pythia-1b", "inverse"],
		]);
		await expect.poll(() => along.locator(".points_marks path").count()).toBe(16);
		expect(await along.locator(".labels_marks text").allTextContents()).toEqual(
			expect.arrayContaining(GRID_SIZES.map(([name]) => name)),
		);
		expect(await along.textContent()).toContain("Training tokens");
		expect(await transpose.locator(".labels_marks text").allTextContents()).toEqual(
			expect.arrayContaining(["step 2000", "step 143000"]),
		);
		await page.close();
	}, 60_000);
	it("answers the result along an asked axis, and refuses an unknown one", async () => {
		const along = await fetch(new URL(`api/runs/${id}/result?x=step`, app.url));
		expect(along.status).toBe(200);
		const result = await along.json();
		expect(result.axis).toBe("step");
		expect(result.axes).toEqual(["params", "tokens", "step", "flops"]);
		expect(result.metrics[0].groups.map((g: { label: string }) => g.label)).toEqual(
			GRID_SIZES.map(([n]) => n),
		);
		const bad = await fetch(new URL(`api/runs/${id}/result?x=depth`, app.url));
		expect(bad.status).toBe(400);
		expect(JSON.stringify(await bad.json())).toContain('unknown axis \\"depth\\"');
	});
});
