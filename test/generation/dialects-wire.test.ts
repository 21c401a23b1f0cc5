/**
 * @module Which API an OpenAI-compatible server speaks is the ladder's `dialect:` (the host name only
 * its default), and a model the ladder marks `reasoning: false` runs with no --budgets, or with
 * --budgets 0, as a plain request. The same task runs against a stand-in server of every dialect,
 * and each request's bytes are checked against that API's wire format.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAnthropicBackend } from "../../src/backends/anthropic/index.js";
import { runEval } from "../../src/engine/run-eval.js";
import { parseBudgets } from "../../src/generation/budget.js";
import { buildQuestion } from "../../src/generation/question.js";
import { loadLadderFile } from "../../src/ladders/ladder-file.js";
import type { LadderModel } from "../../src/ladders/types.js";
import type { RunManifest } from "../../src/run/manifest.js";
import { readTask } from "../../src/tasks/index.js";
import {
	type ChatServerDialect,
	type ChatTestServer,
	type ScriptedChatRequest,
	startChatTestServer,
} from "../../src/testing/chat-server.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

const KEY = "sk-ant-wire-5e6f";
const servers: ChatTestServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
	removeTempStores();
});

/** Right with little reasoning, wrong with much: the run's accuracy shows which control arrived. */
const respond = (r: ScriptedChatRequest) => {
	const much = r.thinking && ((r.budgetTokens ?? 0) >= 512 || r.effort === "high");
	return { text: much ? "Answer: B" : "Answer: A", ...(r.thinking ? { reasoning: "hmm" } : {}) };
};

async function start(dialect: ChatServerDialect) {
	const server = await startChatTestServer({ dialect, respond, model: "m" });
	servers.push(server);
	return server;
}

/** A one-question task, and the messages every dialect must carry for it. */
async function task() {
	const dir = mkdtempSync(join(tmpdir(), "invscale-wire-"));
	const file = join(dir, "pick.csv");
	writeFileSync(file, `prompt,classes,answer_index\n"Q0: which one?","[' yes', ' no']",0\n`);
	const loaded = await readTask(file);
	const messages = buildQuestion(loaded.examples[0]!).messages.map((m) => ({
		role: m.role,
		content: m.content,
	}));
	return { dir, file, messages };
}

/** One ladder file with one entry per server; `extra` is YAML added to each model entry. */
function ladder(
	dir: string,
	entries: Array<{ name: string; url: string; dialect?: string }>,
	extra = "",
): LadderModel[] {
	const path = join(dir, `ladder-${Math.random().toString(36).slice(2)}.yaml`);
	const yaml = [
		"name: wire",
		"models:",
		...entries.flatMap((e) => [
			`  - name: ${e.name}`,
			"    family: chat",
			...(extra ? [`    ${extra}`] : []),
			"    openai:",
			`      base_url: ${e.url}`,
			"      model: m",
			"      api: chat",
			...(e.dialect ? [`      dialect: ${e.dialect}`] : []),
		]),
	].join("\n");
	writeFileSync(path, `${yaml}\n`);
	return loadLadderFile(path).models;
}

async function evaluate(file: string, dir: string, models: LadderModel[], budgets?: string) {
	const out = join(dir, `runs-${Math.random().toString(36).slice(2)}`);
	const outcome = await runEval({
		tasks: [file],
		models,
		outDir: out,
		store: tempStorePath(),
		report: false,
		openBackend: async (m) =>
			m.source.kind === "anthropic"
				? openAnthropicBackend(m, { env: { ANTHROPIC_API_KEY: KEY }, sleep: async () => {} })
				: undefined,
		...(budgets === undefined ? {} : { generation: { budgets: parseBudgets(budgets) } }),
	});
	const manifest = JSON.parse(readFileSync(join(out, "pick", "run.json"), "utf8")) as RunManifest;
	return { outcome, manifest };
}

