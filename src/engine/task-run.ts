/**
 * @module One task's run directory while a run is in progress: the copy of the data, the card,
 * `run.json` kept current after every model, and the per-model result files.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { LadderModel } from "../ladders/types.js";
import { RUN_SCHEMA, type RunManifest, type RunModel, runFiles } from "../run/manifest.js";
import type { PrizeRow } from "../scoring/assemble.js";
import type { LoadedTask } from "../tasks/types.js";
import { sha256File } from "../util/hash.js";
import { version } from "../version.js";

export class TaskRun {
	readonly manifest: RunManifest;
	/** Rows per model name, by example index, for labelled_data.jsonl and summary.json. */
	readonly rows = new Map<string, Map<number, PrizeRow>>();

	private constructor(
		readonly task: LoadedTask,
		readonly dir: string,
		manifest: RunManifest,
	) {
		this.manifest = manifest;
	}

	static async create(
		task: LoadedTask,
		outDir: string,
		models: readonly LadderModel[],
		options: RunManifest["options"],
		ladder?: string,
	): Promise<TaskRun> {
		const dir = join(outDir, task.name);
		mkdirSync(dir, { recursive: true });
		// Results of an earlier run of the same task are replaced as a whole, never mixed.
		rmSync(join(dir, "details"), { recursive: true, force: true });
		const dataCopy = basename(task.file);
		copyFileSync(task.file, join(dir, dataCopy));
		let card: string | undefined;
		if (task.cardFile && existsSync(task.cardFile)) {
			card = basename(task.cardFile);
			copyFileSync(task.cardFile, join(dir, card));
		}
		const manifest: RunManifest = {
			schema: RUN_SCHEMA,
			invscaleVersion: version,
			task: {
				name: task.name,
				file: task.file,
				dataCopy,
				sha256: await sha256File(task.file),
				type: task.type,
				typeName: task.typeName,
				examples: task.examples.length,
				...(card ? { card } : {}),
			},
			options,
			...(ladder ? { ladder } : {}),
			models: models.map(
				(model): RunModel => ({
					name: model.name,
					family: model.family,
					source: describeSource(model),
					parameters: model.parameters,
					nonEmbeddingParameters: model.nonEmbeddingParameters,
					trainingTokens: model.trainingTokens,
					status: "pending",
					examplesScored: 0,
					tokensEvaluated: 0,
				}),
			),
			startedAt: new Date().toISOString(),
			status: "running",
		};
		const run = new TaskRun(task, dir, manifest);
		run.save();
		return run;
	}

	model(name: string): RunModel {
		const found = this.manifest.models.find((m) => m.name === name);
		if (!found) throw new Error(`model ${name} is not part of this run`);
		return found;
	}

	/** Writes run.json (small; rewritten whole after each change of state). */
	save(): void {
		writeFileSync(join(this.dir, runFiles.manifest), `${JSON.stringify(this.manifest, null, 2)}\n`);
	}

	path(file: string): string {
		return join(this.dir, file);
	}
}

/** Where a model came from, for run.json: a path, a hub URI or an endpoint — never a credential. */
export function describeSource(model: LadderModel): string {
	const source = model.source;
	switch (source.kind) {
		case "file":
			return source.path;
		case "hf":
			return source.uri;
		case "openai":
			return `openai:${source.baseUrls.join(",")}|${source.model}${source.revision ? `|${source.revision}` : ""}`;
	}
}
