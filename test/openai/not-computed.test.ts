/**
 * @module What a server did not compute is never read as a number: vLLM's -9999 prompt_logprobs
 * floor is refused with the model, the row and the fix (and nothing is averaged from it), and an
 * answer in another format (llama-server's log-probs) is refused at once, not retried.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LlamaCppBackend, openLlamaBackend } from "../../src/backends/llama/backend.js";
import { LogprobFloorError } from "../../src/backends/logprob-floor.js";
import { type OpenOpenAIBackendOptions, openOpenAIBackend } from "../../src/backends/openai/index.js";
import { runEval } from "../../src/engine/run-eval.js";
import type { LadderModel } from "../../src/ladders/types.js";
import type { RunManifest } from "../../src/run/manifest.js";
import { STORIES_260K } from "../helpers/models.js";
import { type OpenAITestServer, startOpenAITestServer } from "../helpers/openai-server.js";

const quick: OpenOpenAIBackendOptions = { env: {}, sleep: async () => {}, random: () => 0.5 };

const remote = (baseUrl: string): LadderModel => ({
	name: "remote-stories",
	family: "stories",
	source: { kind: "openai", baseUrls: [baseUrl], model: "stories260K" },
});

describe("log-probs a server did not compute", () => {
	let llama: LlamaCppBackend;
	const servers: OpenAITestServer[] = [];
	beforeAll(async () => {
		llama = await openLlamaBackend(STORIES_260K, { precision: "exact", threads: 1 });
	});
	afterAll(async () => {
		await Promise.all(servers.map((s) => s.close()));
		await llama.dispose();
	});

	it("refuses vLLM's -9999 floor at once, naming the model, the row and the fix; nothing is averaged", async () => {
		const server = await startOpenAITestServer({ backend: llama, flavour: "vllm", promptLogprobFloor: true });
		servers.push(server);
		const backend = await openOpenAIBackend(remote(server.baseUrl), quick);
		const tokens = await llama.tokenize("Once upon a time there was");
		const before = server.stats.requests;
		const refused = await backend
			.scoreContinuations([
				{
					context: { ids: tokens.slice(0, 3).map((t) => t.id), text: "Once upon a" },
					continuations: [{ ids: tokens.slice(3).map((t) => t.id), text: " time there was" }],
				},
			])
			.catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(LogprobFloorError);
		expect(refused).toMatchObject({ code: "unsupported", value: -9999 });
		// One request: a floor is not transient, so it is not asked again.
		expect(server.stats.requests - before).toBe(1);

		// Through a run: the condition fails with the row and the fix, and no loss is written.
		const dir = mkdtempSync(join(tmpdir(), "invscale-floor-"));
		writeFileSync(
			join(dir, "pick.csv"),
			`prompt,classes,answer_index\n"Once upon a time there was a","[' girl', ' dog']",0\n`,
		);
		const outcome = await runEval({
			tasks: [join(dir, "pick.csv")],
			models: [remote(server.baseUrl)],
			outDir: join(dir, "runs"),
			store: false,
			report: false,
			openBackend: (m) => openOpenAIBackend(m, quick),
		});
		expect(outcome.status).toBe("failed");
		const manifest = JSON.parse(readFileSync(join(dir, "runs", "pick", "run.json"), "utf8")) as RunManifest;
		const error = manifest.models[0]!.error!;
		expect(error).toContain("pick: row 0 (line 2): remote-stories:");
		expect(error).toContain("it answered -9999");
		expect(error).toContain("ask the server for more prompt log-probs");
		expect(
			readFileSync(join(dir, "runs", "pick", "remote-stories.csv"), "utf8")
				.trim()
				.split("\n"),
		).toHaveLength(1);
	});

	it("refuses llama-server's completions format at the first answer instead of retrying it", async () => {
		const server = await startOpenAITestServer({ backend: llama, flavour: "llama-server" });
		servers.push(server);
		const opened = openOpenAIBackend(remote(server.baseUrl), quick);
		await expect(opened).rejects.toMatchObject({
			code: "unsupported",
			message: expect.stringMatching(/another format: logprobs.tokens is not a list of strings/),
		});
		// GET /v1/models, then one echo request: the format is refused where it is first seen.
		expect(server.stats.requests).toBe(2);
	});
});
