/**
 * @module Runs over reasoning budgets through runEval against scripted backends: accuracy per
 * budget exactly as scripted (OpenAI effort levels, Anthropic budget_tokens, budget forcing),
 * the recorded reasoning, the loss after the answer cue, samples with their seeds, and a rerun
 * that generates nothing again and writes the same bytes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/backends/types.js";
import { runEval } from "../../src/engine/run-eval.js";
import type { EvalOptions } from "../../src/engine/types.js";
import { parseBudgets } from "../../src/generation/budget.js";
import type { GenerationDetails } from "../../src/generation/types.js";
import type { LadderModel } from "../../src/ladders/types.js";
import { loadRun } from "../../src/report/index.js";
import type { RunManifest, RunSummary } from "../../src/run/manifest.js";
import { fakeContinuationLogprobs, seq } from "../helpers/fake-backend.js";
import { type AnswerScript, scriptedChat, scriptedCompleter } from "../helpers/scripted-generation.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

afterAll(removeTempStores);

const N = 20;
/** Example i's right class alternates, so always answering one letter is right half the time. */
const right = (i: number) => i % 2;
function writeTask(dir: string): string {
	const rows = Array.from({ length: N }, (_, i) => `"Q${i}: which one?","[' yes', ' no']",${right(i)}`);
	const path = join(dir, "pick.csv");
	writeFileSync(path, `prompt,classes,answer_index\n${rows.join("\n")}\n`);
	return path;
}
const letter = (k: number) => "AB"[k];

const model = (name: string): LadderModel => ({
	name,
	family: "scripted",
	source: { kind: "openai", baseUrls: ["http://scripted.invalid"], model: name },
});

async function run(
	backend: Backend,
	budgets: string,
	extra: Partial<EvalOptions> = {},
	store = tempStorePath(),
) {
	const dir = mkdtempSync(join(tmpdir(), "invscale-gen-"));
	const task = writeTask(dir);
	const out = join(dir, "runs");
	const outcome = await runEval({
		tasks: [task],
		models: [model(backend.info.name)],
		outDir: out,
		store,
		report: false,
		openBackend: async () => backend,
		...extra,
		generation: { ...extra.generation, budgets: parseBudgets(budgets) },
	});
	const taskDir = join(out, "pick");
	const read = (file: string) => readFileSync(join(taskDir, file), "utf8");
	return {
		outcome,
		taskDir,
		read,
		summary: JSON.parse(read("summary.json")) as RunSummary,
		manifest: JSON.parse(read("run.json")) as RunManifest,
		details: (condition: string) =>
			read(`details/${condition}.jsonl`)
				.trim()
				.split("\n")
				.map((l) => JSON.parse(l) as GenerationDetails),
	};
}

/** Scripted to get worse with more reasoning: right on the first `N - 5·level` examples, wrong after. */
function worseWithReasoning(level: (budget: number) => number): AnswerScript {
	return (i, budget) => (i < N - 5 * level(budget) ? letter(right(i)) : letter(1 - right(i)));
}

