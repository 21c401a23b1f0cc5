import { afterEach, describe, expect, it } from "vitest";
import { openAnthropicBackend } from "../../src/backends/anthropic/index.js";
import { openOpenAIBackend } from "../../src/backends/openai/index.js";
import type { EvalOptions } from "../../src/engine/types.js";
import type { LadderModel } from "../../src/ladders/types.js";
import type { RunSummary } from "../../src/run/manifest.js";
import {
	type ChatFault,
	type ChatServerDialect,
	type ChatTestServer,
	type ScriptedChatRequest,
	startChatTestServer,
} from "../../src/testing/chat-server.js";
import { runPick } from "../helpers/pick-run.js";
import { removeTempStores } from "../helpers/temp-store.js";

const N = 20;
const KEY = "sk-ant-test-7f3c9a1e5b2d";
/** Retries without waiting, so fault tests stay fast. */
const quiet = { sleep: async () => {}, random: () => 0 };
const claudeBackend = (m: LadderModel) =>
	openAnthropicBackend(m, { ...quiet, env: { ANTHROPIC_API_KEY: KEY } });
const servers: ChatTestServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
	removeTempStores();
});

/** Example i's right option alternates between A and B. */
const right = (i: number) => "AB"[i % 2];
const wrong = (i: number) => "AB"[1 - (i % 2)];

/** How much a request asked to reason: 0 off, else its budget or its level's place. */
function amount(r: ScriptedChatRequest): number {
	if (!r.thinking) return 0;
	return r.budgetTokens ?? { minimal: 1, low: 2, medium: 3, high: 4 }[r.effort ?? ""] ?? 0;
}

/** Worse with more reasoning: example i is answered right while i < N − wrongFrom(amount). */
function scripted(wrongCount: (amount: number) => number) {
	return (r: ScriptedChatRequest) => {
		const i = Number(/Q(\d+):/.exec(r.messages.map((m) => m.content).join("\n"))![1]);
		const a = amount(r);
		return {
			text: i < N - wrongCount(a) ? `The answer is ${right(i)}.` : `Answer: ${wrong(i)}`,
			...(a > 0 ? { reasoning: `let me think about Q${i} carefully` } : {}),
		};
	};
}

async function start(dialect: ChatServerDialect, respond: ReturnType<typeof scripted>, faults?: ChatFault[]) {
	const server = await startChatTestServer({
		dialect,
		respond,
		model: "m",
		...(dialect === "anthropic" ? { apiKey: KEY } : {}),
		...(faults ? { faults: { rate: 0.2, kinds: faults, seed: 3 } } : {}),
	});
	servers.push(server);
	return server;
}

async function run(model: LadderModel, budgets: string, extra: Partial<EvalOptions> = {}) {
	const result = await runPick(N, model, budgets, extra);
	return {
		...result,
		report: JSON.parse(result.read("report.json")) as {
			options: { x: string };
			metrics: Array<{
				metric: string;
				trend: { verdict: string; statement: string };
				along: { axis: string };
			}>;
		},
	};
}

const accuracy = (s: RunSummary) => s.models.map((m) => m.correct?.mean);

/** The report plots accuracy along the reasoning budget and calls the trend inverse. */
function expectInverseInBudget(report: Awaited<ReturnType<typeof run>>["report"]) {
	expect(report.options.x).toBe("budget");
	const [m] = report.metrics;
	expect(m.metric).toBe("correct");
	expect(m.along.axis).toBe("budget");
	expect(m.trend.verdict).toBe("inverse");
	expect(m.trend.statement).toMatch(/^Inverse scaling: models given larger budgets do worse/);
}

describe("OpenAI reasoning models: reasoning_effort", () => {
	it("accuracy per level exactly as scripted; effort and max_completion_tokens sent, no temperature", async () => {
		const server = await start(
			"openai",
			scripted((a) => 4 * (a - 2)),
		);
		const model: LadderModel = {
			name: "o-mini",
			family: "o",
			source: { kind: "openai", baseUrls: [server.baseUrl], model: "m", api: "chat" },
		};
		const r = await run(model, "low,medium,high", {
			// The dialect follows the host; this server stands in for api.openai.com.
			openBackend: (m) => openOpenAIBackend(m, { ...quiet, chatDialect: "openai", env: {} }),
		});
		expect(r.outcome.status).toBe("complete");
		expect(accuracy(r.summary)).toEqual([1, 16 / 20, 12 / 20]);
		expectInverseInBudget(r.report);
		expect(r.summary.models.map((m) => [m.name, m.coords?.budget])).toEqual([
			["o-mini-budgetlow", 2],
			["o-mini-budgetmedium", 3],
			["o-mini-budgethigh", 4],
		]);
		expect(server.stats.bodies).toHaveLength(3 * N);
		for (const body of server.stats.bodies) {
			expect(["low", "medium", "high"]).toContain(body.reasoning_effort);
			expect(body.max_completion_tokens).toBe(16384);
			expect(body).not.toHaveProperty("temperature");
		}
		// The server's reasoning tokens (words of the reasoning: 6) recorded per answer and summed.
		expect(r.details("o-mini-budgethigh").every((d) => d.reasoningTokens === 6)).toBe(true);
		expect(r.manifest.models.map((m) => m.usage?.reasoningTokens)).toEqual([6 * N, 6 * N, 6 * N]);
	});
});

