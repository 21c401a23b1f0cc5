import { afterEach, describe, expect, it } from "vitest";
import { openAnthropicBackend } from "../../src/backends/anthropic/index.js";
import type { EvalOptions } from "../../src/engine/types.js";
import type { LadderModel } from "../../src/ladders/types.js";
import {
	type ChatServerDialect,
	type ChatTestServer,
	countTokens,
	type ScriptedChatRequest,
	startChatTestServer,
} from "../../src/testing/chat-server.js";
import { runPick } from "../helpers/pick-run.js";
import { removeTempStores } from "../helpers/temp-store.js";

const N = 12;
const KEY = "sk-ant-test-unknown-0d1e";
const quiet = { sleep: async () => {}, random: () => 0 };
const servers: ChatTestServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
	removeTempStores();
});

const question = (r: ScriptedChatRequest) =>
	Number(/Q(\d+):/.exec(r.messages.map((m) => m.content).join("\n"))![1]);
/** Reasoning of `words` words when thinking is on; the answer alternates between two lengths. */
function script(words: number) {
	return (r: ScriptedChatRequest) => {
		const i = question(r);
		return {
			text: i % 2 === 0 ? "The answer is A." : "Answer: B",
			...(r.thinking ? { reasoning: Array.from({ length: words }, (_, k) => `w${k}`).join(" ") } : {}),
		};
	};
}

async function start(
	dialect: ChatServerDialect,
	extra: Partial<Parameters<typeof startChatTestServer>[0]> = {},
) {
	const server = await startChatTestServer({
		dialect,
		respond: script(7),
		model: "m",
		...(dialect === "anthropic" ? { apiKey: KEY } : {}),
		...extra,
	});
	servers.push(server);
	return server;
}

const run = (model: LadderModel, budgets: string | undefined, extra: Partial<EvalOptions> = {}) =>
	runPick(N, model, budgets, extra);

const claude = (url: string): LadderModel => ({
	name: "claude",
	family: "claude",
	source: { kind: "anthropic", baseUrls: [url], model: "m" },
});
const qwen = (url: string): LadderModel => ({
	name: "qwen3",
	family: "qwen3",
	source: { kind: "openai", baseUrls: [url], model: "m", api: "chat" },
});
const openClaude = (m: LadderModel) => openAnthropicBackend(m, { ...quiet, env: { ANTHROPIC_API_KEY: KEY } });

/** The words of the two answers the script alternates between. */
const answerWords = (i: number) => countTokens(i % 2 === 0 ? "The answer is A." : "Answer: B");

describe("Anthropic: reasoning tokens derived through count_tokens", () => {
	it("run.json, summary and report carry the derived count (7 per answer), labelled derived", async () => {
		const server = await start("anthropic");
		const r = await run(claude(server.baseUrl), "0,1024", { openBackend: openClaude });
		expect(r.outcome.status).toBe("complete");
		const [off, on] = r.manifest.models;
		// Input: "Answer with one letter…" system prompt and question, as the stand-in counts them.
		const inputs = r.details("claude-budget1024").map((d) => d.usage.inputTokens!);
		expect(on!.usage).toEqual({
			answers: N,
			inputTokens: inputs.reduce((a, b) => a + b, 0),
			// Each answer: 7 words of thinking and its visible words.
			outputTokens: Array.from({ length: N }, (_, i) => 7 + answerWords(i)).reduce((a, b) => a + b, 0),
			reasoningTokens: 7 * N,
			missing: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
			reasoningTokensDerived: N,
			reasoningTokensEstimated: 0,
		});
		// Without thinking nothing was spent thinking: 0, known, not unknown.
		expect(off!.usage).toMatchObject({ reasoningTokens: 0, missing: { reasoningTokens: 0 } });
		expect(r.details("claude-budget1024").map((d) => [d.reasoningTokens, d.reasoningTokensFrom])).toEqual(
			Array(N).fill([7, "derived"]),
		);
		const summary = r.summary.models.find((m) => m.name === "claude-budget1024")!;
		expect(summary.reasoningTokens).toMatchObject({ mean: 7, n: N });
		expect(summary.reasoningTokensFrom).toBe("derived");
		expect(r.read("report.html")).toContain("7.0 derived");
	});

	it("without a count_tokens endpoint the count is estimated from the answer's length, and labelled so", async () => {
		const server = await start("anthropic", { countTokens: false });
		const r = await run(claude(server.baseUrl), "1024", { openBackend: openClaude });
		const details = r.details("claude-budget1024");
		// output (7 + the answer's words) less ⌈characters / 4⌉ of the answer.
		const expected = Array.from({ length: N }, (_, i) => {
			const text = i % 2 === 0 ? "The answer is A." : "Answer: B";
			return 7 + answerWords(i) - Math.ceil(text.length / 4);
		});
		expect(details.map((d) => d.reasoningTokens)).toEqual(expected);
		expect(details.every((d) => d.reasoningTokensFrom === "estimated")).toBe(true);
		expect(r.manifest.models[0]!.usage).toMatchObject({
			reasoningTokens: expected.reduce((a, b) => a + b, 0),
			reasoningTokensEstimated: N,
		});
		expect(r.summary.models[0]!.reasoningTokensFrom).toBe("estimated");
	});
});

