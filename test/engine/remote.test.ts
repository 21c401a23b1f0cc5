/**
 * `invscale eval` through an OpenAI-compatible server (the in-repo test server on top of llama.cpp):
 * the same numbers as in-process scoring for every task type, exactly the same results when 20% of
 * requests fail, and the API key in no file the run writes.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LlamaCppBackend, openLlamaBackend } from "../../src/backends/llama/backend.js";
import { createPrng } from "../../src/util/prng.js";
import { runCli } from "../helpers/cli.js";
import { STORIES_260K } from "../helpers/models.js";
import { type FaultKind, type OpenAITestServer, startOpenAITestServer } from "../helpers/openai-server.js";

const KEY = "sk-test-4f1d9c-SECRET-never-written";
const fixtures = join(import.meta.dirname, "..", "fixtures", "eval");
let dir: string;
let backend: LlamaCppBackend;
let server: OpenAITestServer;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), "invscale-remote-"));
	backend = await openLlamaBackend(STORIES_260K, { precision: "exact" });
	server = await startOpenAITestServer({ backend, model: "stories260K", apiKey: KEY });
	writeFileSync(
		join(dir, "remote.yaml"),
		`name: remote\nmodels:\n  - name: stories260K\n    family: tinystories\n    parameters: 292800\n    openai:\n      base_url: ${server.baseUrl}\n      model: stories260K\n`,
	);
});
afterAll(async () => {
	await server?.close();
	await backend?.dispose();
});

const numeric = (rows: Record<string, string>[], column: string) => rows.map((r) => Number(r[column]));

async function evalBoth(file: string, extra: string[] = []) {
	const name = file.replace(/\.[a-z]+$/, "");
	const tag = extra.join("").replace(/\W/g, "");
	const remote = await runCli(
		[
			"eval",
			join(fixtures, file),
			"--ladder",
			join(dir, "remote.yaml"),
			"--out",
			join(dir, `remote${tag}`),
			"--store",
			join(dir, "remote.sqlite"),
			"--no-report",
			...extra,
		],
		{ OPENAI_API_KEY: KEY },
	);
	expect(remote.stderr).not.toMatch(/error:/);
	expect(remote.code).toBe(0);
	const local = await runCli([
		"eval",
		join(fixtures, file),
		"--models",
		STORIES_260K,
		"--precision",
		"exact",
		"--out",
		join(dir, `local${tag}`),
		"--no-cache",
		"--no-report",
		...extra,
	]);
	expect(local.code).toBe(0);
	const read = (which: string) =>
		parse(readFileSync(join(dir, `${which}${tag}`, name, "stories260K.csv"), "utf8"), {
			columns: true,
		}) as Record<string, string>[];
	return { remote: read("remote"), local: read("local"), output: remote.stdout + remote.stderr };
}

describe("eval through an OpenAI-compatible server", () => {
	it.each([
		["classification.csv", ["loss", "total_logprob"], []],
		["sequence.jsonl", ["loss"], []],
		["logodds.csv", ["logodds_difference", "total_logprob"], []],
		["logodds.csv", ["logodds_difference", "total_logprob"], ["--type", "absolute_logodds"]],
	] as const)("%s %s: equals in-process scores to 1e-4", async (file, columns, extra) => {
		const { remote, local, output } = await evalBoth(file, [...extra]);
		expect(remote).toHaveLength(local.length);
		for (const column of columns) {
			const a = numeric(remote, column);
			const b = numeric(local, column);
			for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4);
		}
		if ("correct" in local[0]) expect(numeric(remote, "correct")).toEqual(numeric(local, "correct"));
		expect(output).not.toContain(KEY);
	});

	it("gives exactly the results of a clean run when 20% of requests fail", async () => {
		const run = async (tag: string) => {
			const result = await runCli(
				[
					"eval",
					join(fixtures, "classification.csv"),
					"--ladder",
					join(dir, "remote.yaml"),
					"--out",
					join(dir, tag),
					"--store",
					join(dir, `${tag}.sqlite`),
					"--no-report",
				],
				{ OPENAI_API_KEY: KEY },
			);
			expect(result.code).toBe(0);
			return readFileSync(join(dir, tag, "classification", "stories260K.csv"), "utf8");
		};
		const clean = await run("clean");
		// A seeded script: each of the next 400 requests fails with probability 0.2, of mixed kinds.
		const kinds: FaultKind[] = ["429", "500", "slow", "drop", "malformed", "missing-logprobs"];
		const random = createPrng(2022);
		const script = Array.from({ length: 400 }, () =>
			random.nextFloat() < 0.2 ? kinds[random.nextInt(kinds.length)] : null,
		);
		const before = { ...server.stats.faults };
		server.script(script);
		const faulty = await run("faulty");
		server.script([]);
		const injected = Object.entries(server.stats.faults).filter(([k, n]) => n > before[k as FaultKind]);
		expect(injected.length).toBeGreaterThanOrEqual(3);
		expect(faulty).toBe(clean);
	});

	it("never writes the API key: not in results, run.json, report, cache or output", async () => {
		const out = join(dir, "keyed");
		const result = await runCli(
			[
				"eval",
				join(fixtures, "classification.csv"),
				"--ladder",
				join(dir, "remote.yaml"),
				"--out",
				out,
				"--store",
				join(out, "store.sqlite"),
			],
			{ OPENAI_API_KEY: KEY },
		);
		expect(result.code).toBe(0);
		expect(server.stats.authorizations).toContain(`Bearer ${KEY}`);
		expect(result.stdout + result.stderr).not.toContain(KEY);
		const files: string[] = [];
		const walk = (d: string) => {
			for (const name of readdirSync(d)) {
				const path = join(d, name);
				if (statSync(path).isDirectory()) walk(path);
				else files.push(path);
			}
		};
		walk(out);
		expect(files.some((f) => f.endsWith("report.html"))).toBe(true);
		expect(files.some((f) => f.endsWith("store.sqlite"))).toBe(true);
		for (const file of files) expect(readFileSync(file).includes(KEY), file).toBe(false);
	});
});
