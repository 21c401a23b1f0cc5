/**
 * @module `runEval`: validates the tasks, then scores them under every condition (a ladder model
 * and the settings the run sweeps), smallest model first, each model loaded once for all of its
 * conditions, and writes each task's run directory. The CLI and the web server both run
 * evaluations through this function.
 */
import { join } from "node:path";
import { type CachedBackend, createCachedBackend } from "../backends/cached.js";
import type { Backend } from "../backends/types.js";
import { canAsk, QuestionError } from "../generation/question.js";
import type { LadderModel } from "../ladders/types.js";
import { coordinatesOf } from "../run/conditions.js";
import type { RunModel } from "../run/manifest.js";
import { openStore, type Store } from "../store/index.js";
import { readTask } from "../tasks/index.js";
import type { LoadedTask } from "../tasks/types.js";
import { storePath } from "../util/home.js";
import { byModel, type Condition, conditionsOf } from "./conditions.js";
import { generateModel, prepareForGeneration, questionOptions } from "./generate-model.js";
import { openBackend } from "./open-backend.js";
import { inspectLadder } from "./order.js";
import { PlanError, scoreModel } from "./score-model.js";
import { askedQuestions, type ShotsOptions, shotsProblem } from "./shot-variants.js";
import { TaskRun } from "./task-run.js";
import type { EvalEventListener, EvalOptions, EvalOutcome } from "./types.js";

/** A problem with the request itself (not with one model), raised before anything is scored. */
export class EvalSetupError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = "EvalSetupError";
	}
}

/** An error's message and, when it carries one, its hint on how to fix it. */
function errorText(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const hint = (error as { hint?: unknown }).hint;
	return typeof hint === "string" && hint ? `${error.message}\n  ${hint}` : error.message;
}

/** Whether the hub could not be reached: then every later download would fail the same way. */
function isNetworkFailure(error: unknown): boolean {
	return (
		error instanceof Error && error.name === "LadderError" && (error as { code?: unknown }).code === "network"
	);
}

function checkUnique(names: string[], what: string, hint: string): void {
	const seen = new Set<string>();
	for (const name of names) {
		if (seen.has(name)) throw new EvalSetupError(`two ${what} are named ${JSON.stringify(name)}`, hint);
		seen.add(name);
	}
}

function openStoreFor(options: EvalOptions, emit: EvalEventListener): Store | undefined {
	if (options.store === false) return undefined;
	const path = options.store ?? storePath();
	try {
		return openStore(path);
	} catch (error) {
		emit({ type: "log", level: "warn", message: `score cache disabled: ${errorText(error)}` });
		return undefined;
	}
}

