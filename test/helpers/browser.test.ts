import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, isCi } from "./browser.js";
import { repoRoot } from "./cli.js";

let work: string;
beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), "invscale-browser-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fakeBinary(dir: string, name: string, executable = true): string {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, name);
	writeFileSync(path, "#!/bin/sh\nexit 0\n");
	chmodSync(path, executable ? 0o755 : 0o644);
	return path;
}

describe("finding Chromium", () => {
	it("looks on PATH under each name the browser goes by, in PATH order", () => {
		const a = join(work, "a");
		const b = join(work, "b");
		fakeBinary(a, "chromium", false); // not executable: passed over
		const ubuntu = fakeBinary(b, "chromium-browser");
		fakeBinary(join(work, "c"), "google-chrome");
		expect(findChromium({ PATH: [a, b, join(work, "c")].join(":") })).toEqual({ found: true, path: ubuntu });
		expect(findChromium({ PATH: join(work, "c") })).toEqual({
			found: true,
			path: join(work, "c", "google-chrome"),
		});
	});

	it("takes INVSCALE_CHROMIUM first, and says when it is not a program", () => {
		const mine = fakeBinary(join(work, "mine"), "my-chrome");
		expect(findChromium({ PATH: join(work, "b"), INVSCALE_CHROMIUM: mine })).toEqual({
			found: true,
			path: mine,
		});
		const missing = findChromium({ PATH: join(work, "b"), INVSCALE_CHROMIUM: join(work, "nope") });
		expect(missing.found).toBe(false);
		expect(!missing.found && missing.reason).toMatch(/INVSCALE_CHROMIUM=.*nope is not an executable file/);
	});

	it("reports nothing found on an empty PATH", () => {
		const none = findChromium({ PATH: join(work, "empty") });
		expect(none.found).toBe(false);
	});

	it("reads CI the way CI services set it", () => {
		expect(isCi({ CI: "true" })).toBe(true);
		expect(isCi({ CI: "1" })).toBe(true);
		expect(isCi({ CI: "false" })).toBe(false);
		expect(isCi({ CI: "0" })).toBe(false);
		expect(isCi({})).toBe(false);
	});
});

describe("a machine without Chromium", () => {
	// A PATH holding only node: what a fresh machine without the browser package looks like.
	function runBrowserTest(env: NodeJS.ProcessEnv) {
		const bin = join(work, "node-only");
		mkdirSync(bin, { recursive: true });
		try {
			symlinkSync(process.execPath, join(bin, "node"));
		} catch {
			// already linked by the other case
		}
		const childEnv: NodeJS.ProcessEnv = { ...process.env, PATH: bin, ...env };
		delete childEnv.INVSCALE_CHROMIUM;
		if (env.CI === undefined) delete childEnv.CI;
		const r = spawnSync(
			process.execPath,
			[join(repoRoot, "node_modules", "vitest", "vitest.mjs"), "run", "test/report/report-browser.test.ts"],
			{ cwd: repoRoot, env: childEnv, encoding: "utf8", timeout: 60_000 },
		);
		return { code: r.status, output: `${r.stdout}${r.stderr}` };
	}

	it("skips the browser tests with one line that says how to install it, and passes", () => {
		const r = runBrowserTest({});
		expect(r.code).toBe(0);
		expect(r.output.match(/Browser tests skipped: Chromium not found/g)).toHaveLength(1);
		expect(r.output).toMatch(/apt-get install chromium/);
		expect(r.output).toMatch(/1 skipped/);
	});

	it("fails under CI=true", () => {
		const r = runBrowserTest({ CI: "true" });
		expect(r.code).not.toBe(0);
		expect(r.output).toMatch(/CI=true and browser tests cannot run/);
	});
});
