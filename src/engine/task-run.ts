/**
 * @module One task's run directory while a run is in progress: the copy of the data, the card,
 * the built k-shot tasks of a few-shot sweep, `run.json` kept current after every condition, and
 * the per-condition result files.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { QuestionOptions } from "../generation/question.js";
import { generationSummary } from "../generation/rows.js";
import type { GenerationRow } from "../generation/types.js";
import type { LadderModel } from "../ladders/types.js";
import { coordinatesOf } from "../run/conditions.js";
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
import { chanceBaselines, modelSummary, runSummary } from "../scoring/summary.js";
import type { LoadedTask } from "../tasks/types.js";
import { sha256File } from "../util/hash.js";
import { version } from "../version.js";
import type { Condition } from "./conditions.js";
import { buildShotVariants, type ShotsOptions, type TaskVariant } from "./shot-variants.js";

export class TaskRun {
	readonly manifest: RunManifest;
	/** Rows per condition name, by example index, for labelled_data.jsonl and summary.json. */
	readonly rows = new Map<string, Map<number, PrizeRow>>();

	private constructor(
		readonly task: LoadedTask,
		readonly dir: string,
		manifest: RunManifest,
		private readonly variants: ReadonlyMap<number, TaskVariant>,
	) {
		this.manifest = manifest;
	}

	static async create(
		task: LoadedTask,
		outDir: string,
		conditions: readonly Condition[],
		options: RunManifest["options"],
		ladder?: string,
		catalog?: CatalogProvenance,
		shots?: ShotsOptions,
		/** A run by generation: how questions are asked (its demonstrations are chat turns). */
		asked?: QuestionOptions,
	): Promise<TaskRun> {
		const dir = join(outDir, task.name);
		mkdirSync(dir, { recursive: true });
		// Results of an earlier run of the same task are replaced as a whole, never mixed.
		rmSync(join(dir, "details"), { recursive: true, force: true });
		rmSync(join(dir, "shots"), { recursive: true, force: true });
		const built = shots ? buildShotVariants(task, dir, shots, asked) : undefined;
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
			...(built ? { shots: built.record } : {}),
			models: conditions.map((condition) => conditionRecord(condition, built?.variants)),
			startedAt: new Date().toISOString(),
			status: "running",
		};
		const run = new TaskRun(task, dir, manifest, built?.variants ?? new Map());
		run.save();
		return run;
	}

	/** The record of the condition named `name` in run.json. */
	model(name: string): RunModel {
		const found = this.manifest.models.find((m) => m.name === name);
		if (!found) throw new Error(`condition ${name} is not part of this run`);
		return found;
	}

	/** The examples a condition scores: its k-shot task, or the task as written. */
	variant(condition: Condition): TaskVariant {
		const k = condition.settings.shots;
		return (k !== undefined ? this.variants.get(k) : undefined) ?? { examples: this.task.examples };
	}

	/** Every version of the task the run's conditions see (one per k in a few-shot sweep). */
	allVariants(): TaskVariant[] {
		return this.variants.size > 0 ? [...this.variants.values()] : [{ examples: this.task.examples }];
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
		// Rows arrive in completion order; the summary's sums run in example order, so they never vary.
		const inOrder = (m: RunModel) => [...rowsOf(m)].sort(([a], [b]) => a - b).map(([, row]) => row);
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
			manifest.models.map((m) => {
				const rows = m.status === "ok" ? inOrder(m) : [];
				if (manifest.options.generation === undefined) return modelSummary(m, task.type, task.examples, rows);
				const chance = chanceBaselines(task.examples);
				return {
					...modelSummary(m, task.type, task.examples, []),
					...generationSummary(rows as unknown as GenerationRow[], m.usage),
					...(chance && rows.length > 0 ? { chance } : {}),
				};
			}),
		);
		// Generated answers are graded right or wrong: accuracy is what is plotted.
		if (manifest.options.generation !== undefined) summary.plotted = "correct";
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

/** A condition's entry in run.json before it is scored. */
function conditionRecord(condition: Condition, variants?: ReadonlyMap<number, TaskVariant>): RunModel {
	const { model, settings } = condition;
	const file = settings.shots !== undefined ? variants?.get(settings.shots)?.file : undefined;
	const hasSettings = Object.keys(settings).length > 0;
	return {
		name: condition.name,
		model: model.name,
		family: model.family,
		source: describeSource(model),
		...(hasSettings ? { settings } : {}),
		coords: coordinatesOf(model, settings),
		...(file ? { data: file } : {}),
		parameters: model.parameters,
		nonEmbeddingParameters: model.nonEmbeddingParameters,
		trainingTokens: model.trainingTokens,
		...(model.step !== undefined ? { step: model.step } : {}),
		status: "pending",
		examplesScored: 0,
		tokensEvaluated: 0,
	};
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
