/** @module `invscale validate`: output, exit codes and the JSON document, run in-process. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "../../src/cli/commands/validate.js";
import { CliError } from "../../src/cli/errors.js";

const root = join(import.meta.dirname, "..", "..");
const examples = join(root, "examples", "tasks");
const fixtures = join(root, "test", "fixtures", "tasks");

async function run(args: string[]): Promise<{ out: string; code: number | undefined }> {
	const program = new Command().exitOverride();
	register(program);
	let out = "";
	const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
		out += String(chunk);
		return true;
	});
	process.exitCode = undefined;
	try {
		await program.parseAsync(["node", "invscale", "validate", ...args]);
		return { out, code: process.exitCode as number | undefined };
	} finally {
		spy.mockRestore();
		process.exitCode = undefined;
	}
}

afterEach(() => vi.restoreAllMocks());

describe("invscale validate", () => {
	it("passes every example task (cards given on the command line are checked with their task)", async () => {
		const files = readdirSync(examples).map((f) => join(examples, f));
		const { out, code } = await run(files);
		expect(code).toBe(0);
		expect(out.match(/valid, no warnings/g)).toHaveLength(3);
		expect(out).toContain("all 3 tasks are valid");
		expect(out).toContain("logodds (from the card; plotted: logodds_difference)");
	});

	it("exits 1 and prints file:line:column for an invalid task", async () => {
		const { out, code } = await run([join(fixtures, "field-count.csv")]);
		expect(code).toBe(1);
		expect(out).toContain(`${join(fixtures, "field-count.csv")}:2:21: error [field-count]`);
		expect(out).toContain("INVALID: 2 errors");
	});

	it("prints one JSON document with --json", async () => {
		const { out, code } = await run([
			"--json",
			join(fixtures, "constant.csv"),
			join(examples, "memo-trap.jsonl"),
		]);
		expect(code).toBe(0);
		const doc = JSON.parse(out);
		expect(doc.schema).toBe("invscale.validate/1");
		expect(doc.valid).toBe(true);
		expect(doc.files.map((f: { name: string; plottedMetric: string }) => [f.name, f.plottedMetric])).toEqual([
			["constant", "loss"],
			["memo-trap", "loss"],
		]);
		expect(doc.files[0].warnings[1]).toMatchObject({ code: "duplicate-example", line: 3, column: 1, row: 1 });
	});

	it("limits the problems shown and counts the rest", async () => {
		const { out } = await run(["--max", "2", join(fixtures, "seq.jsonl")]);
		expect(out).toContain("… and 7 more (");
	});

	it("rejects an unknown --type as a usage error", async () => {
		const error = await run(["--type", "regression", join(examples, "negation-qa.csv")]).catch((e) => e);
		expect(error).toBeInstanceOf(CliError);
		expect(error.exitCode).toBe(2);
		expect(error.hint).toContain("absolute_logodds");
	});
});

describe("the example task generator", () => {
	it("writes the committed files again, byte for byte", () => {
		const out = mkdtempSync(join(tmpdir(), "invscale-"));
		try {
			execFileSync(
				process.execPath,
				["--import", "tsx", join(root, "scripts", "make-example-tasks.ts"), out],
				{ cwd: root },
			);
			for (const name of readdirSync(examples)) {
				expect(readFileSync(join(out, name), "utf8"), name).toBe(readFileSync(join(examples, name), "utf8"));
			}
		} finally {
			rmSync(out, { recursive: true, force: true });
		}
	});
});
