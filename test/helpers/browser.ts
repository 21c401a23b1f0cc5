/**
 * @module Headless Chromium for browser tests: found on PATH or from INVSCALE_CHROMIUM (a test
 * tool's own browser download cannot work here), or a clear skip (a failure in CI) without it.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** Flags that keep Chromium from reaching for the network or a GPU on a closed, headless machine. */
export const CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

/** Names the browser goes by on Debian, Ubuntu and with Google's package. */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

function isExecutable(path: string): boolean {
	try {
		accessSync(path, constants.X_OK);
		return statSync(path).isFile();
	} catch {
		return false;
	}
}

export type ChromiumLookup = { found: true; path: string } | { found: false; reason: string };

/** Where Chromium is: `INVSCALE_CHROMIUM` when set, else the first of CHROMIUM_NAMES on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
	const chosen = env.INVSCALE_CHROMIUM;
	if (chosen) {
		return isExecutable(chosen)
			? { found: true, path: chosen }
			: { found: false, reason: `INVSCALE_CHROMIUM=${chosen} is not an executable file` };
	}
	for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
		for (const name of CHROMIUM_NAMES) {
			const path = join(dir, name);
			if (isExecutable(path)) return { found: true, path };
		}
	}
	return { found: false, reason: `no ${CHROMIUM_NAMES.join(", ")} on PATH and INVSCALE_CHROMIUM is not set` };
}

/** Whether this run is CI, where a missing browser must fail the run rather than skip. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
	const ci = env.CI;
	return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/** The one line printed when browser tests are skipped, naming what is missing and the fix. */
export function skipMessage(reason: string): string {
	return `Browser tests skipped: Chromium not found (${reason}). Install it with \`apt-get install chromium\`, or point INVSCALE_CHROMIUM at a Chromium or Chrome binary.`;
}

/**
 * Whether browser tests run here: they are skipped without a browser, except in CI, where they
 * run and fail on the missing browser.
 */
export const browserTestsRun = findChromium().found || isCi();

export function launchChromium(): Promise<Browser> {
	const lookup = findChromium();
	if (!lookup.found)
		throw new Error(skipMessage(lookup.reason).replace("Browser tests skipped", "Cannot run browser tests"));
	return chromium.launch({ executablePath: lookup.path, args: CHROMIUM_ARGS });
}

/** A temporary folder and a Chromium, for a test file that writes reports and opens them. */
export interface BrowserFolder {
	work: string;
	browser: Browser;
}

/** A new temporary folder (named `<prefix>XXXXXX`) and browser; the folder is removed if the browser will not start. */
export async function openBrowserFolder(prefix = "invscale-"): Promise<BrowserFolder> {
	const work = mkdtempSync(join(tmpdir(), prefix));
	try {
		return { work, browser: await launchChromium() };
	} catch (error) {
		rmSync(work, { recursive: true, force: true });
		throw error;
	}
}

/** Closes the browser and removes the folder. */
export async function closeBrowserFolder({ work, browser }: Partial<BrowserFolder>): Promise<void> {
	await browser?.close();
	if (work) rmSync(work, { recursive: true, force: true });
}
