/**
 * @module The versions of one task a run scores: the task as written, or for a few-shot sweep one
 * built k-shot task per k, each written into the run directory as a prize-format file
 * (`shots/<task>-<k>shot.jsonl`) so another tool can score exactly the same text. A run by
 * generation asks each row after the same draw of demonstrations as chat turns, and that file holds
 * the questions as asked.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
	buildQuestion,
	type Question,
	type QuestionOptions,
	withDemonstrations,
} from "../generation/question.js";
import type { ShotsRecord } from "../run/manifest.js";
import { buildShotTask } from "../tasks/few-shot.js";
import { prizeJsonl } from "../tasks/prize-jsonl.js";
import { demonstrationsOf, drawOrder, shotPlan } from "../tasks/shot-draws.js";
import type { Example, LoadedTask } from "../tasks/types.js";

/** A few-shot sweep as asked for (`--shots 0,1,4 --shots-separator … --shots-seed …`). */
export interface ShotsOptions {
	values: readonly number[];
	/** Default "\n\n". */
	separator?: string;
	/** Default 1. */
	seed?: number;
}

export const defaultShotSeparator = "\n\n";
export const defaultShotSeed = 1;

/** What one condition scores: examples, the shared block length of each, and the file they are in. */
export interface TaskVariant {
	examples: readonly Example[];
	/** Example index → code points at the start of its prompts that other rows repeat. */
	sharedPrefix?: ReadonlyMap<number, number>;
	/** Asked as questions: example index → the examples demonstrated before it, in order. */
	demonstrations?: ReadonlyMap<number, readonly Example[]>;
	/** The built file, relative to the run directory (absent: the data copy). */
	file?: string;
	shots?: number;
}

/** The questions a condition asks: each example's, after its demonstrations as chat turns. */
export function askedQuestions(variant: TaskVariant, options: QuestionOptions): Question[] {
	return variant.examples.map((example) =>
		withDemonstrations(
			buildQuestion(example, options),
			(variant.demonstrations?.get(example.index) ?? []).map((demo) => buildQuestion(demo, options)),
		),
	);
}

/** Numbers of demonstrations typed as text that are not whole numbers from 0 up. */
export class ShotsError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = "ShotsError";
	}
}

/**
 * The numbers of demonstrations of a sweep as typed (`0,1,2,4,8`: the CLI's `--shots`, the web
 * app's field): whole numbers from 0 up, separated by commas. Throws ShotsError naming the bad part.
 */
export function parseShotValues(text: string): number[] {
	const parts = text.split(",").map((s) => s.trim());
	const values = parts.map(Number);
	const bad = parts.find((part, i) => !/^\d+$/.test(part) || !Number.isSafeInteger(values[i]));
	if (bad !== undefined)
		throw new ShotsError(
			`${JSON.stringify(bad)} is not a number of demonstrations`,
			"give whole numbers from 0 up, separated by commas, e.g. 0,1,2,4,8",
		);
	return values;
}

/** Why a task of `examples` examples in `file` cannot be swept over `values`, or undefined when it can. */
export function shotsProblem(file: string, examples: number, values: readonly number[]): string | undefined {
	const most = Math.max(0, ...values);
	if (most === 0 || examples > most) return undefined;
	return `${file}: ${most} demonstrations need at least ${most + 1} examples (each row's own place in the block goes to another); the task has ${examples}`;
}

export function shotFile(task: string, shots: number): string {
	return `shots/${task}-${shots}shot.jsonl`;
}

/**
 * Builds and writes every k's task into `dir`; returns them by k with the record for run.json.
 * With `asked` (a run by generation) each k keeps the task's examples, shows the drawn
 * demonstrations as chat turns, and its file holds the questions (`{index, messages}` per row).
 */
export function buildShotVariants(
	task: LoadedTask,
	dir: string,
	options: ShotsOptions,
	asked?: QuestionOptions,
): { variants: Map<number, TaskVariant>; record: ShotsRecord } {
	const values = [...new Set(options.values)].sort((a, b) => a - b);
	const separator = options.separator ?? defaultShotSeparator;
	const seed = options.seed ?? defaultShotSeed;
	const order = drawOrder(task.examples.length, seed);
	const indexOf = (position: number) => task.examples[position].index;
	const variants = new Map<number, TaskVariant>();
	const record: ShotsRecord = {
		values,
		seed,
		separator,
		...(asked ? { format: "questions" as const } : {}),
		draws: [],
	};
	mkdirSync(join(dir, "shots"), { recursive: true });
	for (const k of values) {
		const plan = shotPlan(order, k);
		const file = shotFile(task.name, k);
		if (asked) {
			const demonstrations = new Map(
				task.examples.map((e, row) => [e.index, demonstrationsOf(plan, row).map((p) => task.examples[p])]),
			);
			const variant: TaskVariant = { examples: task.examples, demonstrations, file, shots: k };
			const lines = askedQuestions(variant, asked).map((q) =>
				JSON.stringify({ index: q.index, messages: q.messages }),
			);
			writeFileSync(join(dir, file), lines.map((l) => `${l}\n`).join(""));
			variants.set(k, variant);
		} else {
			const built = buildShotTask(task.examples, plan, separator);
			writeFileSync(join(dir, file), prizeJsonl(built.examples));
			variants.set(k, { examples: built.examples, sharedPrefix: built.sharedPrefix, file, shots: k });
		}
		record.draws.push({
			shots: k,
			file,
			demonstrations: plan.block.map(indexOf),
			replacements: [...plan.replaced].map(([row, [position, by]]) => ({
				example: indexOf(row),
				position,
				by: indexOf(by),
			})),
		});
	}
	return { variants, record };
}
