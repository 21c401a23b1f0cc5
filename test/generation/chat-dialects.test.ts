import { afterEach, describe, expect, it } from "vitest";
import { AnthropicBackend, openAnthropicBackend } from "../../src/backends/anthropic/index.js";
import { OpenAIChatBackend, openOpenAIBackend } from "../../src/backends/openai/index.js";
import { BackendError, type ChatRequest } from "../../src/backends/types.js";
import { openBackend } from "../../src/engine/open-backend.js";
import type { LadderModel } from "../../src/ladders/types.js";
import {
	type ChatServerDialect,
	type ChatTestServer,
	type ScriptedAnswer,
	type ScriptedChatRequest,
	startChatTestServer,
} from "../../src/testing/chat-server.js";

const KEY = "sk-test-4b1d9e7a2c5f8e3b6a0d";

const servers: ChatTestServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
});

/** Scripted to get worse with more reasoning: right ("B") with little, wrong ("C") with much. */
function worseWithReasoning(request: ScriptedChatRequest) {
	const amount =
		request.budgetTokens ?? { minimal: 0, low: 100, medium: 1000, high: 5000 }[request.effort ?? ""] ?? 0;
	const steps = Math.min(40, Math.floor(amount / 100));
	return {
		text: request.thinking && amount >= 1000 ? "Answer: C" : "Answer: B",
		reasoning: Array.from({ length: steps }, (_, i) => `step${i}`).join(" "),
	};
}

/** A server of `dialect`; `apiKey` null: one that takes no key. */
async function start(
	dialect: ChatServerDialect,
	respond: (request: ScriptedChatRequest) => ScriptedAnswer = worseWithReasoning,
	apiKey: string | null = KEY,
) {
	const server = await startChatTestServer({
		dialect,
		respond,
		model: "m",
		retryAfter: "0.2",
		...(apiKey !== null && { apiKey }),
	});
	servers.push(server);
	return server;
}

function openaiModel(baseUrls: string[]): LadderModel {
	return { name: "chat", family: "f", source: { kind: "openai", baseUrls, model: "m", api: "chat" } };
}

function claude(baseUrls: string[]): LadderModel {
	return { name: "claude", family: "claude", source: { kind: "anthropic", baseUrls, model: "m" } };
}

const quiet = { sleep: async () => {}, random: () => 0 };
const question: ChatRequest["messages"] = [
	{ role: "system", content: "Answer with one letter." },
	{ role: "user", content: "Which is right? A, B or C" },
];

describe("OpenAI chat dialect (reasoning models)", () => {
	it("sends reasoning_effort with max_completion_tokens and no temperature, and reads reasoning tokens", async () => {
		const server = await start("openai");
		const backend = await openOpenAIBackend(openaiModel([server.baseUrl]), {
			...quiet,
			env: { OPENAI_API_KEY: KEY },
			chatDialect: "openai",
		});
		const results = await backend.chat!.chat(
			["low", "high"].map((effort) => ({
				messages: question,
				maxTokens: 200,
				temperature: 0,
				seed: 3,
				reasoning: { effort },
			})),
		);
		expect(results.map((r) => r.text)).toEqual(["Answer: B", "Answer: C"]);
		// OpenAI shows no reasoning text, only its token count (here 1 and 40 scripted words).
		expect(results.map((r) => r.reasoning)).toEqual([undefined, undefined]);
		expect(results.map((r) => r.usage.reasoningTokens)).toEqual([1, 40]);
		expect(results[1]!.usage).toEqual({ inputTokens: 11, outputTokens: 42, reasoningTokens: 40 });
		const body = server.stats.bodies[0]!;
		expect(body).toMatchObject({ reasoning_effort: "low", max_completion_tokens: 200, seed: 3 });
		expect(body).not.toHaveProperty("temperature");
		expect(body).not.toHaveProperty("max_tokens");
		expect(backend.counters.generation).toEqual({
			requests: 2,
			inputTokens: 22,
			outputTokens: 3 + 42,
			reasoningTokens: 41,
			missing: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
			reasoningTokensDerived: 0,
			reasoningTokensEstimated: 0,
		});
		await expect(
			backend.chat!.chat([
				{ messages: question, maxTokens: 10, temperature: 0, reasoning: { budgetTokens: 100 } },
			]),
		).rejects.toMatchObject({ code: "unsupported" });
		await backend.dispose();
	});

	it("reports a cut answer as finish reason length", async () => {
		const server = await start("openai", () => ({ text: "one two three four five" }));
		const backend = await openOpenAIBackend(openaiModel([server.baseUrl]), {
			...quiet,
			env: { OPENAI_API_KEY: KEY },
			chatDialect: "openai",
		});
		const [cut] = await backend.chat!.chat([{ messages: question, maxTokens: 3, temperature: 0 }]);
		expect(cut).toMatchObject({ text: "one two three", finishReason: "length" });
		expect(server.stats.bodies[0]).toMatchObject({ temperature: 0, max_completion_tokens: 3 });
	});
});

