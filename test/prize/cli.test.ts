/** `invscale tasks`, `pull prize:…` and `eval prize:…` against the local hub, as a user runs them. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prizeTask, prizeTasks } from "../../src/tasks/prize-catalog.js";
import { fixturePath } from "../../src/testing/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { closeHubHome, openHubHome } from "../helpers/hub-home.js";
import type { HubServer } from "../helpers/hub-server.js";
import { randomModel } from "../helpers/models.js";
import { hostStandIns, sha256, standInClassification, standInSequence } from "./stand-ins.js";

let home: string;
let hub: HubServer;
let env: NodeJS.ProcessEnv;
const memo = standInClassification(24, 1);
const neqa = standInClassification(24, 2);

beforeAll(async () => {
	({ home, hub, env } = await openHubHome("invscale-prize-cli-"));
	hostStandIns(hub, { [prizeTask("memo-trap")!.file]: memo, [prizeTask("neqa")!.file]: neqa });
});
afterAll(() => closeHubHome({ home, hub }));

describe("prize tasks on the command line", () => {
	it("lists the 11 tasks with type, metric, cause, round and size", async () => {
		const text = await runCli(["tasks"], env);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/memo-trap\s+classification_acc\s+accuracy\s+strong prior\s+2\s+166 kB\s+-/);
		expect(text.stdout).toMatch(/prompt-injection\s+sequence_prob\s+loss\s+strong prior\s+2\s+863 kB/);
		expect(text.stdout).toMatch(/to download: 11 of 11 files, 23\.4 MB/);
		const json = JSON.parse((await runCli(["tasks", "--json"], env)).stdout);
		expect(json.tasks).toHaveLength(11);
		expect(json.tasks[2]).toMatchObject({
			name: "memo-trap",
			state: { kind: "missing" },
			authors: ["Alisa Liu", "Jiacheng Liu"],
		});
	}, 30_000);

	it("pulls prize:memo-trap,neqa, then lists them as on disk but differing from the catalog", async () => {
		const pulled = await runCli(["pull", "prize:memo-trap,neqa"], env);
		expect(pulled.stderr).toMatch(
			/warning: prize:memo-trap: memo-trap_classification\.jsonl differs from the catalog's copy/,
		);
		expect(pulled.stdout).toMatch(/2 prize tasks ready, .* \(2 downloaded now\), each with its card/);
		expect(pulled.code).toBe(0);
		const json = JSON.parse((await runCli(["tasks", "--json"], env)).stdout);
		const listed = json.tasks.find((t: { name: string }) => t.name === "memo-trap");
		expect(listed).toMatchObject({
			state: { kind: "present" },
			matchesCatalog: false,
			sha256OnDisk: sha256(memo),
		});
		expect((await runCli(["tasks"], env)).stdout).toMatch(/neqa .* on disk, differs from catalog/);
	}, 30_000);

	it("validates a cached prize task with its card", async () => {
		const result = await runCli(["validate", "prize:neqa", "--json"], { ...env, INVSCALE_OFFLINE: "1" });
		const json = JSON.parse(result.stdout);
		expect(json.valid).toBe(true);
		expect(json.files[0]).toMatchObject({ typeName: "classification_acc", typeSource: "card" });
	}, 30_000);

	it("rejects an unknown name before fetching anything", async () => {
		const before = hub.requests.length;
		const result = await runCli(["pull", "prize:memo-trap,memotrap"], env);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/no prize task named "memotrap"/);
		expect(hub.requests.length).toBe(before);
	}, 30_000);

	it("offline, an uncached prize task fails within seconds and says what to do", async () => {
		const started = Date.now();
		const result = await runCli(
			["eval", "prize:sig-figs", "--models", "none.gguf", "--out", join(home, "never")],
			{ ...env, INVSCALE_OFFLINE: "1" },
		);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/offline, and prize:sig-figs is not on disk/);
		expect(result.stderr).toMatch(/invscale pull prize:sig-figs/);
	}, 30_000);

	it("evals cached prize tasks offline, records both hashes and ends with the combined report", async () => {
		const models = [await randomModel("tiny-a"), await randomModel("tiny-b"), await randomModel("tiny-c")];
		const out = join(home, "runs");
		const before = hub.requests.length;
		const result = await runCli(
			[
				"eval",
				"prize:memo-trap,neqa",
				"--models",
				models.join(","),
				"--out",
				out,
				"--no-cache",
				"--reference",
				fixturePath("michaelovBergen"),
			],
			{ ...env, INVSCALE_OFFLINE: "1" },
		);
		expect(result.stderr + result.stdout).not.toMatch(/unexpected error/);
		expect(result.code).toBe(0);
		expect(hub.requests.length).toBe(before);
		expect(result.stderr).toMatch(/differs from the catalog's copy/);
		const manifest = JSON.parse(readFileSync(join(out, "memo-trap_classification", "run.json"), "utf8"));
		expect(manifest.task.catalog).toMatchObject({
			name: "memo-trap",
			sha256: sha256(memo),
			expectedSha256: prizeTask("memo-trap")!.sha256,
			matches: false,
		});
		expect(manifest.task.card).toBe("memo-trap_classification.card.yaml");
		expect(manifest.task.typeName).toBe("classification_acc");
		const html = readFileSync(join(out, "memo-trap_classification", "report.html"), "utf8");
		expect(html).toMatch(/data-catalog="differs"/);
		expect(html).toContain(sha256(memo));
		expect(html).toContain(prizeTask("memo-trap")!.sha256);
		// The combined report over the two tasks, with q (BH) on stdout.
		expect(existsSync(join(out, "report.html"))).toBe(true);
		const index = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
		expect(index.combined.rows.map((r: { task: string }) => r.task)).toEqual([
			"memo-trap_classification",
			"neqa_classification",
		]);
		expect(result.stdout).toMatch(/q \(BH\)/);
		expect(result.stdout).toMatch(/memo-trap_classification\s+correct/);
		// The published table is read; these models are not Pythia, so nothing is compared.
		expect(result.stdout).toMatch(
			/memo-trap_classification: no model of the run is in the published accuracy table/,
		);
		const taskJson = JSON.parse(readFileSync(join(out, "neqa_classification", "report.json"), "utf8"));
		expect(taskJson.reference.task).toBe("neqa");
	}, 120_000);

	it("prize:all runs the 11 tasks and ends with the table of all 11, q by Benjamini–Hochberg", async () => {
		const allHome = mkdtempSync(join(tmpdir(), "invscale-prize-all-"));
		const files = Object.fromEntries(
			prizeTasks.map((t, i) => [
				t.file,
				t.type === "sequence_prob" ? standInSequence(12) : standInClassification(12, i + 1),
			]),
		);
		hostStandIns(hub, files);
		const models = [await randomModel("tiny-a"), await randomModel("tiny-b")];
		const out = join(allHome, "runs");
		const result = await runCli(
			["eval", "prize:all", "--models", models.join(","), "--out", out, "--no-cache"],
			{
				INVSCALE_HOME: allHome,
				HF_ENDPOINT: hub.endpoint,
			},
		);
		expect(result.stderr + result.stdout).not.toMatch(/unexpected error/);
		expect(result.code).toBe(0);
		const index = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
		const rows = index.combined.rows as { task: string; p: number | null; q: number | null }[];
		expect(rows.map((r) => r.task)).toEqual(prizeTasks.map((t) => t.file.replace(/\.jsonl$/, "")).sort());
		// q recomputed by hand: p_(i)·m/i with a running minimum from the largest p down.
		const finite = rows.filter((r) => r.p !== null).sort((a, b) => a.p! - b.p!);
		expect(finite.length).toBeGreaterThan(5);
		let running = 1;
		const expected = new Map<string, number>();
		for (let k = finite.length - 1; k >= 0; k--) {
			running = Math.min(running, (finite[k].p! * finite.length) / (k + 1));
			expected.set(finite[k].task, running);
		}
		for (const r of rows) if (r.p !== null) expect(r.q, r.task).toBeCloseTo(expected.get(r.task)!, 12);
		expect(result.stdout).toMatch(/prompt-injection_sequence-probability\s+loss/);
		expect(result.stdout.match(/_classification\s+correct/g)).toHaveLength(10);
		rmSync(allHome, { recursive: true, force: true });
	}, 240_000);
});
