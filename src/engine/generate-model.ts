/**
 * @module Evaluates one task on one condition by generation: plans every question and the budget's
 * mechanism (so a task or backend that cannot do it fails before anything is generated), then asks
 * with several answers in flight and writes `<condition>.csv` and `details/<condition>.jsonl` in
 * example order as answers arrive.
 */

import { type Backend, BackendError } from "../backends/types.js";
import { addToTotals, emptyUsageTotals } from "../backends/usage.js";
import { type AskSettings, ask } from "../generation/ask.js";
import {
	type BudgetSetting,
	chooseMechanism,
	defaultMarkers,
	nativeReasoning,
} from "../generation/budget.js";
import type { Question, QuestionOptions } from "../generation/question.js";
import { generationRow } from "../generation/rows.js";
import {
	type GenerationDetails,
	type GenerationOptions,
	generationColumns,
	lossColumns,
} from "../generation/types.js";
import { type RunUsage, runFiles } from "../run/manifest.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { OrderedAppender } from "./ordered-writer.js";
import { csvLine } from "./prize-csv.js";
import type { ScoreModelOptions } from "./score-model.js";
import { askedQuestions, type TaskVariant } from "./shot-variants.js";
import type { TaskRun } from "./task-run.js";

export interface GenerateModelOptions extends ScoreModelOptions {
	generation: GenerationOptions;
	/** The condition's budget; undefined: a plain request (no budget, no reasoning control sent). */
	setting: BudgetSetting | undefined;
}

/** The columns of a generation run's `<condition>.csv`. */
export function generationCsvColumns(withLoss: boolean): readonly string[] {
	return withLoss ? [...generationColumns, ...lossColumns] : generationColumns;
}

/**
 * Sizes an in-process model's memory once, before any of its conditions, for budget forcing: the
 * longest chat prompt of every question asked (demonstrations included), the markers, the largest
 * token budget, the answer and a class.
 */
export async function prepareForGeneration(
	raw: Backend,
	backend: Backend,
	questions: readonly Question[],
	generation: GenerationOptions,
): Promise<void> {
	const completer = backend.completer;
	if (!raw.prepare || !completer || generation.mechanism === "native") return;
	const { open, close, answerCue } = generation.markers ?? defaultMarkers;
	let longest = 0;
	let longestClass = 0;
	for (const q of questions) {
		const cls = Math.max(0, ...q.scored.map((c) => c.length));
		longestClass = Math.max(longestClass, cls);
		const prompt = await completer.chatPrompt(q.messages);
		const text = prompt + open + close + answerCue + " ".repeat(cls);
		longest = Math.max(longest, (await backend.tokenize(text)).length);
	}
	const budget = Math.max(
		0,
		...generation.budgets.filter((b) => b.budgetLabel === undefined).map((b) => b.budget),
	);
	const bos = raw.info.addsBos ? 1 : 0;
	await raw.prepare({
		maxSequenceTokens: bos + longest + budget + (generation.maxAnswerTokens ?? 32) + longestClass + 8,
	});
}

/** How a run's questions are put: lettered options or the classes' text, and the system message. */
export function questionOptions(generation: GenerationOptions): QuestionOptions {
	return {
		...(generation.options !== undefined ? { options: generation.options } : {}),
		...(generation.system !== undefined ? { system: generation.system } : {}),
	};
}

/**
 * Generates, grades and writes one task for one condition (its version of the task: as written, or
 * each row after its k demonstrations). Throws on the first failure.
 */
