/**
 * @module Bench: scoring speed of invscale's llama.cpp path on random-weight Llama models of about
 * 15M, 40M and 110M parameters (vocabulary 32000, f16) and a generated 4-class task with prompts of
 * about 200 tokens. Figures: token efficiency, engine efficiency against raw llama.cpp, speed-up
 * over the prize's one-sequence-per-class method, peak memory, the remote (OpenAI-compatible
 * server) path, and a few-shot task whose prompts share one block of demonstrations (declared as a
 * shared prefix or not). Every measurement runs in its own child process, repeated; medians are
 * reported.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Job, JobKind, Measurement } from "./scoring/measure.js";
import { type BenchModel, benchShapes, ensureBenchModels } from "./scoring/models.js";
import { benchClasses, writeBenchTask, writePrefixTask } from "./scoring/task.js";
import type { BenchSection } from "./section.js";

/** Examples of the main task, of the prize-method subset and of the remote-path subset. */
const EXAMPLES = Number(process.env.INVSCALE_BENCH_EXAMPLES ?? 40);
const PRIZE_EXAMPLES = Number(process.env.INVSCALE_BENCH_PRIZE_EXAMPLES ?? 6);
const REMOTE_EXAMPLES = Number(process.env.INVSCALE_BENCH_REMOTE_EXAMPLES ?? 1);
const PREFIX_EXAMPLES = Number(process.env.INVSCALE_BENCH_PREFIX_EXAMPLES ?? 40);
const REPS = Number(process.env.INVSCALE_BENCH_REPS ?? 3);
const SEQUENCES = 4; // the llama.cpp backend's default
const PRECISIONS = ["fast", "exact"] as const;
const childPath = fileURLToPath(new URL("./scoring/child.js", import.meta.url));

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function runChild(job: Job): Promise<Measurement> {
	const { stdout } = await promisify(execFile)(process.execPath, [childPath, JSON.stringify(job)], {
		maxBuffer: 1 << 20,
	});
	const line = stdout.trim().split("\n").at(-1) ?? "";
	return JSON.parse(line) as Measurement;
}

interface ModelFigures {
	model: string;
	parameters: number;
	fileBytes: number;
	examples: number;
	minimumTokens: number;
	tokensEvaluated: number;
	tokenEfficiency: number;
	engineSeconds: number[];
	rawSeconds: number[];
	rawReadsSeconds: number[];
	prizeSeconds: number[];
	engineTokensPerSecond: number;
	rawTokensPerSecond: number;
	engineEfficiency: number;
	/** Against plain node-llama-cpp doing the same decoding and the same distribution reads. */
	engineEfficiencyWithReads: number;
	engineExamplesPerSecond: number;
	prizeExamplesPerSecond: number;
	speedUpOverPrize: number;
	peakRssBytes: number;
	peakRssOverFile: number;
	prefix: PrefixFigures[];
}

