/**
 * @module Trains the organisms ladder: writes the corpus, starts each size from seeded weights,
 * runs the training segments in order (a checkpoint after each), and writes the shipped files, the
 * ladder files and the tasks. It emits events and never prints. A killed run resumes from its last
 * finished checkpoint; since every segment starts from a checkpoint file, resumed and uninterrupted
 * runs give the same bytes.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ReadGguf, readGgufFile } from "../gguf/read.js";
import type { OrganismSize, OrganismsConfig } from "./config.js";
import { runSegment, type SegmentProgress } from "./finetune.js";
import {
	nonEmbeddingParameters,
	totalParameters,
	writeInitialModel,
	writeShippedModel,
} from "./initial-model.js";
import { type TrainedCheckpoint, writeLadderFiles } from "./ladder-files.js";
import { heldOutText, type Language, languageOf, segmentCount, segmentText } from "./language.js";
import { writeHeldOutTask, writeTaskFiles } from "./task-files.js";

export type TrainEvent =
	| { kind: "corpus"; segments: number; tokens: number }
	| { kind: "segment-start"; model: string; segment: number; segments: number }
	| {
			kind: "segment-progress";
			model: string;
			segment: number;
			progress: SegmentProgress;
			etaSeconds: number | null;
	  }
	| {
			kind: "segment-done";
			model: string;
			segment: number;
			seconds: number;
			loss: number | null;
			resumed: boolean;
	  }
	| { kind: "written"; what: string; path: string };

export interface TrainOptions {
	config: OrganismsConfig;
	/** The config's text, copied beside the ladder so the ladder says what made it. */
	configText: string;
	/** Where the ladder goes: models/, ladder.yaml, checkpoints.yaml, work/ (training state). */
	outDir: string;
	/** Where the task files go (default `<outDir>/tasks`). */
	tasksDir?: string;
	finetune: string;
	/** Only these sizes (by name); all by default. */
	only?: string[];
	onEvent?: (event: TrainEvent) => void;
	signal?: AbortSignal;
}

/** llama.cpp's count of the tokens of a segment: one per word, one per newline. */
export function tokenCount(text: string): number {
	let n = 0;
	for (const line of text.split("\n")) n += line.split(" ").filter(Boolean).length;
	return n + (text.match(/\n/g)?.length ?? 0);
}

/**
 * The trainer's windows over a segment: `context` tokens each, starting every `context / 2`
 * tokens (llama.cpp's finetune), each window one optimiser step per `batch` tokens.
 */
