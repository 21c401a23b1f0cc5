/**
 * @module Scores one condition of a task on its opened model: plans every example (so boundary and
 * context-window problems are reported before any scoring), then scores with several examples in
 * flight and writes `<condition>.csv` and `details/<condition>.jsonl` in example order as results arrive.
 */
import { LogprobFloorError } from "../backends/logprob-floor.js";
import { type Backend, BackendError } from "../backends/types.js";
import type { BoundaryMode, ExampleDetails, RunModel, TruncateMode } from "../run/manifest.js";
import { runFiles } from "../run/manifest.js";
import { prizeColumns, prizeRow, scoreExample } from "../scoring/assemble.js";
import { boundaryMethods } from "../scoring/boundary.js";
import { type ExamplePlan, type PlanProblem, planExample } from "../scoring/plan.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { OrderedAppender } from "./ordered-writer.js";
import { csvLine } from "./prize-csv.js";
import type { TaskVariant } from "./shot-variants.js";
import type { TaskRun } from "./task-run.js";
import type { EvalEventListener } from "./types.js";

export interface ScoreModelOptions {
	boundary: BoundaryMode;
	truncate: TruncateMode;
	concurrency?: number;
	signal?: AbortSignal;
	emit: EvalEventListener;
	/** Remote backends report their retries and concurrency here. */
	status?: () => { retries: number; concurrency: number } | undefined;
}

/** A run-stopping problem with the task on this model (rows that do not fit, split tokens). */
export class PlanError extends Error {
	constructor(
		message: string,
		readonly problems: PlanProblem[],
	) {
		super(message);
		this.name = "PlanError";
	}
}

const fixes: Record<PlanProblem["kind"], string> = {
	straddle: "end prompts without a space and start classes with one, or pass --boundary lenient",
	overflow: "shorten those prompts, or pass --truncate left to drop the start of long prompts",
	empty: "give every class and completion some text",
};

function describeProblems(problems: PlanProblem[], variant: TaskVariant): string {
	const byKind = new Map<PlanProblem["kind"], PlanProblem[]>();
	for (const p of problems) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
	const where = variant.file ? ` of ${variant.file}` : "";
	const parts: string[] = [];
	for (const [kind, list] of byKind) {
		const shown = list.slice(0, 10).map((p) => `row ${p.index} (line ${p.line}${where}): ${p.message}`);
		const more = list.length > shown.length ? `\n  … and ${list.length - shown.length} more rows` : "";
		const fix =
			kind === "overflow" && variant.shots
				? `${fixes[kind]}, or ask for fewer shots (the ${variant.shots} demonstrations come first)`
				: fixes[kind];
		parts.push(`${list.length} row(s) cannot be scored:\n  ${shown.join("\n  ")}${more}\n  fix: ${fix}`);
	}
	return parts.join("\n");
}

/**
 * Plans, scores and writes one condition (`record`, scoring `variant`'s examples) on one model.
 * Throws PlanError or the backend's error.
 */
