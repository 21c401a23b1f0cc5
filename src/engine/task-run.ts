/**
 * @module One task's run directory while a run is in progress: the copy of the data, the card,
 * `run.json` kept current after every model, and the per-model result files.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { LadderModel } from "../ladders/types.js";
import {
	type CatalogProvenance,
	RUN_SCHEMA,
	type RunManifest,
	type RunModel,
	type RunSummary,
	runFiles,
} from "../run/manifest.js";
import type { PrizeRow } from "../scoring/assemble.js";
import { labelledLines } from "../scoring/labelled.js";
import { modelSummary, runSummary } from "../scoring/summary.js";
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
		catalog?: CatalogProvenance,
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
				...(catalog ? { catalog } : {}),
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

	/**
	 * Ends the run: models never finished count as failed, then labelled_data.jsonl, summary.json
	 * and the final run.json are written. Returns the summary.
	 */
	finish(cancelled: boolean): RunSummary {
		const { task, manifest } = this;
		for (const m of manifest.models) {
			if (m.status === "pending" || m.status === "running") m.status = "failed";
			if (cancelled && m.status === "failed" && !m.error) m.error = "cancelled";
		}
		const ok = manifest.models.filter((m) => m.status === "ok");
		const rowsOf = (m: RunModel) => this.rows.get(m.name) ?? new Map<number, PrizeRow>();
		writeFileSync(
			this.path(runFiles.labelled),
			labelledLines(
				task.examples,
				ok.map((m) => ({ name: m.name, rows: rowsOf(m) })),
			),
		);
		const summary = runSummary(
			task.name,
			task.type,
			task.typeName,
			manifest.models.map((m) =>
				modelSummary(m, task.type, task.examples, m.status === "ok" ? [...rowsOf(m).values()] : []),
			),
		);
		writeFileSync(this.path(runFiles.summary), `${JSON.stringify(summary, null, 2)}\n`);
		manifest.endedAt = new Date().toISOString();
		manifest.status = cancelled
			? "cancelled"
			: ok.length === manifest.models.length
				? "complete"
				: ok.length === 0
					? "failed"
					: "partial";
		this.save();
		return summary;
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
		case "anthropic":
			return `anthropic:${source.baseUrls.join(",")}|${source.model}`;
	}
}