export async function generateModel(
	run: TaskRun,
	conditionName: string,
	variant: TaskVariant,
	raw: Backend,
	backend: Backend,
	options: GenerateModelOptions,
): Promise<void> {
	const { task } = run;
	const record = run.model(conditionName);
	const g = options.generation;
	const questions = askedQuestions(variant, questionOptions(g));
	const mechanism = chooseMechanism(backend, options.setting, g.mechanism);
	if (mechanism.kind === "native") nativeReasoning(mechanism, options.setting); // refuses a budget the API does not take
	const samples = g.samples ?? 1;
	const temperature = g.temperature ?? 0;
	const settings: AskSettings = {
		setting: options.setting,
		mechanism,
		markers: g.markers ?? defaultMarkers,
		temperature,
		maxAnswerTokens: g.maxAnswerTokens ?? 32,
		maxTokens: g.maxTokens ?? 16384,
		scoreClasses: mechanism.kind === "forcing" && task.type === "classification",
		boundary: options.boundary,
		truncate: options.truncate,
		contextLength: raw.info.contextLength,
	};
	const columns = generationCsvColumns(settings.scoreClasses);
	const order = task.examples.map((e) => e.index);
	const csv = new OrderedAppender<string>(
		run.path(runFiles.modelCsv(conditionName)),
		order,
		(line) => line,
		csvLine(columns),
	);
	const work = task.examples.flatMap((example, e) =>
		Array.from({ length: samples }, (_, sample) => ({
			example,
			question: questions[e],
			sample,
			position: e * samples + sample,
		})),
	);
	const details = new OrderedAppender<GenerationDetails>(
		run.path(runFiles.modelDetails(conditionName)),
		work.map((w) => w.position),
		(d) => `${JSON.stringify(d)}\n`,
	);
	const rows = new Map<number, Record<string, number | string>>();
	run.rows.set(conditionName, rows);
	const answers = new Map<number, GenerationDetails[]>();
	// Summed as answers arrive; a count some answer lacked stays unknown (null, with how many lacked it).
	const usage: RunUsage = { answers: 0, ...emptyUsageTotals() };
	let tokensSeen = 0;

	const started = Date.now();
	let lastEmit = 0;
	const progress = (force = false) => {
		const now = Date.now();
		if (!force && now - lastEmit < 200) return;
		lastEmit = now;
		options.emit({
			type: "progress",
			task: task.name,
			model: conditionName,
			done: csv.written,
			total: task.examples.length,
			tokens: tokensSeen,
			elapsedMs: now - started,
			...(options.status?.() ?? {}),
		});
	};

	const concurrency = Math.max(1, options.concurrency ?? raw.parallelism ?? 1);
	// The first failure stops the run: answers in flight finish, no new one is asked for.
	await mapConcurrent(work, concurrency, async (item) => {
		if (options.signal?.aborted) return;
		const seed = temperature > 0 ? (g.seed ?? 0) + item.sample : undefined;
		let answer: GenerationDetails;
		try {
			answer = await ask(backend, item.example, item.question, item.sample, seed, settings, options.signal);
		} catch (error) {
			if (!(settings.scoreClasses && error instanceof BackendError && error.code === "unsupported"))
				throw error;
			// The backend generates but cannot read log-probs: go on without the loss.
			settings.scoreClasses = false;
			options.emit({
				type: "log",
				level: "warn",
				message: `${task.name} / ${conditionName}: the backend gives no log-probs, so no loss is measured along the budget`,
			});
			answer = await ask(backend, item.example, item.question, item.sample, seed, settings, options.signal);
		}
		usage.answers++;
		addToTotals(usage, {
			...answer.usage,
			reasoningTokens: answer.reasoningTokens ?? null,
			...(answer.reasoningTokensFrom ? { reasoningTokensFrom: answer.reasoningTokensFrom } : {}),
		});
		tokensSeen += (answer.usage.inputTokens ?? 0) + (answer.usage.outputTokens ?? 0);
		details.add(item.position, answer);
		const done = answers.get(item.example.index) ?? [];
		done[item.sample] = answer;
		answers.set(item.example.index, done);
		if (done.filter(Boolean).length === samples) {
			const row = generationRow(item.example, done) as unknown as Record<string, number | string>;
			rows.set(item.example.index, row);
			csv.add(item.example.index, csvLine(columns.map((c) => row[c] ?? "")));
			answers.delete(item.example.index);
			record.examplesScored = csv.written;
		}
		progress();
	});
	record.usage = usage;
	progress(true);
}
