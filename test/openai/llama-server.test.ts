/**
 * Against llama.cpp's real `llama-server` (built from node-llama-cpp's source bundle, or named by
 * INVSCALE_LLAMA_SERVER): chat generation runs end to end, and log-prob scoring, which it cannot
 * give, is refused at once with a message that says why. Skipped with one line when none is found.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { lookupLlamaTool } from "../helpers/llama-tools.js";
import { STORIES_260K } from "../helpers/models.js";

const tool = lookupLlamaTool("llama-server");

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once("error", reject);
		probe.listen(0, "127.0.0.1", () => {
			const address = probe.address();
			const port = typeof address === "object" && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

/** Waits until the server answers /health with 200 (the model is loaded), or it exits. */
async function untilHealthy(base: string, child: ChildProcess, log: () => string): Promise<void> {
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`llama-server exited (${child.exitCode}):\n${log()}`);
		const ok = await fetch(`${base}/health`).then(
			(r) => r.ok,
			() => false,
		);
		if (ok) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`llama-server did not become healthy:\n${log()}`);
}

describe.skipIf(!tool.found)("a real llama-server", () => {
	let child: ChildProcess;
	let base = "";
	const dir = mkdtempSync(join(tmpdir(), "llama-server-test-"));
	const task = join(dir, "pick.csv");
	const home = join(dir, "home");

	beforeAll(async () => {
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		let output = "";
		child = spawn(
			tool.found ? tool.path : "",
			[
				"-m",
				STORIES_260K,
				"--alias",
				"stories260K",
				"--host",
				"127.0.0.1",
				"--port",
				String(port),
				"-c",
				"512",
				"-t",
				"1",
				"-np",
				"1",
			],
			{ stdio: ["ignore", "pipe", "pipe"] },
		);
		child.stdout?.on("data", (d) => {
			output += d;
		});
		child.stderr?.on("data", (d) => {
			output += d;
		});
		await untilHealthy(base, child, () => output.slice(-2000));
		writeFileSync(
			task,
			"prompt,classes,answer_index\n\"Once upon a time, there was a little\",\"[' girl', ' boy']\",0\n\"Lily liked to play with her\",\"[' ball', ' dog']\",0\n",
		);
	}, 120_000);

	afterAll(() => {
		child?.kill("SIGKILL");
	});

	it("asks each question by chat and reads the answers", async () => {
		const ladder = join(dir, "chat.yaml");
		writeFileSync(
			ladder,
			`name: real-server\nmodels:\n  - name: stories-chat\n    openai: { base_url: ${base}/v1, model: stories260K, api: chat, dialect: llama-server }\n`,
		);
		const result = await runCli(
			["eval", task, "--ladder", ladder, "--budgets", "0", "--out", join(dir, "chat-runs"), "--no-cache"],
			{ INVSCALE_HOME: home },
		);
		expect(result.code, result.stderr).toBe(0);
		const run = JSON.parse(readFileSync(join(dir, "chat-runs", "pick", "run.json"), "utf8"));
		expect(run.models.map((m: { status: string }) => m.status)).toEqual(["ok"]);
		const rows = readFileSync(join(dir, "chat-runs", "pick", `${run.models[0].name}.csv`), "utf8")
			.trim()
			.split("\n");
		expect(rows).toHaveLength(3); // the header and one row per question
	}, 120_000);

	it("refuses log-prob scoring at once, saying the answer came in another format", async () => {
		const ladder = join(dir, "score.yaml");
		writeFileSync(
			ladder,
			`name: real-server\nmodels:\n  - name: stories-remote\n    openai: { base_url: ${base}/v1, model: stories260K }\n`,
		);
		const result = await runCli(
			["eval", task, "--ladder", ladder, "--out", join(dir, "score-runs"), "--no-cache"],
			{
				INVSCALE_HOME: home,
			},
		);
		expect(result.code).not.toBe(0);
		expect(result.stderr).toMatch(/another format/);
		expect(result.stderr).not.toMatch(/gave up after/);
	}, 120_000);
});
