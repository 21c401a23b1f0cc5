/**
 * @module A constructed size × checkpoint run (4 Pythia sizes × 4 steps, version 2 run.json) whose
 * loss falls with training for the two smaller sizes and rises for the two larger ones.
 */
import { makeRunDir } from "./make-run-dir.js";
import type { SyntheticModel } from "./synthetic-ladder.js";

export const GRID_SIZES: [string, number][] = [
	["pythia-70m", 70_426_624],
	["pythia-160m", 162_322_944],
	["pythia-410m", 405_334_016],
	["pythia-1b", 1_011_781_632],
];
export const GRID_STEPS = [2000, 8000, 32000, 143000];
const tokensPerStep = 2_097_152;

/** Mean loss of size i at step j: −0.05 per step index, +0.1·i/3 per step index. */
export function gridMean(i: number, j: number): number {
	return 1 + (0.1 * i * j) / 3 - 0.05 * j;
}

export function gridModels(): SyntheticModel[] {
	return GRID_SIZES.flatMap(([model, parameters], i) =>
		GRID_STEPS.map((step, j) => ({
			name: `${model}-step${step}`,
			model,
			family: "pythia",
			parameters,
			step,
			trainingTokens: step * tokensPerStep,
			mean: gridMean(i, j),
		})),
	);
}

export function makeGridRun(dir: string, task = "grid-task", seed = 1): string {
	return makeRunDir(dir, gridModels(), { examples: 300, task, noiseSd: 0.02, seed });
}