describe("vLLM chat dialect", () => {
	it("reads the reasoning field, sends budgets as thinking_token_budget and budget 0 as enable_thinking: false", async () => {
		const server = await start("vllm", worseWithReasoning, null);
		const backend = await openOpenAIBackend(openaiModel([server.baseUrl]), quiet);
		const [none, small, large] = await backend.chat!.chat(
			[0, 300, 2000].map((budgetTokens) => ({
				messages: question,
				maxTokens: 100,
				temperature: 0.6,
				reasoning: { budgetTokens },
			})),
		);
		// vLLM reports no reasoning-token count here: unknown (null), never 0.
		expect(none).toEqual({
			text: "Answer: B",
			finishReason: "stop",
			usage: { inputTokens: 11, outputTokens: 2, reasoningTokens: null },
		});
		expect(small).toMatchObject({ text: "Answer: B", reasoning: "step0 step1 step2" });
		expect(large!.text).toBe("Answer: C");
		expect(large!.reasoning!.split(" ")).toHaveLength(20);
		expect(server.stats.bodies[0]).toMatchObject({
			chat_template_kwargs: { enable_thinking: false },
			max_tokens: 100,
		});
		expect(server.stats.bodies[0]).not.toHaveProperty("thinking_token_budget");
		expect(server.stats.bodies[1]).toMatchObject({ thinking_token_budget: 300, temperature: 0.6 });
		expect(server.stats.bodies[1]).not.toHaveProperty("chat_template_kwargs");
		await backend.dispose();
	});

	it("reads an older server's reasoning_content", async () => {
		const server = await start("vllm-old", () => ({ text: "A", reasoning: "thinking hard" }), null);
		const backend = await openOpenAIBackend(openaiModel([server.baseUrl]), quiet);
		const [result] = await backend.chat!.chat([{ messages: question, maxTokens: 50, temperature: 0 }]);
		expect(result).toMatchObject({ text: "A", reasoning: "thinking hard" });
	});

	it("refuses scoring with a clear error", async () => {
		const server = await start("vllm", worseWithReasoning, null);
		const backend = await openOpenAIBackend(openaiModel([server.baseUrl]), quiet);
		await expect(backend.tokenize("x")).rejects.toThrow(/chat requests only/);
	});
});

