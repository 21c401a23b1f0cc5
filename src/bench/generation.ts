/**
 * @module Bench: in-process generation throughput (generated tokens per second) of the llama.cpp
 * backend's completer against raw node-llama-cpp generation of the same tokens on the same model
 * (one sequence, greedy, the same prompt, threads and context size), on stories260K and a
 * random-weight 15M-parameter model, each in its own process. Repetitions interleave the two;
 * medians are reported, and the generated ids are checked to be the same.
 */
import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { GenerationFigures, GenerationJob } from "./generation/child.js";
import { ensureBenchModels, STORIES_260K } from "./scoring/models.js";
import type { BenchSection } from "./section.js";

const TOKENS = Number(process.env.INVSCALE_BENCH_GEN_TOKENS ?? 300);
const REPS = Number(process.env.INVSCALE_BENCH_GEN_REPS ?? 7);
/**
 * Threads of both sides. Default 1: on a loaded machine two llama.cpp threads spinning on two
 * shared cores can stall each other for seconds per token, which measures the load, not the code.
 */
const THREADS = Number(process.env.INVSCALE_BENCH_GEN_THREADS ?? 1);
const childPath = fileURLToPath(new URL("./generation/child.js", import.meta.url));

async function runChild(job: GenerationJob): Promise<GenerationFigures> {
	const { stdout } = await promisify(execFile)(process.execPath, [childPath, JSON.stringify(job)], {
		maxBuffer: 1 << 20,
	});
	return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as GenerationFigures;
}

export const section: BenchSection = {
	name: "generation",
	description: `in-process greedy generation, ${TOKENS} tokens, against raw node-llama-cpp generation of the same tokens`,
	async run() {
		const threads = Math.min(THREADS, availableParallelism());
		const [small] = await ensureBenchModels(["llama-15m"]);
		const figures: GenerationFigures[] = [];
		for (const [name, path] of [
			["stories260K", STORIES_260K],
			[small!.name, small!.path],
		] as const) {
			figures.push(await runChild({ name, path, threads, tokens: TOKENS, reps: REPS }));
		}
		console.log(`  ${threads} threads, one sequence, medians of ${REPS} runs after a warm-up`);
		console.log("  model         tokens  engine tok/s  raw tok/s  efficiency  same tokens");
		for (const f of figures) {
			console.log(
				`  ${f.model.padEnd(12)}  ${String(f.tokens).padStart(6)}  ${f.engineTokensPerSecond.toFixed(0).padStart(12)}  ${f.rawTokensPerSecond.toFixed(0).padStart(9)}  ${f.efficiency.toFixed(3).padStart(10)}  ${f.sameTokens ? "yes" : "NO"}`,
			);
		}
		return { threads, tokens: TOKENS, reps: REPS, models: figures };
	},
};
