/**
 * @module Runs once before the suite: says in one line when browser tests will be skipped for want
 * of Chromium, and fails the run in CI, where a missing browser is a broken machine.
 */
import { findChromium, isCi, skipMessage } from "./helpers/browser.js";

export default function setup(): void {
	const lookup = findChromium();
	if (lookup.found) return;
	if (isCi()) {
		throw new Error(
			`${skipMessage(lookup.reason).replace("Browser tests skipped", "CI=true and browser tests cannot run")} In CI a missing browser is a failure.`,
		);
	}
	process.stderr.write(`\n${skipMessage(lookup.reason)}\n\n`);
}