describe("Anthropic Messages dialect", () => {
	it("sends thinking budgets, reads thinking and redacted blocks apart from the answer, and usage", async () => {
		const server = await start("anthropic", (request) => ({
			...worseWithReasoning(request),
			redacted: true,
		}));
		const backend = await openAnthropicBackend(claude([server.baseUrl]), {
			...quiet,
			env: { ANTHROPIC_API_KEY: KEY },
		});
		const [none, large] = await backend.chat.chat(
			[0, 4096].map((budgetTokens) => ({
				messages: question,
				maxTokens: 8192,
				temperature: 0,
				stop: ["\n\n"],
				reasoning: { budgetTokens },
			})),
		);
		// No thinking asked, none done: 0 reasoning tokens, derived (the API does not count them apart).
		expect(none).toEqual({
			text: "Answer: B",
			finishReason: "stop",
			usage: { inputTokens: 11, outputTokens: 2, reasoningTokens: 0, reasoningTokensFrom: "derived" },
		});
		expect(large!.text).toBe("Answer: C");
		expect(large!.reasoning).toBe(
			`${Array.from({ length: 40 }, (_, i) => `step${i}`).join(" ")}\n\n[redacted thinking]`,
		);
		// 42 output tokens less the answer's 2 ("Answer: C"), as count_tokens counts them.
		expect(large!.usage).toEqual({
			inputTokens: 11,
			outputTokens: 42,
			reasoningTokens: 40,
			reasoningTokensFrom: "derived",
		});
		const [first, second] = server.stats.bodies;
		expect(first).toEqual({
			model: "m",
			max_tokens: 8192,
			system: "Answer with one letter.",
			messages: [{ role: "user", content: "Which is right? A, B or C" }],
			stop_sequences: ["\n\n"],
			temperature: 0,
		});
		expect(second).toMatchObject({ thinking: { type: "enabled", budget_tokens: 4096 } });
		expect(second).not.toHaveProperty("temperature");
		expect(new Set(server.stats.keys)).toEqual(new Set([KEY]));
		expect(backend.counters.generation).toEqual({
			requests: 2,
			inputTokens: 22,
			outputTokens: 44,
			reasoningTokens: 40,
			missing: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
			reasoningTokensDerived: 2,
			reasoningTokensEstimated: 0,
		});
		// The answer and the framing (a one-letter message) were counted, the framing once.
		expect(server.stats.counts.map((b) => b.messages)).toEqual([
			[{ role: "user", content: "a" }],
			[{ role: "user", content: "Answer: C" }],
		]);
	});

	it("refuses budgets the API cannot take before sending anything", async () => {
		const server = await start("anthropic");
		const backend = await openAnthropicBackend(claude([server.baseUrl]), {
			...quiet,
			env: { ANTHROPIC_API_KEY: KEY },
		});
		const ask = (budgetTokens: number, maxTokens: number) =>
			backend.chat.chat([{ messages: question, maxTokens, temperature: 0, reasoning: { budgetTokens } }]);
		await expect(ask(512, 4096)).rejects.toThrow(/below Anthropic's smallest, 1024/);
		await expect(ask(2048, 2048)).rejects.toThrow(/must exceed the thinking budget/);
		expect(server.stats.requests).toBe(0);
	});

	it("maps max_tokens to length and needs a key", async () => {
		const server = await start("anthropic", () => ({ text: "a b c d" }));
		const backend = await openAnthropicBackend(claude([server.baseUrl]), {
			...quiet,
			env: { ANTHROPIC_API_KEY: KEY },
		});
		const [cut] = await backend.chat.chat([{ messages: question, maxTokens: 2, temperature: 1 }]);
		expect(cut).toMatchObject({ text: "a b", finishReason: "length" });
		await expect(openAnthropicBackend(claude([server.baseUrl]), { env: {} })).rejects.toThrow(
			/ANTHROPIC_API_KEY is not set/,
		);
	});
});

describe("opening from ladder entries", () => {
	it("opens api: chat and anthropic entries as generation-only backends with their identities", async () => {
		const chatServer = await start("vllm", worseWithReasoning, null);
		const claudeServer = await start("anthropic");
		const previous = process.env.ANTHROPIC_API_KEY;
		process.env.ANTHROPIC_API_KEY = KEY;
		try {
			const chat = await openBackend(openaiModel([chatServer.baseUrl]), { precision: "fast" });
			const anthropic = await openBackend(claude([claudeServer.baseUrl]), { precision: "fast" });
			expect(chat).toBeInstanceOf(OpenAIChatBackend);
			expect(chat.info).toMatchObject({ kind: "openai", identity: `${chatServer.baseUrl}|m|` });
			expect(anthropic).toBeInstanceOf(AnthropicBackend);
			expect(anthropic.info).toMatchObject({
				kind: "anthropic",
				identity: `anthropic|${claudeServer.baseUrl}|m`,
			});
			expect(anthropic.info.identity).not.toContain(KEY);
			const [answer] = await anthropic.chat!.chat([{ messages: question, maxTokens: 10, temperature: 0 }]);
			expect(answer!.text).toBe("Answer: B");
		} finally {
			if (previous === undefined) delete process.env.ANTHROPIC_API_KEY;
			else process.env.ANTHROPIC_API_KEY = previous;
		}
	});
});

describe("faults, replicas and keys on the chat dialects", () => {
	for (const dialect of ["vllm", "anthropic"] as const) {
		it(`${dialect}: retries 429/529 after Retry-After, 5xx, dropped connections and malformed answers`, async () => {
			const server = await start(dialect);
			const delays: number[] = [];
			const options = {
				env: { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY },
				random: () => 0,
				sleep: async (ms: number) => void delays.push(ms),
			};
			const backend =
				dialect === "anthropic"
					? await openAnthropicBackend(claude([server.baseUrl]), options)
					: await openOpenAIBackend(openaiModel([server.baseUrl]), options);
			const before = server.stats.requests;
			server.script([dialect === "anthropic" ? "529" : "429", "500", "drop", "malformed"]);
			const [result] = await backend.chat!.chat([
				{ messages: question, maxTokens: 5000, temperature: 1, reasoning: { budgetTokens: 2000 } },
			]);
			expect(result!.text).toBe("Answer: C");
			// Anthropic: two count_tokens requests more (the framing, the answer) derive its reasoning tokens.
			expect(server.stats.requests - before).toBe(dialect === "anthropic" ? 7 : 5);
			// The Retry-After of 0.2 seconds is waited once; the other retries back off by the (zero) jitter.
			expect(delays).toEqual([200, 0, 0, 0]);
		});
	}

	it("spreads requests over replicas and answers each exactly as scripted", async () => {
		const a = await start("vllm", worseWithReasoning, null);
		const b = await start("vllm", worseWithReasoning, null);
		const backend = await openOpenAIBackend(openaiModel([a.baseUrl, b.baseUrl]), quiet);
		const budgets = Array.from({ length: 24 }, (_, i) => (i % 3) * 800);
		const results = await backend.chat!.chat(
			budgets.map((budgetTokens) => ({
				messages: question,
				maxTokens: 100,
				temperature: 0,
				reasoning: { budgetTokens },
			})),
		);
		expect(results.map((r) => r.text)).toEqual(budgets.map((b) => (b >= 1000 ? "Answer: C" : "Answer: B")));
		expect(a.stats.answered).toBeGreaterThan(0);
		expect(b.stats.answered).toBeGreaterThan(0);
		expect(a.stats.answered + b.stats.answered).toBe(24);
	});

	for (const dialect of ["openai", "anthropic"] as const) {
		it(`${dialect}: a rejected key is named by its variable and never appears in the error`, async () => {
			const server = await start(dialect);
			const wrong = "sk-wrong-9c8b7a6d5e4f3a2b1c0d";
			const env = { OPENAI_API_KEY: wrong, ANTHROPIC_API_KEY: wrong };
			const backend =
				dialect === "anthropic"
					? await openAnthropicBackend(claude([server.baseUrl]), { ...quiet, env })
					: await openOpenAIBackend(openaiModel([server.baseUrl]), {
							...quiet,
							env,
							chatDialect: "openai",
						}).catch((error: unknown) => error);
			const error =
				backend instanceof Error
					? backend
					: await (backend as { chat: { chat: (r: ChatRequest[]) => Promise<unknown> } }).chat
							.chat([{ messages: question, maxTokens: 5, temperature: 0 }])
							.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(BackendError);
			const text = `${(error as BackendError).message} ${(error as BackendError).hint ?? ""}`;
			expect(text).toContain("401");
			expect(text).toContain("[redacted]");
			expect(text).not.toContain(wrong);
			expect(text).toContain(dialect === "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
		});
	}
});
