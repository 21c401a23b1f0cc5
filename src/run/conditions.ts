/**
 * @module Conditions: what a run scores a task under — one model plus the settings that change
 * what is scored (checkpoint revision, shots, reasoning budget) — and the coordinates that place
 * each condition on a scaling axis. A size ladder is the special case "one family, one coordinate
 * varying"; every other axis is one more coordinate, never another kind of run.
 */

/** Every coordinate a condition can carry. */
export const AXES = [
	"parameters",
	"nonEmbeddingParameters",
	"trainingTokens",
	"step",
	"compute",
	"shots",
	"budget",
] as const;
export type Axis = (typeof AXES)[number];

/** Where a condition sits on each axis it is known on. */
export type Coordinates = Partial<Record<Axis, number>>;

/** The names users type (`--x tokens`), mapped to the coordinate they select. */
export const AXIS_FLAGS = {
	params: "parameters",
	nonembedding: "nonEmbeddingParameters",
	tokens: "trainingTokens",
	step: "step",
	flops: "compute",
	shots: "shots",
	budget: "budget",
} as const satisfies Record<string, Axis>;
export type AxisFlag = keyof typeof AXIS_FLAGS;

/** Settings of a condition that change the text or the request, so they are part of its identity. */
export interface ConditionSettings {
	/** Checkpoint of the model (hub revision, server `--revision`), when not the default. */
	revision?: string;
	/** Demonstrations put before each prompt (few-shot sweeps). */
	shots?: number;
	/** Reasoning budget in tokens (or the ordinal of a named level, see `budgetLabel`). */
	budget?: number;
	/** A named reasoning level (`low`, `medium`, `high`) whose ordinal is `budget`. */
	budgetLabel?: string;
}

/** Tokens per Pythia training step: 1024 sequences of 2048 tokens. */
export const PYTHIA_TOKENS_PER_STEP = 2_097_152;

/** Training compute as the usual estimate 6·N·D, when both are known. */
export function computeEstimate(parameters?: number, trainingTokens?: number): number | undefined {
	if (parameters === undefined || trainingTokens === undefined) return undefined;
	if (!(parameters > 0) || !(trainingTokens > 0)) return undefined;
	return 6 * parameters * trainingTokens;
}

/** The known coordinates of a model entry and its settings, with training compute derived. */
export function coordinatesOf(
	model: {
		parameters?: number;
		nonEmbeddingParameters?: number;
		trainingTokens?: number;
		step?: number;
	},
	settings: ConditionSettings = {},
): Coordinates {
	const coords: Coordinates = {};
	if (model.parameters !== undefined) coords.parameters = model.parameters;
	if (model.nonEmbeddingParameters !== undefined)
		coords.nonEmbeddingParameters = model.nonEmbeddingParameters;
	if (model.trainingTokens !== undefined) coords.trainingTokens = model.trainingTokens;
	if (model.step !== undefined) coords.step = model.step;
	const compute = computeEstimate(model.parameters, model.trainingTokens);
	if (compute !== undefined) coords.compute = compute;
	if (settings.shots !== undefined) coords.shots = settings.shots;
	if (settings.budget !== undefined) coords.budget = settings.budget;
	return coords;
}

/**
 * The file-safe name of a condition: the model's name, plus a suffix for each setting the run
 * sweeps (`pythia-70m-4shot`, `qwen3-8b-budget1024`). Settings a run does not sweep add nothing,
 * so a plain size ladder keeps its model names.
 */
export function conditionName(
	model: string,
	settings: ConditionSettings,
	swept: { shots?: boolean; budget?: boolean },
): string {
	let name = model;
	if (swept.shots && settings.shots !== undefined) name += `-${settings.shots}shot`;
	if (swept.budget && settings.budget !== undefined)
		name += `-budget${settings.budgetLabel ?? settings.budget}`;
	return name;
}
