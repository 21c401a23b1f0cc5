/** `invscale contest`: checking a contest file, making tokens, and the errors of a bad file. */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";

describe("invscale contest", () => {
	it("checks the example contest file", async () => {
		const r = await runCli(["contest", join(repoRoot, "examples", "contest", "contest.yaml"), "--check"]);
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(
			"Example Inverse Scaling Bounty, 2 round(s), 2 public and 2 private model(s), 1 people named",
		);
	});

	it("makes a token and the sha256 that goes into the contest file", async () => {
		const r = await runCli(["contest", "--new-token"]);
		expect(r.code).toBe(0);
		const token = /token:\s+(\S+)/.exec(r.stdout)![1]!;
		const hash = /token_sha256:\s+([0-9a-f]{64})/.exec(r.stdout)![1];
		expect(hash).toBe(createHash("sha256").update(token).digest("hex"));
	});

	it("names the file and the field of a bad contest file, with an example", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-contest-cli-"));
		writeFileSync(
			join(dir, "c.yaml"),
			"name: X\nrounds: []\npublic_ladder: { name: p, models: [{ file: a.gguf }] }\n",
		);
		const r = await runCli(["contest", join(dir, "c.yaml"), "--check"]);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain(`${join(dir, "c.yaml")}: invalid contest file`);
		expect(r.stderr).toContain("rounds: needs at least one round");
		expect(r.stderr).toContain("private_ladder");
		expect(r.stderr).toContain("a contest file looks like");
	});
});