describe("vLLM without completion_tokens_details, and answers without usage", () => {
	it("reasoning tokens the server does not report are null in every file, with how many answers lacked them", async () => {
		const server = await start("vllm");
		const r = await run(qwen(server.baseUrl), "0,512");
		expect(r.outcome.status).toBe("complete");
		for (const m of r.manifest.models) {
			expect(m.usage).toMatchObject({
				answers: N,
				reasoningTokens: null,
				missing: { inputTokens: 0, outputTokens: 0, reasoningTokens: N },
			});
			expect(m.usage!.inputTokens).toBeGreaterThan(0);
		}
		expect(r.details("qwen3-budget512").every((d) => d.reasoningTokens === null)).toBe(true);
		for (const m of r.summary.models) {
			expect(m.reasoningTokens).toBeNull();
			expect(m.reasoningTokensMissing).toBe(N);
		}
		expect(
			r
				.read("qwen3-budget512.csv")
				.trim()
				.split("\n")
				.slice(1)
				.every((l) => l.split(",")[3] === ""),
		).toBe(true);
		expect(r.read("report.html")).toContain(`unknown (${N} answers)`);
	});

	it("an answer without usage is unknown, not 0 tokens: the totals are null with the count of answers lacking them", async () => {
		// Odd questions come back without a usage block.
		const server = await start("openai", {
			respond: (q) => ({ text: question(q) % 2 === 0 ? "The answer is A." : "Answer: B" }),
			omitUsage: (q) => question(q) % 2 === 1,
		});
		const model: LadderModel = {
			name: "mini",
			family: "gpt",
			reasoning: false,
			source: { kind: "openai", baseUrls: [server.baseUrl], model: "m", api: "chat", dialect: "openai" },
		};
		const r = await run(model, undefined);
		expect(r.outcome.status).toBe("complete");
		const usage = r.manifest.models[0]!.usage!;
		expect(usage).toMatchObject({
			answers: N,
			inputTokens: null,
			outputTokens: null,
			reasoningTokens: null,
			missing: { inputTokens: N / 2, outputTokens: N / 2, reasoningTokens: N / 2 },
		});
		const details = r.details("mini");
		expect(details.filter((d) => d.usage.inputTokens === null).map((d) => d.index)).toEqual(
			Array.from({ length: N / 2 }, (_, k) => 2 * k + 1),
		);
		// The answers that had usage keep their counts: OpenAI reports 0 reasoning tokens for a plain model.
		expect(details[0]!.usage).toMatchObject({ outputTokens: answerWords(0), reasoningTokens: 0 });
		expect(details[0]!.usage.inputTokens).toBeGreaterThan(0);
		expect(r.summary.models[0]!.reasoningTokens).toBeNull();
		expect(r.summary.models[0]!.reasoningTokensMissing).toBe(N / 2);
	});
});
