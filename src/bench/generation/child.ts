/**
 * @module One generation-bench measurement in its own process (two models loaded one after the
 * other in one process can stall node-llama-cpp): argv[2] is a JSON job, the last stdout line the
 * figures.
 */
import type { Token as LlamaToken } from "node-llama-cpp";
import { openLlamaBackend } from "../../backends/llama/backend.js";
import { llamaRuntime } from "../../backends/llama/runtime.js";

export interface GenerationJob {
	name: string;
	path: string;
	threads: number;
	tokens: number;
	reps: number;
}

export interface GenerationFigures {
	model: string;
	tokens: number;
	engineSeconds: number[];
	rawSeconds: number[];
	engineTokensPerSecond: number;
	rawTokensPerSecond: number;
	/** Median over repetitions of engine tokens/s ÷ raw tokens/s of the same repetition. */
	efficiency: number;
	sameTokens: boolean;
}

const PROMPT = "Once upon a time, there was a little girl named Lily. She";
const CONTEXT = 512;

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure({
	name,
	path,
	threads,
	tokens: TOKENS,
	reps: REPS,
}: GenerationJob): Promise<GenerationFigures> {
	const backend = await openLlamaBackend(path, { threads, sequences: 1, contextSize: CONTEXT });
	const llama = await llamaRuntime();
	const model = await llama.loadModel({ modelPath: path });
	const context = await model.createContext({ contextSize: CONTEXT, sequences: 1, threads });
	const completer = backend.completer!;
	const prompt = completer.promptIds(PROMPT);
	// Warm both up once (first decodes allocate buffers).
	const [warm] = await completer.complete([{ prompt: PROMPT, maxTokens: 4, temperature: 0 }]);
	const sequence = context.getSequence();
	const engineSeconds: number[] = [];
	const rawSeconds: number[] = [];
	let engineIds: number[] = warm!.tokenIds!;
	let rawIds: number[] = [];
	for (let rep = 0; rep <= REPS; rep++) {
		// A different token after BOS each time, so neither reuses the previous run's KV state.
		const ids = [prompt[0]!, 300 + rep, ...prompt.slice(1)];
		let began = performance.now();
		const engine = await completer.completeTokens(ids, { maxTokens: TOKENS, temperature: 0 });
		const engineTime = (performance.now() - began) / 1000;
		const limit = engine.tokenIds!.length;
		await sequence.clearHistory();
		began = performance.now();
		const raw: number[] = [];
		for await (const token of sequence.evaluate(ids as LlamaToken[], { temperature: 0 })) {
			raw.push(token);
			if (raw.length >= limit) break;
		}
		const rawTime = (performance.now() - began) / 1000;
		if (rep === 0) continue; // warm-up round
		engineSeconds.push(engineTime);
		rawSeconds.push(rawTime);
		engineIds = engine.tokenIds!;
		rawIds = raw;
	}
	await context.dispose();
	await model.dispose();
	await backend.dispose();
	const tokens = engineIds.length;
	return {
		model: name,
		tokens,
		engineSeconds,
		rawSeconds,
		engineTokensPerSecond: tokens / median(engineSeconds),
		rawTokensPerSecond: tokens / median(rawSeconds),
		efficiency: median(engineSeconds.map((e, i) => rawSeconds[i]! / e)),
		sameTokens: engineIds.length === rawIds.length && engineIds.every((id, i) => id === rawIds[i]),
	};
}

if (process.argv[2]) {
	const figures = await measure(JSON.parse(process.argv[2]) as GenerationJob);
	console.log(JSON.stringify(figures));
}