describe("Claude: thinking.budget_tokens", () => {
	it("accuracy per budget exactly as scripted; thinking off at 0, reasoning text from thinking blocks", async () => {
		const server = await start(
			"anthropic",
			scripted((a) => (a === 0 ? 0 : a === 1024 ? 5 : 10)),
		);
		const model: LadderModel = {
			name: "claude",
			family: "claude",
			source: { kind: "anthropic", baseUrls: [server.baseUrl], model: "m" },
		};
		const r = await run(model, "0,1024,4096", { openBackend: claudeBackend });
		expect(r.manifest.models.map((m) => m.error)).toEqual([undefined, undefined, undefined]);
		expect(r.outcome.status).toBe("complete");
		expect(accuracy(r.summary)).toEqual([1, 15 / 20, 10 / 20]);
		expectInverseInBudget(r.report);
		const bodies = server.stats.bodies;
		const thinking = (b: Record<string, unknown>) =>
			b.thinking as { type: string; budget_tokens: number } | undefined;
		expect(bodies.filter((b) => thinking(b) === undefined).every((b) => b.max_tokens === 32)).toBe(true);
		for (const budget of [1024, 4096]) {
			const sent = bodies.filter((b) => thinking(b)?.budget_tokens === budget);
			expect(sent).toHaveLength(N);
			expect(sent.every((b) => thinking(b)?.type === "enabled" && b.max_tokens === budget + 32)).toBe(true);
		}
		const d = r.details("claude-budget4096")[3];
		expect(d).toMatchObject({
			mechanism: "budget_tokens",
			budget: 4096,
			reasoning: "let me think about Q3 carefully",
		});
		expect(d.extracted).toBe(right(3));
		expect(r.details("claude-budget0")[3].reasoning).toBe("");
	});

	it("the same results with 20% of requests failing (429, 529, 500, dropped, malformed)", async () => {
		const script = scripted((a) => (a === 0 ? 0 : 5));
		const clean = await start("anthropic", script);
		const faulty = await start("anthropic", script, ["429", "529", "500", "drop", "malformed"]);
		const model = (url: string): LadderModel => ({
			name: "claude",
			family: "claude",
			source: { kind: "anthropic", baseUrls: [url], model: "m" },
		});
		const a = await run(model(clean.baseUrl), "0,1024", { openBackend: claudeBackend });
		const b = await run(model(faulty.baseUrl), "0,1024", { openBackend: claudeBackend });
		expect(Object.values(faulty.stats.faults).reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
		expect(b.outcome.status).toBe("complete");
		for (const file of ["claude-budget0.csv", "claude-budget1024.csv", "details/claude-budget1024.jsonl"])
			expect(b.read(file)).toBe(a.read(file));
		// The key reached the server and nothing the run wrote.
		expect(faulty.stats.keys.every((k) => k === KEY)).toBe(true);
		for (const file of ["run.json", "summary.json", "details/claude-budget1024.jsonl"])
			expect(b.read(file)).not.toContain(KEY);
	}, 60_000);
});

describe("Qwen3 on vLLM's chat endpoint: thinking_token_budget", () => {
	it("sends the budget, turns thinking off at 0, and reads vLLM's reasoning field", async () => {
		const server = await start(
			"vllm",
			scripted((a) => (a >= 512 ? 8 : 0)),
		);
		const model: LadderModel = {
			name: "qwen3",
			family: "qwen3",
			source: { kind: "openai", baseUrls: [server.baseUrl], model: "m", api: "chat" },
		};
		const r = await run(model, "0,512");
		expect(accuracy(r.summary)).toEqual([1, 12 / 20]);
		const off = server.stats.bodies.filter((b) => b.thinking_token_budget === undefined);
		expect(off).toHaveLength(N);
		expect(
			off.every((b) => (b.chat_template_kwargs as { enable_thinking: boolean }).enable_thinking === false),
		).toBe(true);
		expect(server.stats.bodies.filter((b) => b.thinking_token_budget === 512)).toHaveLength(N);
		const d = r.details("qwen3-budget512")[0];
		expect(d).toMatchObject({
			mechanism: "thinking_token_budget",
			reasoning: "let me think about Q0 carefully",
		});
	});
});
