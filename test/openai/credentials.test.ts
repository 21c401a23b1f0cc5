import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCachedBackend } from "../../src/backends/cached.js";
import { type LlamaCppBackend, openLlamaBackend } from "../../src/backends/llama/backend.js";
import { openOpenAIBackend } from "../../src/backends/openai/index.js";
import type { LadderModel } from "../../src/ladders/types.js";
import { openStore } from "../../src/store/index.js";
import { STORIES_260K } from "../helpers/models.js";
import { type OpenAITestServer, startOpenAITestServer } from "../helpers/openai-server.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

const KEY = "sk-invscale-test-7f3a9c1e5b2d4e6f";
const WRONG_KEY = "sk-wrong-key-0a1b2c3d4e5f6a7b";

function model(baseUrl: string, apiKeyEnv?: string): LadderModel {
	return {
		name: "remote",
		family: "stories",
		source: { kind: "openai", baseUrls: [baseUrl], model: "stories260K", apiKeyEnv, revision: "r1" },
	};
}

describe("API keys", () => {
	let llama: LlamaCppBackend;
	let server: OpenAITestServer;
	beforeAll(async () => {
		llama = await openLlamaBackend(STORIES_260K, { threads: 1 });
		server = await startOpenAITestServer({
			backend: llama,
			apiKey: KEY,
			faults: { rate: 0.3, kinds: ["500", "429"], seed: 3 },
		});
	});
	afterAll(async () => {
		await server.close();
		await llama.dispose();
		removeTempStores();
	});

	it("sends the key from the environment and writes it nowhere", async () => {
		const statuses: string[] = [];
		const remote = await openOpenAIBackend(model(server.baseUrl), {
			env: { OPENAI_API_KEY: KEY },
			sleep: async () => {},
			onStatus: (s) => statuses.push(JSON.stringify(s)),
		});
		const path = tempStorePath();
		const store = openStore(path);
		const cached = createCachedBackend(remote, store.cache, "precision=server");
		const tokens = await cached.tokenize("Once upon a time, Zoë smiled.");
		const context = { ids: tokens.slice(0, 4).map((t) => t.id), text: "Once upon a time" };
		const continuation = { ids: tokens.slice(4).map((t) => t.id), text: ", Zoë smiled." };
		const [scores] = await cached.scoreContinuations([{ context, continuations: [continuation] }]);
		expect(scores!.logprobs[0]!.length).toBe(continuation.ids.length);
		await cached.nextTokenLogprobs([{ context, candidates: [continuation.ids[0]!] }]);
		store.close();
		expect(new Set(server.stats.authorizations)).toEqual(new Set([`Bearer ${KEY}`]));
		expect(server.stats.faults["500"] + server.stats.faults["429"]).toBeGreaterThan(0);
		// The store file (and any journal beside it), the identity and the status lines hold no key.
		const folder = dirname(path);
		const files = readdirSync(folder);
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) expect(readFileSync(join(folder, file)).includes(KEY)).toBe(false);
		expect(readFileSync(path).includes(Buffer.from(`${server.baseUrl}|stories260K|r1`))).toBe(true);
		expect(JSON.stringify(remote.info)).not.toContain(KEY);
		expect(statuses.join("\n")).not.toContain(KEY);
	});

	it("keeps a rejected key out of the error, even when the server echoes it", async () => {
		const failure = await openOpenAIBackend(model(server.baseUrl, "MY_SERVER_KEY"), {
			env: { MY_SERVER_KEY: WRONG_KEY },
			sleep: async () => {},
		}).then(
			() => undefined,
			(e: unknown) => e as Error & { hint?: string },
		);
		expect(server.stats.authorizations).toContain(`Bearer ${WRONG_KEY}`);
		if (!failure) throw new Error("a wrong key was accepted");
		expect(failure.message).toContain("HTTP 401");
		expect(failure.message).toContain("Incorrect API key provided: Bearer [redacted]");
		expect(`${failure.message} ${failure.hint} ${failure.stack}`).not.toContain(WRONG_KEY);
		expect(failure.hint).toContain("MY_SERVER_KEY");
	});

	it("names a key variable that is not set", async () => {
		await expect(
			openOpenAIBackend(model(server.baseUrl, "MY_SERVER_KEY"), { env: {} }),
		).rejects.toMatchObject({
			code: "unsupported",
			message: expect.stringContaining("MY_SERVER_KEY"),
		});
	});
});