describe("native budgets against scripted chat APIs", () => {
	it("OpenAI reasoning_effort levels: accuracy per level exactly as scripted", async () => {
		const levels = { low: 2, medium: 3, high: 4 } as Record<string, number>;
		const chat = scriptedChat(
			"openai",
			worseWithReasoning((ordinal) => ordinal - 2),
		);
		const r = await run(chat, "low,medium,high");
		expect(r.outcome.status).toBe("complete");
		const names = r.summary.models.map((m) => m.name);
		expect(names).toEqual(["openai-chat-budgetlow", "openai-chat-budgetmedium", "openai-chat-budgethigh"]);
		// Independent count: right on examples i < N - 5·(ordinal - 2).
		const expected = Object.values(levels).map((o) => (N - 5 * (o - 2)) / N);
		expect(r.summary.models.map((m) => m.correct?.mean)).toEqual(expected);
		expect(r.summary.models.map((m) => m.coords?.budget)).toEqual([2, 3, 4]);
		expect(r.summary.models.map((m) => m.settings?.budgetLabel)).toEqual(["low", "medium", "high"]);
		expect(r.summary.models.every((m) => m.parseRate === 1)).toBe(true);
		// Each request named its level and asked for the cap on reasoning and answer together.
		expect(new Set(chat.requests.map((q) => q.reasoning?.effort))).toEqual(
			new Set(["low", "medium", "high"]),
		);
		expect(chat.requests.every((q) => q.maxTokens === 16384 && q.temperature === 0)).toBe(true);
		const high = r.details("openai-chat-budgethigh");
		expect(high[0]).toMatchObject({
			index: 0,
			sample: 0,
			budget: 4,
			budgetLabel: "high",
			mechanism: "reasoning_effort",
		});
		expect(high.map((d) => d.reasoningTokens)).toEqual(Array(N).fill(40));
		expect(high.every((d) => d.reasoning.startsWith("thinking about Q"))).toBe(true);
		// Token usage summed in run.json: 20 in and 41 out per answer.
		const m = r.manifest.models.find((x) => x.name === "openai-chat-budgethigh")!;
		expect(m.usage).toEqual({
			answers: N,
			inputTokens: 20 * N,
			outputTokens: 41 * N,
			reasoningTokens: 40 * N,
			missing: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
			reasoningTokensDerived: 0,
			reasoningTokensEstimated: 0,
		});
		expect(m.model).toBe("openai-chat");
	});

	it("Anthropic budget_tokens: accuracy per budget exactly as scripted, thinking off at 0", async () => {
		const level = (b: number) => [0, 1024, 4096].indexOf(b);
		const chat = scriptedChat("anthropic", worseWithReasoning(level));
		const r = await run(chat, "0,1024,4096");
		expect(r.summary.models.map((m) => [m.name, m.correct?.mean])).toEqual([
			["anthropic-chat-budget0", 1],
			["anthropic-chat-budget1024", 15 / 20],
			["anthropic-chat-budget4096", 10 / 20],
		]);
		const byBudget = (b: number) => chat.requests.filter((q) => (q.reasoning?.budgetTokens ?? 0) === b);
		expect(byBudget(0).every((q) => q.reasoning?.disabled === true && q.maxTokens === 32)).toBe(true);
		expect(byBudget(1024).every((q) => q.maxTokens === 1024 + 32)).toBe(true);
		// Reasoning tokens as the API reported them: min(budget, 7 + i).
		expect(r.details("anthropic-chat-budget1024").map((d) => d.reasoningTokens)).toEqual(
			Array.from({ length: N }, (_, i) => 7 + i),
		);
		expect(
			r.details("anthropic-chat-budget0").every((d) => d.reasoningTokens === 0 && d.reasoning === ""),
		).toBe(true);
	});

	it("refuses an Anthropic budget below its minimum before asking anything", async () => {
		const chat = scriptedChat("anthropic", () => "A");
		const r = await run(chat, "0,16");
		expect(r.outcome.status).toBe("partial");
		const failed = r.manifest.models.find((m) => m.name === "anthropic-chat-budget16")!;
		expect(failed.status).toBe("failed");
		expect(failed.error).toMatch(/below the Anthropic API's minimum of 1024/);
		expect(chat.requests.every((q) => q.reasoning?.disabled)).toBe(true);
	});

	it("counts an unreadable answer as wrong and reports the parse rate", async () => {
		const chat = scriptedChat("openai", (i) => (i < 4 ? "I would rather not say" : letter(right(i))));
		const r = await run(chat, "medium");
		const [m] = r.summary.models;
		expect(m.correct?.mean).toBe(16 / 20);
		expect(m.parseRate).toBe(16 / 20);
		const rows = r.read("openai-chat-budgetmedium.csv").trim().split("\n");
		expect(rows[0]).toBe("index,correct,parsed,reasoning_tokens,predicted");
		expect(rows[1]).toBe("0,0,0,30,");
		expect(rows[5]).toBe("4,1,1,30, yes");
	});
});

describe("budget forcing on a completer", () => {
	// Natural reasoning of example i runs 10 + 3i characters (one token each); more thought, worse answers.
	const natural = (i: number) => 10 + 3 * i;
	const answer: AnswerScript = (i, thought) => ` ${letter(thought >= 40 ? 1 - right(i) : right(i))}`;

	it("stops reasoning at the budget or the end marker, records what was used, reads the loss after the cue", async () => {
		const backend = scriptedCompleter(answer, natural);
		const r = await run(backend, "0,16,64");
		expect(r.outcome.status).toBe("complete");
		const used = (b: number) => Array.from({ length: N }, (_, i) => Math.min(b, natural(i)));
		for (const b of [0, 16, 64]) {
			const details = r.details(`forced-budget${b}`);
			expect(details.map((d) => d.reasoningTokens)).toEqual(used(b));
			expect(details.map((d) => d.reasoning.length)).toEqual(used(b));
			if (b > 0) expect(details.map((d) => d.stoppedEarly)).toEqual(used(b).map((u, i) => u === natural(i)));
			// Accuracy as scripted: right unless the reasoning ran to 40 tokens or more.
			const expected = used(b).filter((u) => u < 40).length / N;
			expect(r.summary.models.find((m) => m.coords?.budget === b)?.correct?.mean).toBe(expected);
		}
		// The text the answer followed: chat prompt, reasoning, closed, answer cue.
		const d = r.details("forced-budget16")[3];
		expect(d.text).toBe(
			`<user>Q3: which one?\n\nA. yes\nB. no\n\nAnswer with the letter of the correct option only (A or B).\n<assistant><think>\n${"r".repeat(16)}\n</think>\n\nAnswer:`,
		);
		expect(r.details("forced-budget0")[0].text?.endsWith("<assistant><think>\n\n</think>\n\nAnswer:")).toBe(
			true,
		);
		// The class log-probs after the cue are the fake's scores of text + " A" / " B" as one sequence.
		for (const x of [d, r.details("forced-budget64")[11]]) {
			const ctx = seq(x.text!).ids;
			const want = [" A", " B"].map((c) =>
				fakeContinuationLogprobs(ctx, seq(c).ids).reduce((a, b) => a + b, 0),
			);
			expect(x.classLogprobs).toEqual(want);
		}
		const m64 = r.summary.models.find((m) => m.coords?.budget === 64)!;
		expect(m64.loss?.n).toBe(N);
		expect(m64.logprobCorrect?.n).toBe(N);
		expect(r.read("forced-budget64.csv").split("\n")[0]).toBe(
			"index,correct,parsed,reasoning_tokens,predicted,loss,logprob_correct",
		);
		// Every reasoning request stopped at the end marker and asked for at most B tokens.
		const thinking = backend.completions.filter((c) => c.prompt.endsWith("<think>\n"));
		expect(thinking.map((c) => c.maxTokens).sort((a, b) => a - b)).toEqual([
			...Array(N).fill(16),
			...Array(N).fill(64),
		]);
		expect(thinking.every((c) => c.stop?.[0] === "</think>")).toBe(true);
	});

	it("draws samples at a temperature with recorded seeds; an example's accuracy is the mean of its samples", async () => {
		// Sample with seed s answers right when (i + s) % 4 != 0: three of four samples right, for every i.
		const sampled = (i: number, s: number) => ` ${letter((i + s) % 4 === 0 ? 1 - right(i) : right(i))}`;
		const backend = scriptedCompleter(answer, natural, sampled);
		const r = await run(backend, "16", {
			generation: { budgets: [], samples: 4, temperature: 0.8, seed: 100 },
		});
		const details = r.details("forced-budget16");
		expect(details.map((x) => [x.index, x.sample, x.seed]).slice(0, 5)).toEqual([
			[0, 0, 100],
			[0, 1, 101],
			[0, 2, 102],
			[0, 3, 103],
			[1, 0, 100],
		]);
		const rows = r.read("forced-budget16.csv").trim().split("\n").slice(1);
		expect(rows.every((row) => row.split(",")[1] === "0.75")).toBe(true);
		expect(r.summary.models[0].correct?.mean).toBe(0.75);
		expect(backend.completions.every((c) => c.temperature === 0.8)).toBe(true);
		// What the bootstrap resamples: one value per example (its samples' mean), never one per sample.
		const { input } = loadRun(r.taskDir);
		const correct = input.models[0].columns?.correct;
		expect(correct).toHaveLength(N);
		expect(Array.from(correct ?? [])).toEqual(Array(N).fill(0.75));
	});

	it("scores the classes after the ids the completer read, where it reports them", async () => {
		// A chat template's special token: one id (7) where the text would be several characters.
		const read = (prompt: string) => [7, ...seq(prompt.replace("<assistant>", "")).ids];
		const backend = scriptedCompleter(answer, natural, undefined, read);
		const r = await run(backend, "16");
		const d = r.details("forced-budget16")[2];
		const context = read(d.text!);
		const want = [" A", " B"].map((c) =>
			fakeContinuationLogprobs(context, seq(c).ids).reduce((a, b) => a + b, 0),
		);
		expect(d.classLogprobs).toEqual(want);
		expect(backend.continuationCalls.some((calls) => calls.some((q) => q.context.ids[0] === 7))).toBe(true);
	});

	it("refuses samples at temperature 0", async () => {
		await expect(
			run(scriptedCompleter(answer, natural), "16", { generation: { budgets: [], samples: 3 } }),
		).rejects.toThrow(/same greedy answer/);
	});
});

describe("resume", () => {
	it("a rerun with the same store generates nothing and writes the same bytes", async () => {
		const store = tempStorePath();
		const first = scriptedChat(
			"anthropic",
			worseWithReasoning((b) => (b > 0 ? 1 : 0)),
		);
		const a = await run(first, "0,1024", {}, store);
		const second = scriptedChat("anthropic", () => "never asked");
		const b = await run(second, "0,1024", {}, store);
		expect(second.requests).toEqual([]);
		expect(b.manifest.models.map((m) => [m.generated, m.generationCacheHits])).toEqual([
			[0, N],
			[0, N],
		]);
		expect(a.manifest.models.map((m) => m.generated)).toEqual([N, N]);
		for (const file of [
			"summary.json",
			"labelled_data.jsonl",
			"anthropic-chat-budget1024.csv",
			"details/anthropic-chat-budget0.jsonl",
		])
			expect(b.read(file)).toBe(a.read(file));
	});
});

describe("tasks generation cannot ask", () => {
	it("refuses sequence_prob with a clear error, and exact answers without generation", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-gen-"));
		const seqTask = join(dir, "s.csv");
		writeFileSync(seqTask, 'prompt,completion\n"Q0: a"," b"\n');
		const base = { models: [model("x")], outDir: join(dir, "o"), store: false as const, report: false };
		await expect(
			runEval({ ...base, tasks: [seqTask], generation: { budgets: parseBudgets("0") } }),
		).rejects.toThrow(/s\.csv: a sequence_prob task cannot be evaluated by generation/);
		const exact = join(dir, "e.csv");
		writeFileSync(exact, "prompt,answer\nQ0: 2+2?,4\n");
		await expect(runEval({ ...base, tasks: [exact] })).rejects.toThrow(
			/e\.csv: an exact_answer task is evaluated by generation/,
		);
	});
});