const claude = (url: string, reasoning?: false): LadderModel => ({
	name: "claude",
	family: "claude",
	...(reasoning === false ? { reasoning } : {}),
	source: { kind: "anthropic", baseUrls: [url], model: "m" },
});

describe("the ladder's dialect decides the wire format", () => {
	it("the same task on each dialect sends exactly that API's fields", async () => {
		const { dir, file, messages } = await task();
		const [openai, vllm, llama, anthropic] = await Promise.all(
			(["openai", "vllm", "llama-server", "anthropic"] as const).map(start),
		);
		// Every stand-in listens on 127.0.0.1: without the ladder's dialect all would be "vllm".
		const [o, v, l] = ladder(dir, [
			{ name: "o", url: openai!.baseUrl, dialect: "openai" },
			{ name: "v", url: vllm!.baseUrl },
			{ name: "l", url: llama!.baseUrl, dialect: "llama-server" },
		]);
		expect([o, v, l].map((m) => (m!.source as { dialect?: string }).dialect)).toEqual([
			"openai",
			undefined,
			"llama-server",
		]);
		const runs = await Promise.all([
			evaluate(file, dir, [o!], "low,high"),
			evaluate(file, dir, [v!], "0,512"),
			evaluate(file, dir, [l!], "0"),
			evaluate(file, dir, [claude(anthropic!.baseUrl)], "0,1024"),
		]);
		for (const r of runs) expect(r.outcome.status).toBe("complete");
		expect(runs.map((r) => r.manifest.models.map((m) => m.info?.dialect))).toEqual([
			["openai", "openai"],
			["vllm", "vllm"],
			["llama-server"],
			[undefined, undefined],
		]);
		const json = (value: unknown) => JSON.stringify(value);
		expect(openai!.stats.raw).toEqual([
			json({ model: "m", messages, max_completion_tokens: 16384, reasoning_effort: "low" }),
			json({ model: "m", messages, max_completion_tokens: 16384, reasoning_effort: "high" }),
		]);
		expect(vllm!.stats.raw).toEqual([
			json({
				model: "m",
				messages,
				temperature: 0,
				max_tokens: 32,
				chat_template_kwargs: { enable_thinking: false },
			}),
			json({ model: "m", messages, temperature: 0, max_tokens: 512 + 32, thinking_token_budget: 512 }),
		]);
		expect(llama!.stats.raw).toEqual([
			json({
				model: "m",
				messages,
				temperature: 0,
				max_tokens: 32,
				chat_template_kwargs: { enable_thinking: false },
			}),
		]);
		expect(anthropic!.stats.raw).toEqual([
			json({ model: "m", max_tokens: 32, messages, temperature: 0 }),
			json({
				model: "m",
				max_tokens: 1024 + 32,
				messages,
				thinking: { type: "enabled", budget_tokens: 1024 },
			}),
		]);
		// Each control arrived: the stand-ins read them back (much reasoning is scripted wrong).
		expect(runs.map((r) => r.manifest.models.map((m) => m.examplesScored))).toEqual([
			[1, 1],
			[1, 1],
			[1],
			[1, 1],
		]);
	});

	it("llama-server takes no per-request budget: refused before anything is sent", async () => {
		const { dir, file } = await task();
		const server = await start("llama-server");
		const [l] = ladder(dir, [{ name: "l", url: server.baseUrl, dialect: "llama-server" }]);
		const r = await evaluate(file, dir, [l!], "512");
		expect(r.outcome.status).toBe("failed");
		expect(r.manifest.models[0]!.error).toMatch(/llama-server takes no per-request reasoning budget/);
		expect(server.stats.raw).toEqual([]);
	});

	it("a dialect the code does not know is refused in the ladder, naming the ones it does", async () => {
		const { dir } = await task();
		expect(() => ladder(dir, [{ name: "x", url: "http://127.0.0.1:1/v1", dialect: "ollama" }])).toThrow(
			/must be one of openai, vllm, llama-server/,
		);
		const path = join(dir, "completions.yaml");
		writeFileSync(
			path,
			"name: c\nmodels:\n  - openai: { base_url: http://127.0.0.1:1/v1, model: m, dialect: vllm }\n",
		);
		expect(() => loadLadderFile(path)).toThrow(/dialect: applies to chat servers only \(add api: chat\)/);
	});
});

