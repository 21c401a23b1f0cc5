import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LlamaCppBackend, openLlamaBackend } from "../../src/backends/llama/backend.js";
import { type OpenOpenAIBackendOptions, openOpenAIBackend } from "../../src/backends/openai/index.js";
import type { Backend, ContinuationRequest, NextTokenRequest } from "../../src/backends/types.js";
import type { LadderModel } from "../../src/ladders/types.js";
import { codePointLength, sliceCodePoints } from "../../src/util/codepoints.js";
import { STORIES_260K } from "../helpers/models.js";
import {
	type OpenAITestServer,
	type ServerFlavour,
	startOpenAITestServer,
} from "../helpers/openai-server.js";

/** Prompts and classes covering the four task shapes, with non-ASCII text and multi-token classes. */
const PROMPT_A = "Once upon a time, there was a little girl named Lily. She liked to";
const CLASSES_A = [" play", " run and jump in the park", " sing"];
const PROMPT_B = "Zoë went to the café — «naïve» 🙂 and said:";
const CLASSES_B = [" yes", " no thank you"];

function ladderModel(
	baseUrls: string[],
	extra: Partial<Extract<LadderModel["source"], { kind: "openai" }>> = {},
): LadderModel {
	return {
		name: "remote-stories",
		family: "stories",
		source: { kind: "openai", baseUrls, model: "stories260K", ...extra },
	};
}

const quick: OpenOpenAIBackendOptions = { env: {}, sleep: async () => {}, random: () => 0.5 };

/** Splits `prompt + class` at the first token starting at or after the join, as the planner does. */
async function requestFor(backend: Backend, prompt: string, classes: string[]): Promise<ContinuationRequest> {
	let request: ContinuationRequest | undefined;
	for (const cls of classes) {
		const text = prompt + cls;
		const tokens = await backend.tokenize(text);
		const join = codePointLength(prompt);
		const at = tokens.findIndex((t) => t.start >= join);
		const cut = tokens[at]!.start;
		const context = { ids: tokens.slice(0, at).map((t) => t.id), text: sliceCodePoints(text, 0, cut) };
		const continuation = { ids: tokens.slice(at).map((t) => t.id), text: sliceCodePoints(text, cut) };
		request ??= { context, continuations: [] };
		expect(request.context.ids).toEqual(context.ids);
		request.continuations.push(continuation);
	}
	return request!;
}

async function shapes(
	backend: Backend,
): Promise<{ continuations: ContinuationRequest[]; next: NextTokenRequest[] }> {
	const continuations = [
		await requestFor(backend, PROMPT_A, CLASSES_A),
		await requestFor(backend, PROMPT_B, CLASSES_B),
	];
	// Log-odds: the last token of each class after each prompt.
	const next = continuations.map((r) => ({
		context: r.context,
		candidates: r.continuations.map((c) => c.ids.at(-1)!),
	}));
	return { continuations, next };
}

function expectClose(actual: number[][], expected: number[][], tolerance = 1e-4): void {
	expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
	actual.forEach((row, i) => {
		row.forEach((value, j) => {
			expect(Math.abs(value - expected[i]![j]!)).toBeLessThan(tolerance);
		});
	});
}

