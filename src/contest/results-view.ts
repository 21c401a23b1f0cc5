/**
 * @module What each role sees of a scored version. Public-ladder results: the same view as the
 * workbench, without server paths or error texts. Private-ladder results: the models renamed
 * `private-1…n` (smallest first) and stripped of family, identity, source and errors *before* the
 * analysis, so no chart, verdict sentence or flag can carry a private name or endpoint.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { RunInput } from "../analysis/types.js";
import { loadRun } from "../report/index.js";
import { runFiles } from "../run/manifest.js";
import { type RunResult, resultOf } from "../server/run-results.js";

export type ResultMode = "public" | "private";

/** A result without the rubric's list of model identities (the judges' rubric is their own). */
export type ContestResult = Omit<RunResult, "rubric" | "files"> & {
	rubric: Omit<RunResult["rubric"], "reproducibility"> & {
		reproducibility: { sha256?: string; words: string };
	};
};

const cache = new Map<string, { stamp: number; result: ContestResult }>();

function sanitise(input: RunInput, mode: ResultMode): RunInput {
	const { file: _file, ...task } = input.task;
	return {
		...input,
		task,
		models: input.models.map((m, i) => ({
			...m,
			// The ladder entry's name and settings (a revision) would name the model too.
			...(mode === "private"
				? { name: `private-${i + 1}`, family: "private", model: undefined, settings: undefined }
				: {}),
			identity: undefined,
			source: undefined,
			error: m.error === undefined ? undefined : "the model could not score this task",
		})),
	};
}

/** The view of a task's run directory in `mode`; cached until run.json changes. */
export function contestResult(dir: string, mode: ResultMode): ContestResult {
	const stamp = statSync(join(dir, runFiles.manifest)).mtimeMs;
	const key = `${mode}:${dir}`;
	const hit = cache.get(key);
	if (hit && hit.stamp === stamp) return hit.result;
	const loaded = loadRun(dir);
	// The engine orders models smallest first, so private-1 is the smallest.
	const full = resultOf(sanitise(loaded.input, mode), false);
	const { files: _files, rubric, ...rest } = full;
	const result: ContestResult = {
		...rest,
		rubric: {
			strength: rubric.strength,
			generality: rubric.generality,
			coverage: rubric.coverage,
			size: rubric.size,
			reproducibility: {
				...(rubric.reproducibility.sha256 ? { sha256: rubric.reproducibility.sha256 } : {}),
				words: rubric.reproducibility.words,
			},
		},
	};
	cache.set(key, { stamp, result });
	return result;
}

/** Only the verdict of each metric: what entrants may see of the private ladder when it is published. */
export function verdictOnly(
	result: ContestResult,
): { metric: string; label: string; verdict: { kind: string; label: string } }[] {
	return result.metrics.map((m) => ({
		metric: m.metric,
		label: m.label,
		verdict: { kind: m.verdict.kind, label: m.verdict.label },
	}));
}