describe("a model without reasoning: plain requests", () => {
	it("with --budgets 0 and `reasoning: false`, no dialect sends a reasoning control", async () => {
		const { dir, file, messages } = await task();
		const [openai, vllm, llama, anthropic] = await Promise.all(
			(["openai", "vllm", "llama-server", "anthropic"] as const).map(start),
		);
		const models = ladder(
			dir,
			[
				{ name: "o", url: openai!.baseUrl, dialect: "openai" },
				{ name: "v", url: vllm!.baseUrl, dialect: "vllm" },
				{ name: "l", url: llama!.baseUrl, dialect: "llama-server" },
			],
			"reasoning: false",
		);
		expect(models.every((m) => m.reasoning === false)).toBe(true);
		const r = await evaluate(file, dir, [...models, claude(anthropic!.baseUrl, false)], "0");
		expect(r.outcome.status).toBe("complete");
		const json = (value: unknown) => JSON.stringify(value);
		expect(openai!.stats.raw).toEqual([
			json({ model: "m", messages, temperature: 0, max_completion_tokens: 32 }),
		]);
		expect(vllm!.stats.raw).toEqual([json({ model: "m", messages, temperature: 0, max_tokens: 32 })]);
		expect(llama!.stats.raw).toEqual([json({ model: "m", messages, temperature: 0, max_tokens: 32 })]);
		expect(anthropic!.stats.raw).toEqual([json({ model: "m", max_tokens: 32, messages, temperature: 0 })]);
		// The condition keeps its budget coordinate (0) and says no control was sent.
		expect(r.manifest.models.map((m) => [m.name, m.coords.budget, m.info?.reasoning])).toEqual([
			["o-budget0", 0, false],
			["v-budget0", 0, false],
			["l-budget0", 0, false],
			["claude-budget0", 0, false],
		]);
	});

	it("with no --budgets a chat ladder runs plain requests: one condition per model, no budget", async () => {
		const { dir, file, messages } = await task();
		const [openai, vllm] = await Promise.all((["openai", "vllm"] as const).map(start));
		const [o] = ladder(dir, [{ name: "o", url: openai!.baseUrl, dialect: "openai" }], "reasoning: false");
		const [v] = ladder(dir, [{ name: "v", url: vllm!.baseUrl }]);
		const r = await evaluate(file, dir, [o!, v!]);
		expect(r.outcome.status).toBe("complete");
		expect(r.manifest.models.map((m) => [m.name, m.coords.budget])).toEqual([
			["o", undefined],
			["v", undefined],
		]);
		const json = (value: unknown) => JSON.stringify(value);
		// No reasoning field; a model that may reason keeps the whole token cap for it.
		expect(openai!.stats.raw).toEqual([
			json({ model: "m", messages, temperature: 0, max_completion_tokens: 32 }),
		]);
		expect(vllm!.stats.raw).toEqual([json({ model: "m", messages, temperature: 0, max_tokens: 16384 })]);
	});

	it("refuses a budget above 0, or a level, for a model marked `reasoning: false`, before sending", async () => {
		const { dir, file } = await task();
		const server = await start("openai");
		const [o] = ladder(dir, [{ name: "o", url: server.baseUrl, dialect: "openai" }], "reasoning: false");
		for (const budgets of ["0,1024", "low"]) {
			const r = await evaluate(file, dir, [o!], budgets);
			const failed = r.manifest.models.filter((m) => m.status === "failed");
			expect(failed.length).toBeGreaterThan(0);
			for (const m of failed)
				expect(m.error).toMatch(/marks this model as not reasoning \(reasoning: false\)/);
		}
		// Only the budget-0 condition reached the server.
		expect(server.stats.raw).toHaveLength(1);
	});
});
