/**
 * @module The conditions of a run: every ladder model under every setting the run sweeps (the
 * number of shots, the reasoning budget), grouped by model so the engine opens each model once
 * for all of them.
 */
import { revisionOf } from "../ladders/checkpoints.js";
import type { LadderModel } from "../ladders/types.js";
import { type ConditionSettings, conditionName } from "../run/conditions.js";

export interface Condition {
	/** Unique within the run: names `<name>.csv` and `details/<name>.jsonl`. */
	name: string;
	model: LadderModel;
	settings: ConditionSettings;
}

/** What a run sweeps besides the ladder. */
export interface Sweep {
	/** Numbers of demonstrations; absent: the task as written (and no suffix on the names). */
	shots?: readonly number[];
	/** Reasoning budgets (tokens, or effort levels with their ordinal): the run generates. Empty: plain requests. */
	budgets?: ReadonlyArray<
		Required<Pick<ConditionSettings, "budget">> & Pick<ConditionSettings, "budgetLabel">
	>;
}

/** Conditions in scoring order: the models in the order given, each model's settings ascending. */
export function conditionsOf(models: readonly LadderModel[], sweep: Sweep = {}): Condition[] {
	const shots = sweep.shots === undefined ? [undefined] : [...new Set(sweep.shots)].sort((a, b) => a - b);
	// No budgets (or none listed: plain chat requests) is no budget coordinate and no suffix.
	const budgetSweep = sweep.budgets !== undefined && sweep.budgets.length > 0;
	const budgets = budgetSweep ? [...sweep.budgets!].sort((a, b) => a.budget - b.budget) : [undefined];
	const swept = { shots: sweep.shots !== undefined, budget: budgetSweep };
	const out: Condition[] = [];
	for (const model of models) {
		const revision = revisionOf(model);
		for (const k of shots) {
			for (const b of budgets) {
				const settings: ConditionSettings = {
					...(revision !== undefined ? { revision } : {}),
					...(k !== undefined ? { shots: k } : {}),
					...(b !== undefined ? { budget: b.budget } : {}),
					...(b?.budgetLabel !== undefined ? { budgetLabel: b.budgetLabel } : {}),
				};
				out.push({ name: conditionName(model.name, settings, swept), model, settings });
			}
		}
	}
	return out;
}

/** The conditions grouped by their model, in order: each group is scored on one opened backend. */
export function byModel(
	conditions: readonly Condition[],
): Array<{ model: LadderModel; conditions: Condition[] }> {
	const groups: Array<{ model: LadderModel; conditions: Condition[] }> = [];
	for (const condition of conditions) {
		const last = groups.at(-1);
		if (last && last.model === condition.model) last.conditions.push(condition);
		else groups.push({ model: condition.model, conditions: [condition] });
	}
	return groups;
}
