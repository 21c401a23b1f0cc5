/**
 * The OpenAI-compatible client against answers written as vLLM and the OpenAI API write them
 * (test/fixtures/openai), not against the project's own emulator: both dialects' tokenize and
 * scoring, and the error bodies of both servers. Expected numbers are read from the fixture
 * files here, by position and token id.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HttpClient, ServerRefusal } from "../../src/backends/http/client.js";
import { OpenAIBackend, pieceId } from "../../src/backends/openai/backend.js";
import { parseEcho } from "../../src/backends/openai/echo.js";
import type { ServerTraits } from "../../src/backends/openai/traits.js";
import type { BackendInfo } from "../../src/backends/types.js";
import { type ReplayAnswer, type ReplayServer, startReplayServer } from "../helpers/replay-server.js";

const dir = join(import.meta.dirname, "..", "fixtures", "openai");
const file = (name: string) => join(dir, name);
const fixture = (name: string) => JSON.parse(readFileSync(file(name), "utf8"));

let server: ReplayServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function backendOn(
	answers: Record<string, ReplayAnswer[]>,
	traits: ServerTraits,
): Promise<{ backend: OpenAIBackend; server: ReplayServer }> {
	server = await startReplayServer(answers);
	const client = new HttpClient({ baseUrls: [server.baseUrl], retry: { maxAttempts: 1 } });
	const info: BackendInfo = {
		name: "remote",
		identity: `${server.baseUrl}|model|`,
		kind: "openai",
		contextLength: 4096,
		tokenizer: "server",
		addsBos: traits.bosIds.length > 0 || traits.leading > 0,
	};
	return { backend: new OpenAIBackend(info, client, "model", traits), server };
}

const vllm: ServerTraits = { dialect: "ids", bosIds: [1], leading: 1, promptLogprobs: true };
const openai: ServerTraits = { dialect: "text", bosIds: [], leading: 0, promptLogprobs: false };
const TEXT = "Once upon a time, Zoë";

describe("vLLM answers", () => {
	it("parses an echo with vLLM's <s>, offsets that count it, and null first log-probs", () => {
		const parsed = parseEcho(fixture("vllm-echo-text.json"), 1);
		expect(parsed.kind).toBe("ok");
		if (parsed.kind !== "ok") return;
		const [choice] = parsed.choices;
		expect(choice.tokens[0]).toBe("<s>");
		expect(choice.logprobs[0]).toBeNull();
		expect(choice.offsets).toEqual([0, 3, 7, 12, 14, 19, 20, 23]);
		expect(choice.promptLogprobs).toBeUndefined();
	});

	it("tokenize: ids from /tokenize, code-point spans from the echo, BOS left out", async () => {
		const { backend, server } = await backendOn(
			{
				"POST /tokenize": [{ file: file("vllm-tokenize.json") }],
				"POST /v1/completions": [{ file: file("vllm-echo-text.json") }],
			},
			vllm,
		);
		const tokens = await backend.tokenize(TEXT);
		// The echo's token texts after <s>, laid end to end over the prompt, in code points.
		const pieces = ["Once", " upon", " a", " time", ",", " Zo", "ë"];
		const spans = pieces.map((_, i) => {
			const start = pieces.slice(0, i).reduce((n, p) => n + [...p].length, 0);
			return { start, end: start + [...pieces[i]].length };
		});
		expect(tokens).toEqual(
			fixture("vllm-tokenize.json").tokens.map((id: number, i: number) => ({ id, ...spans[i] })),
		);
		expect(tokens.map((t) => [...TEXT].slice(t.start, t.end).join(""))).toEqual(pieces);
		const sent = server.requests.find((r) => r.path === "/tokenize")!.body as Record<string, unknown>;
		expect(sent).toMatchObject({ prompt: TEXT, add_special_tokens: false });
		const echo = server.requests.find((r) => r.path === "/v1/completions")!.body as Record<string, unknown>;
		expect(echo).toMatchObject({ prompt: [TEXT], echo: true, logprobs: 1, max_tokens: 0 });
	});

	it.each([
		["prompt_logprobs keyed by token id", "vllm-echo-ids.json", true],
		[
			"token_logprobs by position when prompt_logprobs is null",
			"vllm-echo-ids-no-prompt-logprobs.json",
			false,
		],
	])("scores token-id prompts from %s", async (_, name, promptLogprobs) => {
		const { backend, server } = await backendOn(
			{ "POST /v1/completions": [{ file: file(name) }] },
			{
				...vllm,
				promptLogprobs,
			},
		);
		const context = { ids: [9038, 2501, 263, 931], text: "Once upon a time" };
		const [scores] = await backend.scoreContinuations([
			{
				context,
				continuations: [
					{ ids: [29892], text: "," },
					{ ids: [1796, 30083], text: " Zoë" },
				],
			},
		]);
		// Expected: each continuation token's log-prob, looked up in the file by position 5 onwards.
		const choices = fixture(name).choices;
		expect(scores.logprobs).toEqual([
			[choices[0].logprobs.token_logprobs[5]],
			[choices[1].logprobs.token_logprobs[5], choices[1].logprobs.token_logprobs[6]],
		]);
		if (promptLogprobs) {
			expect(scores.logprobs[1][1]).toBe(choices[1].prompt_logprobs[6]["30083"].logprob);
		}
		const sent = server.requests[0]!.body as Record<string, unknown>;
		expect(sent.prompt).toEqual([
			[1, 9038, 2501, 263, 931, 29892],
			[1, 9038, 2501, 263, 931, 1796, 30083],
		]);
		expect(sent).toMatchObject({ echo: true, logprobs: 1, max_tokens: 0 });
		expect("prompt_logprobs" in sent).toBe(promptLogprobs);
	});
});

describe("OpenAI answers (davinci-002 style, text prompts)", () => {
	it("tokenize: spans from text_offset, ids from the token texts", async () => {
		const { backend } = await backendOn(
			{ "POST /v1/completions": [{ file: file("openai-echo-tokenize.json") }] },
			openai,
		);
		const tokens = await backend.tokenize("Once upon a time");
		expect(tokens).toEqual([
			{ id: pieceId("Once"), start: 0, end: 4 },
			{ id: pieceId(" upon"), start: 4, end: 9 },
			{ id: pieceId(" a"), start: 9, end: 11 },
			{ id: pieceId(" time"), start: 11, end: 16 },
		]);
	});

	it("scores classes sent as text: the tokens after the context, found by offset", async () => {
		const { backend, server } = await backendOn(
			{
				"POST /v1/completions": [
					{ file: file("openai-echo-tokenize.json") },
					{ file: file("openai-echo-classes.json") },
				],
			},
			openai,
		);
		const context = await backend.tokenize("Once upon a time");
		const [scores] = await backend.scoreContinuations([
			{
				context: { ids: context.map((t) => t.id), text: "Once upon a time" },
				continuations: [
					{ ids: [pieceId(" there")], text: " there" },
					{ ids: [pieceId(" Zo"), pieceId("ë")], text: " Zoë" },
				],
			},
		]);
		const choices = fixture("openai-echo-classes.json").choices;
		expect(scores.logprobs).toEqual([
			[choices[0].logprobs.token_logprobs[4]],
			choices[1].logprobs.token_logprobs.slice(4, 6),
		]);
		expect(server.requests[1]!.body).toMatchObject({
			prompt: ["Once upon a time there", "Once upon a time Zoë"],
			echo: true,
			logprobs: 1,
			max_tokens: 0,
		});
	});
});

describe("error bodies", () => {
	async function failure(name: string, status: number): Promise<unknown> {
		server = await startReplayServer({ "POST /v1/completions": [{ status, file: file(name) }] });
		const client = new HttpClient({
			baseUrls: [server.baseUrl],
			apiKeyEnv: "OPENAI_API_KEY",
			retry: { maxAttempts: 1 },
		});
		return client
			.send("completions", () => ({ kind: "ok", value: 1 }), { body: {} })
			.then(
				() => undefined,
				(error: unknown) => error,
			);
	}

	it.each([
		["openai-error-401.json", 401, "Incorrect API key provided: sk-test"],
		["openai-error-404.json", 404, "The model `davinci-003` does not exist or you do not have access to it."],
		["vllm-error-400-legacy.json", 400, "This model's maximum context length is 4096 tokens."],
		["vllm-error-404.json", 404, "The model `llama-2-7b` does not exist."],
		["vllm-error-404-route.json", 404, "answered HTTP 404: Not Found"],
	])("%s (HTTP %d) is refused at once with the server's message", async (name, status, message) => {
		const error = await failure(name, status);
		expect(error).toBeInstanceOf(ServerRefusal);
		expect((error as ServerRefusal).status).toBe(status);
		expect((error as Error).message).toContain(`answered HTTP ${status}: `);
		expect((error as Error).message).toContain(message);
		// The message, not the JSON around it.
		expect((error as Error).message).not.toMatch(/[{}]|invalid_request_error|BadRequestError/);
		if (status === 401) expect((error as ServerRefusal).hint).toContain("OPENAI_API_KEY");
	});

	it.each([
		["openai-error-429.json", 429, "Rate limit reached for davinci-002"],
		["openai-error-500.json", 500, "The server had an error while processing your request."],
	])("%s (HTTP %d) is retried, and the give-up names the server's message", async (name, status, message) => {
		const error = await failure(name, status);
		expect(error).not.toBeInstanceOf(ServerRefusal);
		expect((error as Error).message).toContain("gave up after 1 try");
		expect((error as Error).message).toContain(`HTTP ${status}: ${message}`);
		expect((error as Error).message).not.toMatch(/[{}]/);
	});
});
