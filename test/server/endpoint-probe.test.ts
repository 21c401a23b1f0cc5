/** The web app's endpoint check runs the real capability probe: a scoring server passes, others are refused with why. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LlamaCppBackend, openLlamaBackend } from "../../src/backends/llama/backend.js";
import { type AppServer, startServer } from "../../src/server/index.js";
import { STORIES_260K } from "../helpers/models.js";
import { type OpenAITestServer, startOpenAITestServer } from "../helpers/openai-server.js";

let work: string;
let app: AppServer;
let backend: LlamaCppBackend;
const servers: OpenAITestServer[] = [];

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), "invscale-probe-"));
	backend = await openLlamaBackend(STORIES_260K);
	app = await startServer({
		port: 0,
		dataDir: join(work, "data"),
		storeFile: join(work, "store.sqlite"),
		log: () => {},
	});
});
afterAll(async () => {
	await app?.close();
	for (const s of servers) await s.close();
	await backend?.dispose();
	rmSync(work, { recursive: true, force: true });
});

async function probe(flavour: "vllm" | "chat-only" | "ignore-echo") {
	const server = await startOpenAITestServer({ backend, flavour });
	servers.push(server);
	const response = await fetch(`${app.url.replace(/\/$/, "")}/api/ladders/probe`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({ baseUrl: server.baseUrl, models: [{ model: "stories260K", parameters: "293K" }] }),
	});
	expect(response.status).toBe(200);
	return (
		(await response.json()) as {
			results: Array<{ ok: boolean; error?: string; hint?: string; info?: { contextLength: number } }>;
		}
	).results[0];
}

describe("endpoint capability probe in the web app", () => {
	it("accepts a server that scores prompts", async () => {
		const result = await probe("vllm");
		expect(result.ok).toBe(true);
		expect(result.info?.contextLength).toBe(512);
	});

	it.each(["chat-only", "ignore-echo"] as const)(
		"refuses a %s server and says what would work",
		async (flavour) => {
			const result = await probe(flavour);
			expect(result.ok).toBe(false);
			expect(result.error).toBeTruthy();
			expect(`${result.error} ${result.hint}`).toMatch(/vLLM/);
		},
	);
});