export async function runEval(given: EvalOptions, emit: EvalEventListener = () => {}): Promise<EvalOutcome> {
	const options = withPlainGeneration(given);
	const boundary = options.boundary ?? "strict";
	const truncate = options.truncate ?? "none";
	const precision = options.precision ?? "fast";
	const signal = options.signal;

	// 1. Every task is read and validated before any model is touched.
	const tasks: LoadedTask[] = [];
	for (const file of options.tasks) {
		const task = await readTask(file, options.type ? { type: options.type } : {});
		emit({ type: "validated", task: task.name, file, errors: task.errors, warnings: task.warnings });
		tasks.push(task);
	}
	const outcomeTasks = () => tasks.map((t) => ({ name: t.name, dir: join(options.outDir, t.name) }));
	if (tasks.some((t) => !t.valid)) return { status: "invalid", tasks: outcomeTasks() };
	checkEvaluation(tasks, options);
	checkUnique(
		tasks.map((t) => t.name),
		"tasks",
		"each task writes to <out>/<task name>/: rename one file",
	);
	if (options.models.length === 0)
		throw new EvalSetupError("no models to score", "pass --models or --ladder");
	checkUnique(
		options.models.map((m) => m.name),
		"models",
		"model names become file names (<model>.csv): give each model its own name in the ladder",
	);

	const { problems: fileProblems, ordered: models } = await inspectLadder(options.models);
	if (fileProblems.length > 0) {
		throw new EvalSetupError(
			`${fileProblems.length === 1 ? "a model file" : "model files"} cannot be used; nothing was scored:\n${fileProblems
				.map((p) => `  ${p.model}: ${p.path}: ${p.message}`)
				.join("\n")}`,
			"check the paths in --models or the ladder file; a damaged download can be fetched again with `invscale pull`",
		);
	}
	const shots = checkShots(options.shots, tasks);
	const conditions = conditionsOf(models, { shots: shots?.values, budgets: options.generation?.budgets });
	checkUnique(
		conditions.map((c) => c.name),
		"conditions",
		"condition names become file names (<model>-<k>shot.csv): rename the model whose name ends like another's setting",
	);
	const runOptions = {
		boundary,
		truncate,
		precision,
		...(options.generation ? { generation: options.generation } : {}),
	};
	const runs: TaskRun[] = [];
	for (const task of tasks)
		runs.push(
			await TaskRun.create(
				task,
				options.outDir,
				conditions,
				runOptions,
				options.ladderName,
				options.taskProvenance?.[task.file],
				shots,
				options.generation && questionOptions(options.generation),
			),
		);
	for (const run of runs) {
		emit({
			type: "task-start",
			task: run.task.name,
			dir: run.dir,
			examples: run.task.examples.length,
			models: conditions.map((c) => c.name),
		});
	}

	// 2. One model at a time, smallest first; each model scores every task under each of its conditions.
	const store = openStoreFor(options, emit);
	const state: RunState = {};
	try {
		for (const group of byModel(conditions)) {
			if (signal?.aborted) break;
			await runModel(
				group.model,
				group.conditions,
				runs,
				store,
				state,
				{ ...options, boundary, truncate, precision },
				emit,
			);
		}
	} finally {
		store?.close();
	}

	// 3. Per task: joined data, summary, final manifest and the report.
	const finished: EvalOutcome["tasks"] = [];
	for (const run of runs) {
		const summary = run.finish(signal?.aborted === true);
		if (options.report !== false && run.manifest.models.some((m) => m.status === "ok")) {
			try {
				const { writeTaskReport } = await import("../report/index.js");
				await writeTaskReport(run.dir);
			} catch (error) {
				emit({
					type: "log",
					level: "warn",
					message: `${run.task.name}: report not written: ${errorText(error)}`,
				});
			}
		}
		emit({ type: "task-end", task: run.task.name, dir: run.dir, summary });
		finished.push({ name: run.task.name, dir: run.dir, summary });
	}
	const statuses = runs.flatMap((run) => run.manifest.models.map((m) => m.status));
	const status = signal?.aborted
		? "cancelled"
		: statuses.every((s) => s === "ok")
			? "complete"
			: statuses.some((s) => s === "ok")
				? "partial"
				: "failed";
	return { status, tasks: finished };
}

/**
 * A run without --budgets whose models all answer chat requests only (`api: chat`, Anthropic) is a
 * generation run of plain requests: one condition per model, no budget, no reasoning control sent.
 * Mixed with models that score, it is refused: the two would measure different things.
 */
function withPlainGeneration(options: EvalOptions): EvalOptions {
	if (options.generation || options.models.length === 0) return options;
	const chatOnly = options.models.filter(
		(m) => m.source.kind === "anthropic" || (m.source.kind === "openai" && m.source.api === "chat"),
	);
	if (chatOnly.length === 0) return options;
	if (chatOnly.length < options.models.length)
		throw new EvalSetupError(
			`${chatOnly.map((m) => m.name).join(", ")} ${chatOnly.length === 1 ? "answers" : "answer"} chat requests only, while the other models are scored by log-probabilities`,
			"pass --budgets 0 to evaluate every model by generation (answers without reasoning), or run the chat models apart",
		);
	return { ...options, generation: { budgets: [] } };
}

