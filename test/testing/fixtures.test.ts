/**
 * The fixture check: a committed fixture comes back as its path; a missing or changed one is one
 * line naming the file and the sha256 it should have.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES, FixtureError, fixturePath } from "../../src/testing/fixtures.js";
import { repoRoot } from "../helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh root holding a copy of the committed table, or nothing. */
function root(withTable: boolean): string {
	const dir = mkdtempSync(join(tmpdir(), "invscale-fixtures-"));
	dirs.push(dir);
	if (withTable) {
		const target = join(dir, FIXTURES.michaelovBergen.path);
		mkdirSync(dirname(target), { recursive: true });
		copyFileSync(join(repoRoot, FIXTURES.michaelovBergen.path), target);
	}
	return dir;
}

describe("test fixtures", () => {
	it("each committed fixture has the sha256 the table (and test/fixtures/README.md) gives", () => {
		const readme = readFileSync(join(repoRoot, "test", "fixtures", "README.md"), "utf8");
		for (const [name, { path, sha256 }] of Object.entries(FIXTURES)) {
			expect(fixturePath(name as keyof typeof FIXTURES)).toBe(join(repoRoot, path));
			const bytes = readFileSync(join(repoRoot, path));
			expect(createHash("sha256").update(bytes).digest("hex"), name).toBe(sha256);
			expect(readme).toContain(sha256);
			expect(readme).toContain(`${bytes.length.toLocaleString("en-US")} bytes`);
		}
	});

	it("a missing fixture is one line naming the file and its expected sha256", () => {
		const dir = root(false);
		let error: unknown;
		try {
			fixturePath("michaelovBergen", dir);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(FixtureError);
		const { message, stack } = error as FixtureError;
		expect(message).toContain("pythia-isp-all_results.tsv is missing");
		expect(message).toContain(`expected sha256 ${FIXTURES.michaelovBergen.sha256}`);
		expect(message).toContain("git checkout -- test/fixtures");
		expect(stack?.split("\n")).toHaveLength(1);
	});

	it("a changed fixture names the sha256 it has and the one expected", () => {
		const dir = root(true);
		expect(fixturePath("michaelovBergen", dir)).toBe(join(dir, FIXTURES.michaelovBergen.path));
		const file = join(dir, FIXTURES.michaelovBergen.path);
		const changed = `${readFileSync(file, "utf8")}extra\n`;
		const other = root(true);
		writeFileSync(join(other, FIXTURES.michaelovBergen.path), changed);
		const actual = createHash("sha256").update(changed).digest("hex");
		expect(() => fixturePath("michaelovBergen", other)).toThrow(
			new RegExp(`has sha256 ${actual}, expected ${FIXTURES.michaelovBergen.sha256}`),
		);
	});
});