/** The few-shot task, scored with the demonstrations declared as a shared prefix and without. */
interface PrefixFigures {
	precision: "fast" | "exact";
	examples: number;
	prefixTokens: number;
	contexts: number;
	/** The prefix once per context, each prompt's rest and each class once, BOS included. */
	minimumTokens: number;
	tokensEvaluated: number;
	tokenEfficiency: number;
	undeclaredTokensEvaluated: number;
	/** Undeclared ÷ declared tokens: what evaluating the demonstrations for every example costs. */
	undeclaredTokenRatio: number;
	declaredSeconds: number[];
	undeclaredSeconds: number[];
	/** Median of undeclared ÷ declared seconds of runs made side by side. */
	speedUp: number;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

export const section: BenchSection = {
	name: "scoring",
	description: `scoring speed on random Llama models (vocab 32000, f16), ${EXAMPLES} examples, 4 classes, ~200-token prompts`,
	async run() {
		const threads = availableParallelism();
		const wanted = process.env.INVSCALE_BENCH_MODELS?.split(",") ?? Object.keys(benchShapes);
		const models = await ensureBenchModels(wanted);
		const dir = mkdtempSync(join(tmpdir(), "invscale-bench-"));
		try {
			const task = join(dir, "bench-task.csv");
			const prizeTask = join(dir, "bench-task-prize.csv");
			const remoteTask = join(dir, "bench-task-remote.csv");
			const prefixTask = join(dir, "bench-task-prefix.csv");
			writePrefixTask(prefixTask, PREFIX_EXAMPLES);
			// The subsets are the first examples of the main task (same seed).
			writeBenchTask(task, EXAMPLES);
			writeBenchTask(prizeTask, PRIZE_EXAMPLES);
			writeBenchTask(remoteTask, REMOTE_EXAMPLES);
			console.log(
				`  ${threads} cores; threads ${threads}, ${SEQUENCES} sequences; classes ${benchClasses.map((c) => JSON.stringify(c)).join(" ")} (one token each); medians of ${REPS} runs`,
			);
			const job = (kind: JobKind, model: BenchModel, file: string): Job => ({
				kind,
				model: model.path,
				modelName: model.name,
				task: file,
				threads,
				sequences: SEQUENCES,
			});
			const runs = new Map<string, Measurement[]>();
			const record = (key: string, m: Measurement) => runs.set(key, [...(runs.get(key) ?? []), m]);
			// Repetitions interleave the methods, so a burst of load elsewhere hits them alike.
			for (let rep = 0; rep < REPS; rep++) {
				for (const model of models) {
					record(`raw ${model.name}`, await runChild(job("raw", model, task)));
					record(`raw-reads ${model.name}`, await runChild(job("raw-reads", model, task)));
					record(`engine ${model.name}`, await runChild(job("engine", model, task)));
					record(`prize ${model.name}`, await runChild(job("prize", model, prizeTask)));
					for (const precision of PRECISIONS) {
						const at = (kind: JobKind) => ({ ...job(kind, model, prefixTask), precision });
						record(`prefix ${precision} ${model.name}`, await runChild(at("prefix")));
						record(`prefix-undeclared ${precision} ${model.name}`, await runChild(at("prefix-undeclared")));
					}
				}
				const small = models[0];
				record("remote", await runChild(job("remote", small, remoteTask)));
				record("local", await runChild(job("engine", small, remoteTask)));
				process.stdout.write(`  run ${rep + 1}/${REPS} done\n`);
			}

			const perModel: ModelFigures[] = models.map((model) => {
				const raw = runs.get(`raw ${model.name}`)!;
				const rawReads = runs.get(`raw-reads ${model.name}`)!;
				const engine = runs.get(`engine ${model.name}`)!;
				const prize = runs.get(`prize ${model.name}`)!;
				const rawSeconds = median(raw.map((m) => m.seconds));
				const engineSeconds = median(engine.map((m) => m.seconds));
				const prizePerExample = median(prize.map((m) => m.seconds / m.examples));
				const tokens = engine[0].tokensEvaluated;
				const minimum = raw[0].minimumTokens ?? Number.NaN;
				const peak = median(engine.map((m) => m.peakRssBytes));
				const prefix = PRECISIONS.map((precision): PrefixFigures => {
					const declared = runs.get(`prefix ${precision} ${model.name}`)!;
					const undeclared = runs.get(`prefix-undeclared ${precision} ${model.name}`)!;
					return {
						precision,
						examples: declared[0].examples,
						prefixTokens: declared[0].prefixTokens ?? Number.NaN,
						contexts: declared[0].contexts ?? Number.NaN,
						minimumTokens: declared[0].minimumTokens ?? Number.NaN,
						tokensEvaluated: declared[0].tokensEvaluated,
						tokenEfficiency: declared[0].tokensEvaluated / (declared[0].minimumTokens ?? Number.NaN),
						undeclaredTokensEvaluated: undeclared[0].tokensEvaluated,
						undeclaredTokenRatio: undeclared[0].tokensEvaluated / declared[0].tokensEvaluated,
						declaredSeconds: declared.map((m) => m.seconds),
						undeclaredSeconds: undeclared.map((m) => m.seconds),
						speedUp: median(undeclared.map((u, i) => u.seconds / declared[i].seconds)),
					};
				});
				return {
					model: model.name,
					parameters: model.parameters,
					fileBytes: model.bytes,
					examples: engine[0].examples,
					minimumTokens: minimum,
					tokensEvaluated: tokens,
					tokenEfficiency: tokens / minimum,
					engineSeconds: engine.map((m) => m.seconds),
					rawSeconds: raw.map((m) => m.seconds),
					rawReadsSeconds: rawReads.map((m) => m.seconds),
					prizeSeconds: prize.map((m) => m.seconds),
					engineTokensPerSecond: tokens / engineSeconds,
					rawTokensPerSecond: raw[0].tokensEvaluated / rawSeconds,
					// Ratios of the runs made side by side, then their median: load from elsewhere drifts.
					engineEfficiency: median(
						engine.map((e, i) => e.tokensEvaluated / e.seconds / (raw[i].tokensEvaluated / raw[i].seconds)),
					),
					engineEfficiencyWithReads: median(
						engine.map(
							(e, i) => e.tokensEvaluated / e.seconds / (rawReads[i].tokensEvaluated / rawReads[i].seconds),
						),
					),
					engineExamplesPerSecond: engine[0].examples / engineSeconds,
					prizeExamplesPerSecond: 1 / prizePerExample,
					speedUpOverPrize: median(
						engine.map((e, i) => e.examples / e.seconds / (prize[i].examples / prize[i].seconds)),
					),
					peakRssBytes: peak,
					peakRssOverFile: peak / model.bytes,
					prefix,
				};
			});
			const remote = runs.get("remote")!;
			const local = runs.get("local")!;
			const remoteRate = REMOTE_EXAMPLES / median(remote.map((m) => m.seconds));
			const localRate = REMOTE_EXAMPLES / median(local.map((m) => m.seconds));
			const remoteRatio = median(remote.map((m, i) => local[i].seconds / m.seconds));

			console.log("");
			console.log(
				"  model        params  file MB  tokens  min tok  1.token-eff  engine tok/s  raw tok/s  2.engine-eff  2b.vs-reads  engine ex/s  prize ex/s  3.speed-up  4.peak MB  peak/file",
			);
			for (const f of perModel) {
				console.log(
					`  ${f.model.padEnd(11)} ${`${fmt(f.parameters / 1e6, 1)}M`.padStart(7)} ${fmt(f.fileBytes / 1e6, 1).padStart(8)} ${String(f.tokensEvaluated).padStart(7)} ${String(f.minimumTokens).padStart(8)} ${fmt(f.tokenEfficiency, 3).padStart(12)} ${fmt(f.engineTokensPerSecond, 0).padStart(13)} ${fmt(f.rawTokensPerSecond, 0).padStart(10)} ${fmt(f.engineEfficiency).padStart(13)} ${fmt(f.engineEfficiencyWithReads).padStart(12)} ${fmt(f.engineExamplesPerSecond).padStart(12)} ${fmt(f.prizeExamplesPerSecond).padStart(11)} ${`${fmt(f.speedUpOverPrize, 1)}x`.padStart(11)} ${fmt(f.peakRssBytes / 1e6, 0).padStart(10)} ${fmt(f.peakRssOverFile).padStart(10)}`,
				);
			}
			console.log(
				`  5. remote path (${models[0].name}, ${REMOTE_EXAMPLES} examples, OpenAI-compatible test server in process): ${fmt(remoteRate, 3)} examples/s vs ${fmt(localRate, 3)} in process (${fmt(remoteRatio, 3)}x)`,
			);
			console.log("");
			console.log(
				`  6. few-shot task (${PREFIX_EXAMPLES} examples, 4 demonstrations before every prompt), demonstrations declared as sharedPrefixTokens or not:`,
			);
			console.log(
				"  model        precision  prefix tok  contexts  min tok  tokens  6.token-eff  undeclared tok  x tokens  declared s  undeclared s  speed-up",
			);
			for (const p of perModel.flatMap((f) => f.prefix.map((p) => ({ model: f.model, ...p })))) {
				console.log(
					`  ${p.model.padEnd(11)}  ${p.precision.padEnd(9)} ${String(p.prefixTokens).padStart(11)} ${String(p.contexts).padStart(9)} ${String(p.minimumTokens).padStart(8)} ${String(p.tokensEvaluated).padStart(7)} ${fmt(p.tokenEfficiency, 3).padStart(12)} ${String(p.undeclaredTokensEvaluated).padStart(15)} ${fmt(p.undeclaredTokenRatio).padStart(9)} ${fmt(median(p.declaredSeconds)).padStart(11)} ${fmt(median(p.undeclaredSeconds)).padStart(13)} ${`${fmt(p.speedUp, 1)}x`.padStart(9)}`,
				);
			}
			console.log(
				"  6. min tok counts the shared prefix (with BOS) once per context; target: token efficiency <= 1.05, i.e. the demonstrations are evaluated once per context, not once per example",
			);
			console.log(
				"  targets: token efficiency <= 1.05, engine efficiency >= 0.9, speed-up >= 3x. 2 compares with raw decoding alone; 2b with raw decoding plus the same next-token distribution reads (node-llama-cpp's only way to a log-prob), i.e. invscale's own overhead. Ratios are medians of runs made side by side",
			);
			return {
				cores: threads,
				threads,
				sequences: SEQUENCES,
				weights: "f16",
				vocab: 32000,
				examples: EXAMPLES,
				prizeExamples: PRIZE_EXAMPLES,
				prefixExamples: PREFIX_EXAMPLES,
				classes: benchClasses,
				repetitions: REPS,
				models: perModel,
				remote: {
					model: models[0].name,
					examples: REMOTE_EXAMPLES,
					remoteExamplesPerSecond: remoteRate,
					inProcessExamplesPerSecond: localRate,
					ratio: remoteRatio,
					remoteSeconds: remote.map((m) => m.seconds),
					inProcessSeconds: local.map((m) => m.seconds),
				},
			};
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	},
};
