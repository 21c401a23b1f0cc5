/** @module Bench: the paired bootstrap (10,000 replicates of 1,000 examples × 8 models) and a full analysis. */
import { pairedBootstrap } from "../analysis/bootstrap.js";
import { analyzeRun } from "../analysis/run.js";
import type { RunInput } from "../analysis/types.js";
import { createPrng } from "../util/prng.js";
import type { BenchSection } from "./section.js";

const examples = 1000;
const models = 8;
const replicates = 10_000;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

export const section: BenchSection = {
	name: "bootstrap",
	description: `paired bootstrap, ${replicates.toLocaleString("en-US")} replicates × ${examples} examples × ${models} models`,
	async run() {
		const rng = createPrng(1);
		const values = new Float64Array(examples * models);
		for (let i = 0; i < values.length; i++) values[i] = 1 + rng.nextNormal();
		const times: number[] = [];
		for (let k = 0; k < 5; k++) {
			const t0 = performance.now();
			pairedBootstrap(values, examples, models, { replicates, seed: k });
			times.push(performance.now() - t0);
		}
		const index = Array.from({ length: examples }, (_, i) => i);
		const input: RunInput = {
			task: { name: "bench", type: "classification", typeName: "classification", examples },
			plotted: "loss",
			models: Array.from({ length: models }, (_, m) => ({
				name: `m${m}`,
				family: m % 2 ? "a" : "b",
				parameters: 10 ** (8 + m / 2),
				status: "ok" as const,
				columns: {
					index,
					loss: index.map((e) => Math.abs(values[e * models + m])),
					correct: index.map((e) => (values[e * models + m] > 1 ? 1 : 0)),
					total_logprob: index.map(() => -0.1),
				},
			})),
		};
		const t1 = performance.now();
		analyzeRun(input, { replicates });
		const full = performance.now() - t1;
		const bootstrapMs = Math.round(median(times));
		console.log(
			`  bootstrap: median ${bootstrapMs} ms over 5 runs (min ${Math.round(Math.min(...times))} ms)`,
		);
		console.log(`  analyzeRun (loss + accuracy, families, changes): ${Math.round(full)} ms`);
		return {
			examples,
			models,
			replicates,
			bootstrapMedianMs: bootstrapMs,
			bootstrapMinMs: Math.round(Math.min(...times)),
			analyzeRunMs: Math.round(full),
		};
	},
};