export async function scoreModel(
	run: TaskRun,
	record: RunModel,
	variant: TaskVariant,
	raw: Backend,
	backend: Backend,
	options: ScoreModelOptions,
): Promise<void> {
	const { task } = run;
	const modelName = record.name;
	const plans: ExamplePlan[] = [];
	const problems: PlanProblem[] = [];
	let longest = 0;
	let sharedTokens = 0;
	const bos = raw.info.addsBos ? 1 : 0;
	const concurrency = Math.max(1, options.concurrency ?? raw.parallelism ?? 1);
	// Planning tokenizes every example; a server tokenizes many at once, so plan as many at once as
	// are scored (one at a time would leave every replica idle but one slot).
	const allPlanned = await mapConcurrent(variant.examples, concurrency, (example) =>
		planExample(
			backend,
			example,
			{ boundary: options.boundary, truncate: options.truncate, contextLength: raw.info.contextLength },
			variant.sharedPrefix?.get(example.index) ?? 0,
		),
	);
	for (const planned of allPlanned) {
		if (planned.kind === "problem") {
			problems.push(planned.problem);
			continue;
		}
		plans.push(planned.plan);
		for (const request of planned.plan.requests) {
			const tail =
				"continuations" in request ? Math.max(0, ...request.continuations.map((c) => c.ids.length)) : 1;
			longest = Math.max(longest, bos + request.context.ids.length + tail);
			sharedTokens += request.sharedPrefixTokens ?? 0;
		}
	}
	if (problems.length > 0) throw new PlanError(describeProblems(problems, variant), problems);
	if (sharedTokens > 0) record.sharedPrefixTokens = sharedTokens;
	await raw.prepare?.({ maxSequenceTokens: longest });

	record.boundaryMethod = boundaryMethods[options.boundary];
	const truncated = plans.filter((p) => p.truncated).map((p) => p.index);
	if (truncated.length > 0) record.truncatedRows = truncated;
	const straddled = plans.filter((p) => p.straddled).length;
	if (straddled > 0) {
		options.emit({
			type: "log",
			level: "warn",
			message: `${task.name} / ${modelName}: ${straddled} row(s) had a token across the prompt/class join; scored as part of the class (--boundary lenient)`,
		});
	}
	const multiToken = plans.filter((p) => p.kind === "next-token" && p.multiToken).length;
	if (multiToken > 0) {
		options.emit({
			type: "log",
			level: "warn",
			message: `${task.name} / ${modelName}: ${multiToken} row(s) have a class of several tokens; as in the prize, only each class's last token is read`,
		});
	}

	const columns = prizeColumns[task.type];
	const order = plans.map((p) => p.index);
	const csv = new OrderedAppender<string>(
		run.path(runFiles.modelCsv(modelName)),
		order,
		(line) => line,
		csvLine(columns),
	);
	const details = new OrderedAppender<ExampleDetails>(
		run.path(runFiles.modelDetails(modelName)),
		order,
		(d) => `${JSON.stringify(d)}\n`,
	);
	const rows = new Map<number, Record<string, number | string>>();
	run.rows.set(modelName, rows);
	const examples = new Map(variant.examples.map((e) => [e.index, e]));

	const started = Date.now();
	const tokensBefore = raw.counters.tokensEvaluated;
	const callsBefore = raw.counters.calls;
	let lastEmit = 0;
	let trailing: ReturnType<typeof setTimeout> | undefined;
	const progress = (force = false) => {
		const now = Date.now();
		if (!force && now - lastEmit < 200) {
			// A skipped update goes out when the interval ends, so a run that stalls shows its last count.
			trailing ??= setTimeout(
				() => {
					trailing = undefined;
					progress(true);
				},
				200 - (now - lastEmit),
			);
			return;
		}
		clearTimeout(trailing);
		trailing = undefined;
		lastEmit = now;
		const status = options.status?.();
		options.emit({
			type: "progress",
			task: task.name,
			model: modelName,
			done: csv.written,
			total: plans.length,
			tokens: raw.counters.tokensEvaluated - tokensBefore,
			elapsedMs: now - started,
			...(status ?? {}),
		});
	};

	// The first failure stops the run: examples in flight finish, no new one starts.
	await mapConcurrent(plans, concurrency, async (plan) => {
		if (options.signal?.aborted) return;
		const result = await scoreExample(backend, plan, options.signal).catch((error: unknown) => {
			// A log-prob the server did not compute is this example's problem: say which one.
			if (!(error instanceof LogprobFloorError)) throw error;
			const example = examples.get(plan.index)!;
			throw new BackendError(
				`${task.name}: row ${plan.index} (line ${example.line}): ${error.message}`,
				error.code,
				error.hint,
			);
		});
		const row = prizeRow(task.type, examples.get(plan.index)!, result);
		rows.set(plan.index, row);
		csv.add(plan.index, csvLine(columns.map((c) => row[c])));
		details.add(plan.index, result);
		record.examplesScored = csv.written;
		progress();
	}).finally(() => clearTimeout(trailing));
	record.tokensEvaluated = raw.counters.tokensEvaluated - tokensBefore;
	record.backendCalls = raw.counters.calls - callsBefore;
	progress(true);
}