describe("an exact-answer task by generation", () => {
	it("grades numbers as numbers and text against the answer and its aliases", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-gen-exact-"));
		const task = join(dir, "sums.csv");
		writeFileSync(
			task,
			[
				"prompt,answer,aliases",
				"Q0: 6 + 6?,12,",
				"Q1: half of 7?,3.5,",
				`Q2: capital of France?,Paris,"['paris, france']"`,
				"Q3: 2 + 2?,4,",
			].join("\n"),
		);
		// Right, right (as a fraction), right (an alias), wrong.
		const said = ["The answer is 12.", "7/2", "Paris, France", "It is 5"];
		const chat = scriptedChat("anthropic", (i) => said[i]);
		const outcome = await runEval({
			tasks: [task],
			models: [model("anthropic-chat")],
			outDir: join(dir, "runs"),
			store: false,
			report: false,
			openBackend: async () => chat,
			generation: { budgets: parseBudgets("0") },
		});
		expect(outcome.status).toBe("complete");
		const read = (f: string) => readFileSync(join(dir, "runs", "sums", f), "utf8");
		expect(read("anthropic-chat-budget0.csv")).toBe(
			'index,correct,parsed,reasoning_tokens,predicted\n0,1,1,0,12\n1,1,1,0,7/2\n2,1,1,0,"paris, france"\n3,0,1,0,5\n',
		);
		const summary = JSON.parse(read("summary.json")) as RunSummary;
		expect(summary.type).toBe("exact_answer");
		expect(summary.models[0].correct?.mean).toBe(0.75);
		expect(summary.models[0].chance).toBeUndefined();
		expect(chat.requests[0].messages).toEqual([{ role: "user", content: "Q0: 6 + 6?" }]);
		const labelled = read("labelled_data.jsonl")
			.trim()
			.split("\n")
			.map((l) => JSON.parse(l));
		expect(labelled[2]).toMatchObject({
			answer: "Paris",
			aliases: ["paris, france"],
			"anthropic-chat-budget0_correct": 1,
		});
	});
});
