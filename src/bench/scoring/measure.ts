/**
 * @module One scoring-benchmark measurement, run in its own process so its peak resident memory
 * (VmHWM) belongs to it alone (see child.ts).
 * Kinds: "engine" (invscale's runEval), "raw" (plain node-llama-cpp evaluating exactly the tokens
 * the engine evaluates, reading no probabilities), "raw-reads" (the same, also reading the
 * next-token distribution wherever the engine reads one: the least any scorer on this binding
 * must do), "prize" (each prompt + class as its own
 * sequence, one at a time, reading the class tokens' probabilities), "remote" (runEval through
 * the OpenAI-compatible test server in the same process), and "prefix" / "prefix-undeclared" (the
 * llama.cpp backend scoring a task whose prompts open with one fixed block of demonstrations, with
 * and without `sharedPrefixTokens` declaring it).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LlamaContext, LlamaContextSequence, Token as LlamaToken } from "node-llama-cpp";
import { type LlamaCppBackend, openLlamaBackend } from "../../backends/llama/backend.js";
import type { ContinuationRequest } from "../../backends/types.js";
import { runEval } from "../../engine/run-eval.js";
import type { EvalEvent } from "../../engine/types.js";
import type { LadderModel } from "../../ladders/types.js";
import { planExample } from "../../scoring/plan.js";
import { readTask } from "../../tasks/index.js";
import { prefixDemonstrations } from "./task.js";

export type JobKind =
	| "engine"
	| "raw"
	| "raw-reads"
	| "raw-one-context"
	| "prize"
	| "remote"
	| "prefix"
	| "prefix-undeclared";

export interface Job {
	kind: JobKind;
	model: string;
	modelName: string;
	task: string;
	threads: number;
	sequences: number;
	/** The llama.cpp backend's precision ("prefix" jobs); default fast. */
	precision?: "fast" | "exact";
}

export interface Measurement {
	kind: JobKind;
	/** Wall time of the scoring itself (model loading excluded). */
	seconds: number;
	examples: number;
	/** Tokens pushed through the model. */
	tokensEvaluated: number;
	/**
	 * Each prompt once plus each class once, BOS included ("raw"); for "prefix" jobs the shared
	 * prefix (with BOS) once per context, plus each prompt's rest and each class once.
	 */
	minimumTokens?: number;
	/** Contexts the backend evaluated on ("prefix" jobs). */
	contexts?: number;
	/** Tokens of the declared shared prefix, BOS excluded ("prefix" jobs). */
	prefixTokens?: number;
	/** VmHWM of this process, in bytes. */
	peakRssBytes: number;
}

