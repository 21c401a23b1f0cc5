/** @module Headless Debian Chromium for browser tests (a test tool's own browser download cannot work here). */
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

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}