describe("OpenAI-compatible backend against a local server on stories260K", () => {
	let llama: LlamaCppBackend;
	const servers: OpenAITestServer[] = [];
	const start = async (
		flavour: ServerFlavour = "vllm",
		extra: Partial<Parameters<typeof startOpenAITestServer>[0]> = {},
	) => {
		const server = await startOpenAITestServer({ backend: llama, flavour, ...extra });
		servers.push(server);
		return server;
	};
	beforeAll(async () => {
		llama = await openLlamaBackend(STORIES_260K, { precision: "exact", threads: 1 });
	});
	afterAll(async () => {
		await Promise.all(servers.map((s) => s.close()));
		await llama.dispose();
	});

	it("tokenizes like llama.cpp (ids and code-point offsets) and scores the same on a vLLM server", async () => {
		const server = await start("vllm");
		const remote = await openOpenAIBackend(ladderModel([server.baseUrl]), quick);
		expect(remote.info).toMatchObject({
			identity: `${server.baseUrl}|stories260K|`,
			kind: "openai",
			tokenizer: "server",
			addsBos: true,
			contextLength: 512,
		});
		for (const text of [PROMPT_A, PROMPT_B + CLASSES_B[1]!, "ö🙂x"]) {
			expect(await remote.tokenize(text)).toEqual(await llama.tokenize(text));
		}
		const local = await shapes(llama);
		const viaServer = await shapes(remote);
		expect(viaServer).toEqual(local);
		const expected = await llama.scoreContinuations(local.continuations);
		const got = await remote.scoreContinuations(local.continuations);
		for (const [i, g] of got.entries()) expectClose(g.logprobs, expected[i]!.logprobs);
		// Several tokens per continuation, as the shape must be.
		expect(got[0]!.logprobs[1]!.length).toBeGreaterThan(3);
		expectClose(await remote.nextTokenLogprobs(local.next), await llama.nextTokenLogprobs(local.next));
		await remote.dispose();
	});

	it("reads token_logprobs when the server ignores prompt_logprobs", async () => {
		const server = await start("vllm", { promptLogprobs: false });
		const remote = await openOpenAIBackend(ladderModel([server.baseUrl]), quick);
		const local = await shapes(llama);
		const expected = await llama.scoreContinuations(local.continuations);
		const got = await remote.scoreContinuations(local.continuations);
		for (const [i, g] of got.entries()) expectClose(g.logprobs, expected[i]!.logprobs);
		expectClose(await remote.nextTokenLogprobs(local.next), await llama.nextTokenLogprobs(local.next));
		await remote.dispose();
	});

	it("scores by text on a server without /tokenize (davinci-002 style), with offsets in code points", async () => {
		const server = await start("openai");
		const remote = await openOpenAIBackend(ladderModel([server.baseUrl]), quick);
		expect(remote.info.addsBos).toBe(false);
		const text = PROMPT_B + CLASSES_B[1]!;
		const spans = (await remote.tokenize(text)).map(({ start, end }) => ({ start, end }));
		expect(spans).toEqual((await llama.tokenize(text)).map(({ start, end }) => ({ start, end })));
		// "🙂" is one code point (two UTF-16 units): a token ending after it ends at its code-point index + 1.
		const smile = [...text].indexOf("🙂");
		expect(spans.some((s) => s.end === smile + 1)).toBe(true);
		const local = await shapes(llama);
		const viaServer = await shapes(remote);
		const expected = await llama.scoreContinuations(local.continuations);
		const got = await remote.scoreContinuations(viaServer.continuations);
		for (const [i, g] of got.entries()) expectClose(g.logprobs, expected[i]!.logprobs);
		expectClose(await remote.nextTokenLogprobs(viaServer.next), await llama.nextTokenLogprobs(local.next));
		await remote.dispose();
	});

	it("gives exactly the clean results when 20% of requests fail with mixed faults", async () => {
		const clean = await start("vllm");
		const faulty = await start("vllm", { faults: { rate: 0.2, seed: 42 } });
		const statuses: Array<{ retries: number; concurrency: number }> = [];
		const good = await openOpenAIBackend(ladderModel([clean.baseUrl]), quick);
		const bad = await openOpenAIBackend(ladderModel([faulty.baseUrl]), {
			...quick,
			onStatus: (s) => statuses.push(s),
		});
		const local = await shapes(good);
		// Many small requests so plenty of faults land on scoring requests too.
		const many = Array.from({ length: 12 }, () => local.continuations).flat();
		const manyNext = Array.from({ length: 12 }, () => local.next).flat();
		const texts = [PROMPT_A, PROMPT_B, `${PROMPT_A} ${PROMPT_B}`];
		expect(await Promise.all(texts.map((t) => bad.tokenize(t)))).toEqual(
			await Promise.all(texts.map((t) => good.tokenize(t))),
		);
		expect(await bad.scoreContinuations(many)).toEqual(await good.scoreContinuations(many));
		expect(await bad.nextTokenLogprobs(manyNext)).toEqual(await good.nextTokenLogprobs(manyNext));
		const injected = Object.values(faulty.stats.faults).reduce((a, b) => a + b, 0);
		expect(injected).toBeGreaterThan(5);
		expect(Object.entries(faulty.stats.faults).filter(([, n]) => n > 0).length).toBeGreaterThanOrEqual(5);
		expect(statuses.at(-1)!.retries).toBeGreaterThan(0);
		await good.dispose();
		await bad.dispose();
	});

	it("spreads requests over replicas", async () => {
		const a = await start("vllm");
		const b = await start("vllm");
		const remote = await openOpenAIBackend(ladderModel([a.baseUrl, b.baseUrl]), quick);
		expect(remote.parallelism).toBe(128);
		const local = await shapes(llama);
		const before = [a.stats.completions, b.stats.completions];
		const many = Array.from({ length: 10 }, () => local.continuations).flat();
		const got = await remote.scoreContinuations(many);
		expect(got).toHaveLength(20);
		expect(a.stats.completions - before[0]!).toBeGreaterThan(2);
		expect(b.stats.completions - before[1]!).toBeGreaterThan(2);
		// Identity names the first replica only: replicas serve one model.
		expect(remote.info.identity).toBe(`${a.baseUrl}|stories260K|`);
		await remote.dispose();
	});

	it("refuses servers that cannot give prompt log-probs, saying why and what works", async () => {
		const cases: Array<[ServerFlavour, RegExp]> = [
			["no-logprobs", /no log-probabilities/],
			["ignore-echo", /echo ignored|echoes no prompt tokens/],
			["chat-only", /no \/v1\/completions endpoint/],
		];
		for (const [flavour, why] of cases) {
			const server = await start(flavour);
			const opened = openOpenAIBackend(ladderModel([server.baseUrl]), quick);
			await expect(opened).rejects.toMatchObject({
				name: "BackendError",
				code: "unsupported",
				message: expect.stringMatching(why),
			});
			await expect(opened).rejects.toMatchObject({ hint: expect.stringMatching(/vLLM.*davinci-002/) });
		}
	});

	it("refuses a model the server does not serve, naming the ones it does", async () => {
		const server = await start("vllm");
		await expect(
			openOpenAIBackend(ladderModel([server.baseUrl], { model: "pythia-70m" }), quick),
		).rejects.toMatchObject({
			code: "model-missing",
			message: expect.stringContaining('serves "stories260K"'),
		});
	});

	it("gives up after the bounded number of tries, saying what happened", async () => {
		const server = await start("vllm");
		const remote = await openOpenAIBackend(ladderModel([server.baseUrl]), {
			...quick,
			retry: { maxAttempts: 4 },
		});
		const local = await shapes(llama);
		server.script(["500", "drop", "500", "429"]);
		const failure = await remote.scoreContinuations([local.continuations[0]!]).catch((e: unknown) => e);
		expect(failure).toMatchObject({ name: "BackendError", code: "server" });
		const message = (failure as Error).message;
		expect(message).toContain("gave up after 4 tries");
		expect(message).toContain("HTTP 500: Internal server error ×2");
		expect(message).toContain("connection failed");
		expect(message).toContain("HTTP 429");
		// A missing log-prob that persists fails clearly too; it is never read as zero.
		server.script(["missing-logprobs", "missing-logprobs", "missing-logprobs", "missing-logprobs"]);
		await expect(remote.scoreContinuations([local.continuations[0]!])).rejects.toThrow(
			/no log-probability for prompt token/,
		);
		await remote.dispose();
	});

	it("honours Retry-After before trying again", async () => {
		const server = await start("vllm", { retryAfter: "1" });
		const waits: number[] = [];
		const remote = await openOpenAIBackend(ladderModel([server.baseUrl]), {
			...quick,
			sleep: async (ms) => {
				waits.push(ms);
			},
		});
		const local = await shapes(llama);
		server.script(["429"]);
		const expected = await llama.scoreContinuations([local.continuations[0]!]);
		const got = await remote.scoreContinuations([local.continuations[0]!]);
		expectClose(got[0]!.logprobs, expected[0]!.logprobs);
		expect(waits).toHaveLength(1);
		expect(waits[0]).toBeGreaterThanOrEqual(1000);
		await remote.dispose();
	});
});
