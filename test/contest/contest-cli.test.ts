/**
 * `invscale contest`: checking a contest file, making tokens, the errors of a bad file, what it
 * says while it starts, and a data folder private to its user whatever the umask.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashToken, newToken } from "../../src/contest/tokens.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { exampleCard, firstRows } from "./contest-fixture.js";

/** Every folder and file under `dir` with its permission bits, e.g. ["data/runs", 0o700]. */
function modes(dir: string, base = dir): [string, number][] {
	const out: [string, number][] = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		const stat = lstatSync(path);
		out.push([path.slice(base.length + 1), stat.mode & 0o777]);
		if (stat.isDirectory()) out.push(...modes(path, base));
	}
	return out;
}

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

/** `invscale contest` on a small contest under umask 022: models that are not there, a private server that does not answer. */
async function startContest() {
	const dir = mkdtempSync(join(tmpdir(), "invscale-contest-perm-"));
	const organiser = newToken();
	const day = 86_400_000;
	// Scoring fails fast, and writes its files on the way.
	writeFileSync(
		join(dir, "c.yaml"),
		`name: Private Bounty
rounds:
  - { id: r, opens: ${new Date(Date.now() - day).toISOString()}, closes: ${new Date(Date.now() + day).toISOString()} }
public_ladder: { name: pub, models: [{ name: a, file: missing-a.gguf }] }
private_ladder:
  name: priv
  models: [{ name: s, parameters: 1B, openai: { base_url: "http://127.0.0.1:9/v1", model: s } }]
rules: { min_examples: 1 }
rubric: { criteria: [{ id: strength, label: Strength, weight: 1 }] }
people: [{ name: O, role: organiser, token_sha256: ${hashToken(organiser)} }]
`,
	);
	const data = join(dir, "data");
	const child = spawn(
		"sh",
		[
			"-c",
			'umask 022 && exec "$@"',
			"sh",
			process.execPath,
			"--import",
			"tsx",
			join(repoRoot, "src/cli/main.ts"),
			"contest",
			join(dir, "c.yaml"),
			"--port",
			"0",
			"--data-dir",
			data,
		],
		{
			cwd: repoRoot,
			env: { ...process.env, INVSCALE_HOME: join(dir, "home") },
			stdio: ["ignore", "pipe", "pipe"],
		},
	);
	let output = "";
	child.stdout.on("data", (c) => (output += c));
	child.stderr.on("data", (c) => (output += c));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
		await new Promise((r) =>
			child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("close", r),
		);
	};
	try {
		const url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 60_000);
			child.stdout.on("data", () => {
				const m = /running at (http:\/\/\S+\/)/.exec(output);
				if (m) {
					clearTimeout(timer);
					resolve(m[1]!);
				}
			});
			child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
		});
		return { dir, data, url, organiser, output: () => output, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

describe("invscale contest, running", () => {
	it("says what it does while it starts, then the address", { timeout: 120_000 }, async () => {
		const c = await startContest();
		await c.stop();
		const output = c.output();
		const steps = [
			'starting contest "Private Bounty": loading the server…',
			`opening the store ${join(c.data, "store.sqlite")}…`,
			"requeuing scoring runs cut off at the last stop…",
			'contest "Private Bounty" is running at',
		].map((line) => output.indexOf(line));
		expect(
			steps.every((at) => at >= 0),
			output,
		).toBe(true);
		expect([...steps].sort((a, b) => a - b)).toEqual(steps);
		rmSync(c.dir, { recursive: true, force: true });
	});

	it("keeps a fresh data folder private under umask 022: folders 700, files 600", {
		timeout: 120_000,
	}, async () => {
		const c = await startContest();
		try {
			const api = async (path: string, token: string, body?: unknown) => {
				const res = await fetch(new URL(`api/contest/${path}`, c.url), {
					method: body === undefined ? "GET" : "POST",
					headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				return (await res.json()) as Record<string, never>;
			};
			const entrant = (await api("people", c.organiser, { name: "E", role: "entrant" })).token as string;
			const b64 = (text: string) => Buffer.from(text).toString("base64");
			const sent = await api("submissions", entrant, {
				task: { name: "t.csv", content: b64(firstRows(5)) },
				card: { name: "t.card.yaml", content: b64(exampleCard) },
			});
			const id = (sent.receipt as { submission: string }).submission;
			for (let tries = 0; ; tries++) {
				const runs = (await api(`submissions/${id}`, c.organiser)).runs as Record<string, { status: string }>;
				if (
					["public", "private"].every((k) =>
						["failed", "complete", "partial"].includes(runs[k]?.status ?? ""),
					)
				)
					break;
				if (tries > 200) throw new Error(`not scored: ${JSON.stringify(runs)}`);
				await new Promise((r) => setTimeout(r, 250));
			}
		} finally {
			await c.stop();
		}
		const found = modes(c.data);
		// The store, the upload and both runs' folders are there, and every one is private.
		for (const expected of ["store.sqlite", "contest-uploads", "runs"])
			expect(found.map(([p]) => p)).toContain(expected);
		expect(found.some(([p]) => p.endsWith("t.card.yaml"))).toBe(true);
		expect(lstatSync(c.data).mode & 0o777).toBe(0o700);
		for (const [path, mode] of found)
			expect(mode.toString(8), path).toBe(lstatSync(join(c.data, path)).isDirectory() ? "700" : "600");
		rmSync(c.dir, { recursive: true, force: true });
	});
});
