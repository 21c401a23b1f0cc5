/**
 * Byte-identical results: one sequence_prob task on a small random model, with llama.cpp in process
 * at fast and at exact precision, written by `--concurrency 1`, by the default concurrency, by more
 * examples in flight than contexts, from a cold and from a warm cache, and by a run SIGKILLed at
 * several points and resumed. Every one must write the same `<model>.csv`, `details/`,
 * `summary.json` and `labelled_data.jsonl`, byte for byte.
 * The task's prompts share openings of varying length, repeat, and start differently, so any score
 * that depends on what its context evaluated before, or on which context it landed on, shows.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEval } from "../../src/engine/run-eval.js";
import type { Precision } from "../../src/run/manifest.js";
import { countEntries } from "../../src/store/cache-admin.js";
import { openStore } from "../../src/store/index.js";
import { sha256File } from "../../src/util/hash.js";
import { repoRoot } from "../helpers/cli.js";
import { randomModel } from "../helpers/models.js";

const EXAMPLES = 240;
const MODEL = "tiny-b";
const FILES = [`${MODEL}.csv`, `details/${MODEL}.jsonl`, "summary.json", "labelled_data.jsonl"];

const words = (
	"once upon a time there was a little girl named lily she liked to play with her dog in the park " +
	"one day they saw a big red ball and a tree by the water the sun was warm so they sat down to rest"
).split(" ");

/** A fixed pseudo-random task: most prompts open alike, every fifth repeats the one before. */
function writeTask(dir: string): string {
	let x = 11;
	const next = () => {
		x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
		return x / 2 ** 32;
	};
	const pick = (n: number) =>
		Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(" ");
	const lines: string[] = [];
	let prompt = "";
	for (let i = 0; i < EXAMPLES; i++) {
		if (i % 5 !== 4) {
			const story = pick(3 + Math.floor(next() * 16));
			prompt = i % 7 === 3 ? `${story}.` : `Finish the story. ${story}.`;
		}
		lines.push(JSON.stringify({ prompt, completion: ` ${pick(2 + Math.floor(next() * 8))}.` }));
	}
	const path = join(dir, "story-end.jsonl");
	writeFileSync(path, `${lines.join("\n")}\n`);
	return path;
}

/**
 * Loaded before the CLI in a child: once `<model>.csv` holds HOLD_ROWS rows it prints "held" and
 * blocks the main thread for good, so the parent kills it at that point, not at a moment of timing.
 */
const HOLD = `
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
const file = process.env.HOLD_FILE;
const rows = Number(process.env.HOLD_ROWS);
const append = fs.appendFileSync;
let written = -1; // the header line
fs.appendFileSync = function (path, data, ...rest) {
	append.call(this, path, data, ...rest);
	if (typeof path !== "string" || !path.endsWith(file)) return;
	written += String(data).split("\\n").length - 1;
	if (written >= rows) {
		fs.writeSync(2, "held\\n");
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
	}
};
syncBuiltinESMExports();
`;

function cliArgs(task: string, model: string, out: string, store: string, precision: Precision): string[] {
	return [
		"eval",
		task,
		"--models",
		model,
		"--out",
		out,
		"--store",
		store,
		"--no-report",
		"--precision",
		precision,
	];
}

/** Runs the CLI in a child until it has written `rows` rows, then SIGKILLs it. */
async function killAt(args: string[], hold: string, rows: number): Promise<void> {
	const child = spawn(
		process.execPath,
		["--import", "tsx", "--import", hold, join(repoRoot, "src/cli/main.ts"), ...args],
		{
			cwd: repoRoot,
			env: { ...process.env, HOLD_FILE: `/${MODEL}.csv`, HOLD_ROWS: String(rows) },
			stdio: ["ignore", "ignore", "pipe"],
		},
	);
	let stderr = "";
	await new Promise<void>((done, fail) => {
		child.stderr.on("data", (d) => {
			stderr += d;
			if (stderr.includes("held\n")) {
				child.kill("SIGKILL");
				done();
			}
		});
		child.on("exit", () => fail(new Error(`the run ended before it was held at ${rows} rows:\n${stderr}`)));
	});
	await new Promise((r) => child.once("exit", r));
	expect(child.signalCode).toBe("SIGKILL");
}

async function runInProcess(
	task: string,
	model: string,
	out: string,
	store: string,
	precision: Precision,
	concurrency?: number,
): Promise<void> {
	const outcome = await runEval(
		{
			tasks: [task],
			models: [{ name: MODEL, family: "test", source: { kind: "file", path: model } }],
			outDir: out,
			store,
			report: false,
			precision,
			concurrency,
		},
		() => {},
	);
	expect(outcome.status).toBe("complete");
}

function read(out: string, file: string): string {
	return readFileSync(join(out, "story-end", file), "utf8");
}

function backendCalls(out: string): number {
	return JSON.parse(read(out, "run.json")).models[0].backendCalls;
}

describe.each(["fast", "exact"] as const)("%s precision: byte-identical files", (precision) => {
	it("--concurrency 1, the default, 7, a warm cache, and runs killed and resumed", {
		timeout: 240_000,
	}, async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-identical-"));
		const task = writeTask(dir);
		const model = await randomModel(MODEL);
		const hold = join(dir, "hold.mjs");
		writeFileSync(hold, HOLD);

		const reference = join(dir, "one-at-a-time");
		await runInProcess(task, model, reference, join(dir, "a.sqlite"), precision, 1);
		expect(read(reference, `${MODEL}.csv`).split("\n")).toHaveLength(EXAMPLES + 2);
		const expected = FILES.map((f) => read(reference, f));
		const same = (out: string, label: string) => {
			for (const [i, file] of FILES.entries()) expect(read(out, file), `${label}: ${file}`).toBe(expected[i]);
		};

		const cold = join(dir, "default");
		await runInProcess(task, model, cold, join(dir, "b.sqlite"), precision);
		expect(backendCalls(cold)).toBe(EXAMPLES);
		same(cold, "default concurrency, cold cache");

		// More examples in flight than contexts: they wait for a free one, in whatever order.
		const crowded = join(dir, "crowded");
		await runInProcess(task, model, crowded, join(dir, "d.sqlite"), precision, 7);
		same(crowded, "--concurrency 7, cold cache");

		const warm = join(dir, "warm");
		await runInProcess(task, model, warm, join(dir, "a.sqlite"), precision);
		expect(backendCalls(warm)).toBe(0);
		same(warm, "default concurrency, warm cache");

		// Killed three times, each time further on, then run to the end.
		const out = join(dir, "killed");
		const store = join(dir, "c.sqlite");
		const args = cliArgs(task, model, out, store, precision);
		const identity = `sha256:${await sha256File(model)}`;
		let cached = 0;
		for (const rows of [1, EXAMPLES / 3, (2 * EXAMPLES) / 3]) {
			await killAt(args, hold, rows);
			const db = openStore(store);
			const now = countEntries(db, [identity]);
			db.close();
			expect(now).toBeGreaterThanOrEqual(rows);
			expect(now).toBeGreaterThan(cached);
			expect(now).toBeLessThan(EXAMPLES);
			cached = now;
		}
		await runInProcess(task, model, out, store, precision);
		expect(backendCalls(out)).toBe(EXAMPLES - cached);
		same(out, "killed three times and resumed");
	});
});