export function segmentWork(
	tokens: number,
	context: number,
	batch: number,
): { tokens: number; steps: number } {
	const stride = context / 2;
	const windows = tokens < context ? 0 : Math.floor((tokens - context) / stride) + 1;
	return { tokens: windows * context, steps: (windows * context) / batch };
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Writes `text` unless the file already holds it, through a `.part` file and a rename. */
function writeIfChanged(path: string, text: string): void {
	if (existsSync(path) && readFileSync(path, "utf8") === text) return;
	writeFileSync(`${path}.part`, text);
	renameSync(`${path}.part`, path);
}

export async function trainOrganisms(options: TrainOptions): Promise<TrainedCheckpoint[]> {
	const { config, outDir } = options;
	const emit = options.onEvent ?? (() => {});
	const language: Language = languageOf(config);
	const segments = segmentCount(config);
	const work = join(outDir, "work");
	mkdirSync(join(work, "corpus"), { recursive: true });
	mkdirSync(join(outDir, "models"), { recursive: true });

	const texts: string[] = [];
	const works: Array<{ tokens: number; steps: number }> = [];
	for (let s = 0; s < segments; s++) {
		const path = join(work, "corpus", `segment-${s + 1}.txt`);
		const text = segmentText(config, language, s);
		writeIfChanged(path, text);
		texts.push(path);
		works.push(segmentWork(tokenCount(text), config.training.context, config.training.batch));
	}
	writeIfChanged(join(work, "corpus", "held-out.txt"), heldOutText(config, language));
	emit({ kind: "corpus", segments, tokens: works.reduce((n, w) => n + w.tokens, 0) });

	const sizes = config.sizes.filter((s) => !options.only || options.only.includes(s.name));
	const vocabSize = language.vocab.tokens.length;
	// Work left, in parameter·tokens, for the ETA; the measured rate replaces a guess after one segment.
	const cost = (size: OrganismSize, s: number) => totalParameters(size, vocabSize) * works[s].tokens;
	let remaining = sizes.reduce((n, size) => n + works.reduce((m, _, s) => m + cost(size, s), 0), 0);
	let rate: number | null = null;

	const checkpoints: TrainedCheckpoint[] = [];
	for (const size of sizes) {
		const dir = join(work, size.name);
		mkdirSync(dir, { recursive: true });
		for (const stale of readdirSync(dir).filter((f) => f.endsWith(".part"))) rmSync(join(dir, stale));
		const start = join(dir, "segment-0.gguf");
		if (!existsSync(start))
			writeInitialModel(start, size, language.vocab, config.training.context, config.seed);
		let tokens = 0;
		let steps = 0;
		for (let s = 0; s < segments; s++) {
			const from = join(dir, `segment-${s}.gguf`);
			const to = join(dir, `segment-${s + 1}.gguf`);
			const began = Date.now();
			let loss: number | null = null;
			let trained: ReadGguf | undefined;
			const resumed = existsSync(to);
			if (!resumed) {
				emit({ kind: "segment-start", model: size.name, segment: s + 1, segments });
				const segmentCost = cost(size, s);
				const result = await runSegment(
					options.finetune,
					from,
					texts[s],
					to,
					{
						context: config.training.context,
						batch: config.training.batch,
						learningRate: config.training.learning_rates[s],
						weightDecay: config.training.weight_decay,
						threads: config.training.threads,
					},
					(progress) => {
						const done = progress.total > 0 ? progress.done / progress.total : 0;
						const elapsed = (Date.now() - began) / 1000;
						const segmentRate = done > 0.05 ? (segmentCost * done) / elapsed : rate;
						const etaSeconds = segmentRate ? (remaining - segmentCost * done) / segmentRate : null;
						emit({ kind: "segment-progress", model: size.name, segment: s + 1, progress, etaSeconds });
					},
					options.signal,
				);
				loss = result.loss;
				trained = result.trained;
				rate = segmentCost / Math.max(0.001, (Date.now() - began) / 1000);
			}
			remaining -= cost(size, s);
			tokens += works[s].tokens;
			steps += works[s].steps;
			const file = join(
				"models",
				s + 1 === segments ? `${size.name}.gguf` : `${size.name}-step${steps}.gguf`,
			);
			trained ??= readGgufFile(to);
			writeShippedModel(join(outDir, file), size, language.vocab, config.training.context, trained.tensors);
			emit({
				kind: "segment-done",
				model: size.name,
				segment: s + 1,
				seconds: (Date.now() - began) / 1000,
				loss,
				resumed,
			});
			checkpoints.push({
				size,
				segment: s + 1,
				file,
				sha256: sha256(join(outDir, file)),
				parameters: totalParameters(size, vocabSize),
				nonEmbeddingParameters: nonEmbeddingParameters(size),
				trainingTokens: tokens,
				step: steps,
			});
		}
	}
	writeIfChanged(join(outDir, "config.yaml"), options.configText);
	for (const written of writeLadderFiles(outDir, checkpoints, segments))
		emit({ kind: "written", ...written });
	const tasksDir = options.tasksDir ?? join(outDir, "tasks");
	for (const written of writeTaskFiles(tasksDir, language, config)) emit({ kind: "written", ...written });
	emit({ kind: "written", ...writeHeldOutTask(outDir, language, config) });
	return checkpoints;
}