/** The sweep's numbers of shots, checked: whole numbers ≥ 0, and every task has enough examples. */
function checkShots(shots: ShotsOptions | undefined, tasks: readonly LoadedTask[]): ShotsOptions | undefined {
	if (!shots) return undefined;
	if (shots.values.length === 0)
		throw new EvalSetupError("no numbers of shots given", "e.g. --shots 0,1,2,4,8");
	const bad = shots.values.find((k) => !(Number.isSafeInteger(k) && k >= 0));
	if (bad !== undefined)
		throw new EvalSetupError(
			`${bad} is not a number of shots`,
			"give whole numbers from 0 up, e.g. --shots 0,1,2,4,8",
		);
	if (shots.seed !== undefined && !Number.isSafeInteger(shots.seed))
		throw new EvalSetupError(`shots seed ${shots.seed} is not a whole number`, "e.g. --shots-seed 1");
	const problems = tasks
		.map((task) => shotsProblem(task.file, task.examples.length, shots.values))
		.filter((p) => p !== undefined);
	if (problems.length > 0)
		throw new EvalSetupError(problems.join("\n"), "ask for fewer shots, or add examples to the task");
	return shots;
}

/** Refuses a task the chosen evaluation cannot do, before anything is loaded. */
function checkEvaluation(tasks: readonly LoadedTask[], options: EvalOptions): void {
	for (const task of tasks) {
		if (options.generation && !canAsk(task.type)) {
			const refusal = new QuestionError(task.type);
			throw new EvalSetupError(`${task.file}: ${refusal.message}`, refusal.hint);
		}
		if (!options.generation && task.type === "exact_answer") {
			throw new EvalSetupError(
				`${task.file}: an exact_answer task is evaluated by generation: its answers are written, not scored`,
				"pass --budgets 0 (answer without reasoning), or budgets such as --budgets 0,1024,4096",
			);
		}
	}
	const g = options.generation;
	if (g && (g.samples ?? 1) > 1 && !((g.temperature ?? 0) > 0)) {
		throw new EvalSetupError(
			`${g.samples} samples at temperature 0 would all be the same greedy answer`,
			"give a temperature, e.g. --temperature 0.7, or drop --samples",
		);
	}
}

/**
 * The settings that scope a model's cached scores. In process, the way contexts are evaluated is
 * part of them: llama.cpp's last digits depend on batch shapes. Since version 2 every context is
 * evaluated from BOS in fixed batches; since version 3 a short rest on top of a declared shared
 * prefix is padded at fast precision. Scores cached by an earlier scheme are never mixed in.
 */
function cacheSettings(raw: Backend, precision: string): string {
	return raw.info.kind === "llama.cpp" ? `precision=${precision};evaluation=3` : `precision=${precision}`;
}

/** What one model's failure tells about the next ones. */
interface RunState {
	/** The hub could not be reached: later downloads are not tried. */
	hubError?: unknown;
}

async function runModel(
	model: LadderModel,
	conditions: readonly Condition[],
	runs: TaskRun[],
	store: Store | undefined,
	state: RunState,
	options: EvalOptions & Required<Pick<EvalOptions, "boundary" | "truncate" | "precision">>,
	emit: EvalEventListener,
): Promise<void> {
	const signal = options.signal;
	let raw: Backend | undefined;
	let openError: unknown;
	let remoteStatus: { retries: number; concurrency: number } | undefined;
	try {
		if (state.hubError && model.source.kind === "hf") {
			throw new Error("not downloaded: the hub could not be reached (see the first model's error)");
		}
		raw =
			(await options.openBackend?.(model)) ??
			(await openBackend(model, {
				precision: options.precision,
				offline: options.offline,
				signal,
				// Shown on the first condition: the one waiting for the file.
				onDownload: (p) => emit({ type: "download", model: conditions[0].name, ...p }),
				onStatus: (status) => {
					remoteStatus = status;
				},
			}));
	} catch (error) {
		openError = error;
		if (isNetworkFailure(error)) state.hubError ??= error;
	}
	try {
		const cached: CachedBackend | undefined =
			raw && store ? createCachedBackend(raw, store.cache, cacheSettings(raw, options.precision)) : undefined;
		if (raw && options.generation) {
			// Memory is sized once per opened model, for the longest prompt and budget of all its conditions.
			await prepareForGeneration(
				raw,
				cached ?? raw,
				runs.flatMap((r) =>
					r.allVariants().flatMap((v) => askedQuestions(v, questionOptions(options.generation!))),
				),
				options.generation,
			).catch((error: unknown) =>
				emit({ type: "log", level: "warn", message: `${model.name}: memory not sized: ${errorText(error)}` }),
			);
		}
		for (const run of runs) {
			for (const condition of conditions) {
				if (signal?.aborted) return;
				await runCondition(run, condition, raw, cached, openError, () => remoteStatus, options, emit);
			}
		}
	} finally {
		await raw?.dispose().catch(() => undefined);
	}
}