function peakRss(): number {
	const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
	return hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

/** runEval on one file model or server model; the time from "model-start" to "model-end". */
async function timeRunEval(
	job: Job,
	model: LadderModel,
): Promise<Omit<Measurement, "kind" | "peakRssBytes">> {
	const out = mkdtempSync(join(tmpdir(), "invscale-bench-"));
	try {
		let start = 0;
		let end = 0;
		let failure: string | undefined;
		const outcome = await runEval(
			{ tasks: [job.task], models: [model], outDir: out, store: false, report: false },
			(event: EvalEvent) => {
				if (event.type === "model-start") start = performance.now();
				if (event.type === "model-end") {
					end = performance.now();
					failure = event.error;
				}
			},
		);
		if (outcome.status !== "complete") throw new Error(`runEval ended ${outcome.status}: ${failure ?? ""}`);
		const run = JSON.parse(readFileSync(join(outcome.tasks[0].dir, "run.json"), "utf8")) as {
			models: Array<{ examplesScored: number; tokensEvaluated: number }>;
		};
		return {
			seconds: (end - start) / 1000,
			examples: run.models[0].examplesScored,
			tokensEvaluated: run.models[0].tokensEvaluated,
		};
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
}

/** The engine's own plans for the task: the exact token sequences every method evaluates. */
async function plannedRequests(backend: LlamaCppBackend, taskFile: string): Promise<ContinuationRequest[]> {
	const task = await readTask(taskFile);
	const requests: ContinuationRequest[] = [];
	for (const example of task.examples) {
		const planned = await planExample(backend, example, {
			boundary: "strict",
			truncate: "none",
			contextLength: backend.info.contextLength,
		});
		if (planned.kind !== "ok" || planned.plan.kind !== "continuations")
			throw new Error("benchmark task did not plan");
		requests.push(...planned.plan.requests);
	}
	return requests;
}

/** Context size as the engine picks it: the longest sequence, rounded up to 256. */
function contextSizeFor(requests: ContinuationRequest[], bos: number): number {
	let longest = 0;
	for (const r of requests) {
		longest = Math.max(
			longest,
			bos + r.context.ids.length + Math.max(...r.continuations.map((c) => c.ids.length)),
		);
	}
	return Math.ceil(longest / 256) * 256;
}

/**
 * Plain node-llama-cpp doing the engine's decoding work and nothing else: the same sequences, each
 * context evaluated from BOS in one call on an emptied sequence; with `reads`, the next-token distribution is also read at every position the
 * engine reads it (the end of each context, each continuation token but the last), without
 * invscale's bookkeeping. `contexts` single-sequence contexts share the threads
 * and keep one example each in flight (the engine's layout on a CPU), or one context evaluates
 * one example at a time with every thread.
 */
async function rawEvaluation(
	job: Job,
	contexts: number,
	reads = false,
): Promise<Omit<Measurement, "kind" | "peakRssBytes">> {
	const read = { generateNext: { probabilities: reads } };
	const backend = await openLlamaBackend(job.model, { threads: job.threads });
	try {
		const requests = await plannedRequests(backend, job.task);
		const bos = backend.info.addsBos ? [backend.model.tokens.bos as number] : [];
		let minimumTokens = 0;
		for (const r of requests) {
			minimumTokens +=
				bos.length + r.context.ids.length + r.continuations.reduce((n, c) => n + c.ids.length, 0);
		}
		const start = performance.now();
		const created: LlamaContext[] = [];
		for (let c = 0; c < contexts; c++) {
			created.push(
				await backend.model.createContext({
					contextSize: contextSizeFor(requests, bos.length),
					batchSize: Math.min(contextSizeFor(requests, bos.length), 512),
					sequences: 1,
					threads: Math.max(1, Math.floor(job.threads / contexts)),
				}),
			);
		}
		let tokensEvaluated = 0;
		let next = 0;
		const worker = async (sequence: LlamaContextSequence) => {
			while (next < requests.length) {
				const request = requests[next++];
				const feed = [...bos, ...request.context.ids] as LlamaToken[];
				await sequence.clearHistory();
				await sequence.controlledEvaluate(
					feed.map((id, i) => (reads && i === feed.length - 1 ? [id, read] : id)),
				);
				tokensEvaluated += feed.length;
				const base = sequence.nextTokenIndex;
				for (const continuation of request.continuations) {
					if (continuation.ids.length < 2) continue;
					await sequence.controlledEvaluate(
						(continuation.ids.slice(0, -1) as LlamaToken[]).map((id) => (reads ? [id, read] : id)),
					);
					tokensEvaluated += continuation.ids.length - 1;
					await sequence.eraseContextTokenRanges([{ start: base, end: sequence.nextTokenIndex }]);
				}
			}
		};
		await Promise.all(created.map((context) => worker(context.getSequence())));
		const seconds = (performance.now() - start) / 1000;
		for (const context of created) await context.dispose();
		return { seconds, examples: requests.length, tokensEvaluated, minimumTokens };
	} finally {
		await backend.dispose();
	}
}

/** The prize's method: every prompt + class is its own sequence, scored alone, batch size one. */
async function prizeMethod(job: Job): Promise<Omit<Measurement, "kind" | "peakRssBytes">> {
	const backend = await openLlamaBackend(job.model, { threads: job.threads });
	try {
		const requests = await plannedRequests(backend, job.task);
		const bos = backend.info.addsBos ? [backend.model.tokens.bos as number] : [];
		const start = performance.now();
		const context = await backend.model.createContext({
			contextSize: contextSizeFor(requests, bos.length),
			sequences: 1,
			threads: job.threads,
		});
		const sequence = context.getSequence();
		let tokensEvaluated = 0;
		let checksum = 0;
		for (const request of requests) {
			for (const continuation of request.continuations) {
				const ids = [...bos, ...request.context.ids, ...continuation.ids];
				const first = bos.length + request.context.ids.length;
				// Probabilities at every position that predicts a class token, as the prize's code reads them.
				const results = await sequence.controlledEvaluate(
					ids.map((id, i) =>
						i >= first - 1 && i < ids.length - 1
							? [id as LlamaToken, { generateNext: { probabilities: true } }]
							: (id as LlamaToken),
					),
				);
				for (let i = first - 1; i < ids.length - 1; i++) {
					checksum += Math.log(results[i]?.next.probabilities?.get(ids[i + 1] as LlamaToken) ?? Number.NaN);
				}
				tokensEvaluated += ids.length;
				await sequence.clearHistory();
			}
		}
		const seconds = (performance.now() - start) / 1000;
		if (!Number.isFinite(checksum)) throw new Error("prize method read no probabilities");
		await context.dispose();
		return { seconds, examples: requests.length, tokensEvaluated };
	} finally {
		await backend.dispose();
	}
}

/** runEval through the OpenAI-compatible test server, serving the same model in this process. */
async function remotePath(job: Job): Promise<Omit<Measurement, "kind" | "peakRssBytes">> {
	const { startOpenAITestServer } = await import("../../testing/openai-server.js");
	const backend = await openLlamaBackend(job.model, { threads: job.threads, sequences: job.sequences });
	const server = await startOpenAITestServer({ backend, model: job.modelName });
	try {
		return await timeRunEval(job, {
			name: job.modelName,
			family: "bench",
			source: { kind: "openai", baseUrls: [server.baseUrl], model: job.modelName },
		});
	} finally {
		await server.close();
		await backend.dispose();
	}
}

/**
 * The llama.cpp backend on a task whose prompts all open with the same demonstrations: every
 * planned request at once, with the demonstrations declared as `sharedPrefixTokens` or not.
 */
async function sharedPrefix(job: Job, declare: boolean): Promise<Omit<Measurement, "kind" | "peakRssBytes">> {
	const backend = await openLlamaBackend(job.model, {
		threads: job.threads,
		sequences: job.sequences,
		precision: job.precision,
	});
	try {
		const planned = await plannedRequests(backend, job.task);
		const demos = (await backend.tokenize(prefixDemonstrations)).map((t) => t.id);
		let shared = demos.length;
		for (const r of planned) {
			let n = 0;
			while (n < shared && r.context.ids[n] === demos[n]) n++;
			shared = n;
		}
		if (shared < demos.length / 2) throw new Error("the demonstrations do not open the prompts' tokens");
		const requests = planned.map((r) => (declare ? { ...r, sharedPrefixTokens: shared } : r));
		const bos = backend.info.addsBos ? 1 : 0;
		await backend.prepare({ maxSequenceTokens: contextSizeFor(requests, bos) });
		const contexts = Math.min(backend.parallelism, requests.length);
		let minimumTokens = contexts * (bos + shared);
		for (const r of requests) {
			minimumTokens += r.context.ids.length - shared + r.continuations.reduce((n, c) => n + c.ids.length, 0);
		}
		const start = performance.now();
		await backend.scoreContinuations(requests);
		const seconds = (performance.now() - start) / 1000;
		return {
			seconds,
			examples: requests.length,
			tokensEvaluated: backend.counters.tokensEvaluated,
			minimumTokens,
			contexts,
			prefixTokens: shared,
		};
	} finally {
		await backend.dispose();
	}
}

export async function measure(job: Job): Promise<Measurement> {
	let figures: Omit<Measurement, "kind" | "peakRssBytes">;
	switch (job.kind) {
		case "engine":
			figures = await timeRunEval(job, {
				name: job.modelName,
				family: "bench",
				source: { kind: "file", path: job.model },
			});
			break;
		case "raw":
			figures = await rawEvaluation(job, Math.min(job.sequences, job.threads));
			break;
		case "raw-reads":
			figures = await rawEvaluation(job, Math.min(job.sequences, job.threads), true);
			break;
		case "raw-one-context":
			figures = await rawEvaluation(job, 1);
			break;
		case "prize":
			figures = await prizeMethod(job);
			break;
		case "remote":
			figures = await remotePath(job);
			break;
		case "prefix":
			figures = await sharedPrefix(job, true);
			break;
		case "prefix-undeclared":
			figures = await sharedPrefix(job, false);
			break;
	}
	return { kind: job.kind, ...figures, peakRssBytes: peakRss() };
}
