/**
 * @module What a run sweeps besides its ladder — numbers of demonstrations and reasoning budgets —
 * as the web app's form sends them, read and checked by the rules `invscale eval` applies
 * (`--shots`, `--budgets`), with the same words, before anything starts.
 */
import { z } from "zod";
import { conditionsOf } from "../engine/conditions.js";
import { parseShotValues, ShotsError, type ShotsOptions, shotsProblem } from "../engine/shot-variants.js";
import { BudgetError, parseBudgets } from "../generation/budget.js";
import { canAsk, QuestionError } from "../generation/question.js";
import type { GenerationOptions } from "../generation/types.js";
import type { LadderModel } from "../ladders/types.js";
import type { ConditionSettings } from "../run/conditions.js";
import type { TaskType } from "../tasks/types.js";
import { ApiError } from "./api-error.js";

/** The form's fields: shots typed as `0,1,4` (or, from scripts, `{ values, separator, seed }`), budgets as `0,16,64`. */
export const sweepFields = {
	/** Evaluate by generation at these reasoning budgets (`0,16,64` or `low,medium,high`). */
	budgets: z.string().max(200).optional(),
	/** A few-shot sweep, as `invscale eval --shots`. */
	shots: z
		.union([
			z.string().max(200),
			z.object({
				values: z.array(z.number().int().min(0).max(64)).min(1).max(16),
				separator: z.string().max(200).optional(),
				seed: z.number().int().min(0).optional(),
			}),
		])
		.optional(),
};

export interface SweepInput {
	budgets?: string;
	shots?: string | ShotsOptions;
}

/** The run's sweep: its few-shot values and its generation options (absent: not swept). */
export interface RunSweep {
	shots?: ShotsOptions;
	generation?: GenerationOptions;
}

/** The task a sweep is checked against (from the upload's validation). */
export interface SweepTask {
	file: string;
	type: TaskType;
	examples: number;
}

const blank = (text: string | undefined) => text === undefined || text.trim() === "";

/** Reads and checks the sweep for `task`; an ApiError (400) says what is wrong and how to fix it. */
export function runSweep(input: SweepInput, task: SweepTask): RunSweep {
	const sweep: RunSweep = {};
	if (typeof input.shots === "string" ? !blank(input.shots) : input.shots !== undefined) {
		let shots: ShotsOptions;
		try {
			shots = typeof input.shots === "string" ? { values: parseShotValues(input.shots) } : input.shots!;
		} catch (error) {
			if (error instanceof ShotsError) throw new ApiError(400, `shots: ${error.message}`, error.hint);
			throw error;
		}
		const problem = shotsProblem(task.file, task.examples, shots.values);
		if (problem) throw new ApiError(400, problem, "ask for fewer shots, or add examples to the task");
		sweep.shots = shots;
	}
	if (!blank(input.budgets)) {
		try {
			sweep.generation = { budgets: parseBudgets(input.budgets!) };
		} catch (error) {
			if (error instanceof BudgetError)
				throw new ApiError(400, error.message.replace(/^--budgets/, "budgets"), error.hint);
			throw error;
		}
		if (!canAsk(task.type)) {
			const refusal = new QuestionError(task.type);
			throw new ApiError(
				400,
				`${task.file}: ${refusal.message}`,
				refusal.hint.replace("drop --budgets/--samples", "leave the budgets empty"),
			);
		}
	} else if (task.type === "exact_answer") {
		throw new ApiError(
			400,
			`${task.file}: an exact_answer task is evaluated by generation: its answers are written, not scored`,
			"give reasoning budgets, e.g. 0 (answer without reasoning) or 0,1024,4096",
		);
	}
	return sweep;
}

/** The settings each model is evaluated under, in scoring order (the engine's own crossing). */
export function sweepSettings(sweep: RunSweep): ConditionSettings[] {
	const any: LadderModel = { name: "model", family: "model", source: { kind: "file", path: "" } };
	return conditionsOf([any], { shots: sweep.shots?.values, budgets: sweep.generation?.budgets }).map(
		(c) => c.settings,
	);
}