/** Scores one condition of one task on the opened model (or records why the model could not open). */
async function runCondition(
	run: TaskRun,
	condition: Condition,
	raw: Backend | undefined,
	cached: CachedBackend | undefined,
	openError: unknown,
	remoteStatus: () => { retries: number; concurrency: number } | undefined,
	options: EvalOptions & Required<Pick<EvalOptions, "boundary" | "truncate" | "precision">>,
	emit: EvalEventListener,
): Promise<void> {
	const signal = options.signal;
	const record = run.model(condition.name);
	const variant = run.variant(condition);
	record.startedAt = new Date().toISOString();
	emit({
		type: "model-start",
		task: run.task.name,
		model: record.name,
		index: run.manifest.models.indexOf(record),
		total: run.manifest.models.length,
		examples: variant.examples.length,
	});
	if (!raw) {
		fail(run, record, openError, emit);
		return;
	}
	record.status = "running";
	record.info = raw.info;
	record.parameters ??= raw.info.parameters;
	record.nonEmbeddingParameters ??= raw.info.nonEmbeddingParameters;
	record.coords = coordinatesOf(record, record.settings);
	run.save();
	try {
		const hitsBefore = cached?.cacheCounters.hits ?? 0;
		const common = {
			boundary: options.boundary,
			truncate: options.truncate,
			concurrency: options.concurrency,
			signal,
			emit,
			status: remoteStatus,
		};
		const budget = condition.settings.budget;
		if (options.generation) {
			const before = {
				hits: cached?.cacheCounters.generationHits ?? 0,
				misses: cached?.cacheCounters.generationMisses ?? 0,
				tokens: raw.counters.tokensEvaluated,
				calls: raw.counters.calls,
			};
			await generateModel(run, record.name, variant, raw, cached ?? raw, {
				...common,
				generation: options.generation,
				// No budget: a plain request (a run without --budgets).
				setting:
					budget === undefined
						? undefined
						: {
								budget,
								...(condition.settings.budgetLabel !== undefined
									? { budgetLabel: condition.settings.budgetLabel }
									: {}),
							},
			});
			record.tokensEvaluated = raw.counters.tokensEvaluated - before.tokens;
			record.backendCalls = raw.counters.calls - before.calls;
			if (cached) {
				record.generated = cached.cacheCounters.generationMisses - before.misses;
				record.generationCacheHits = cached.cacheCounters.generationHits - before.hits;
			}
		} else {
			await scoreModel(run, record, variant, raw, cached ?? raw, common);
		}
		if (cached) record.cacheHits = cached.cacheCounters.hits - hitsBefore;
		if (signal?.aborted) {
			record.status = "failed";
			record.error = "cancelled";
		} else {
			record.status = "ok";
			emit({ type: "model-end", task: run.task.name, model: record.name, status: "ok" });
		}
	} catch (error) {
		fail(run, record, error, emit);
	}
	record.endedAt = new Date().toISOString();
	run.save();
}

function fail(run: TaskRun, record: RunModel, error: unknown, emit: EvalEventListener): void {
	record.status = "failed";
	record.error = error instanceof PlanError ? error.message : errorText(error);
	record.endedAt = new Date().toISOString();
	run.save();
	emit({ type: "model-end", task: run.task.name, model: record.name, status: "failed", error: record.error });
}
