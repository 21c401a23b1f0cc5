/**
 * @module What each role sees of a scored version. Public-ladder results: the same view as the
 * workbench, without server paths or error texts. Private-ladder results: the models renamed
 * `private-1…n` (smallest first) and stripped of family, identity, source and errors *before* the
 * analysis, so no chart, verdict sentence or flag can carry a private name or endpoint. For
 * judges the task is its blind label, and unless the contest shows them, the private sizes are
 * replaced by ranks after the analysis (size-ranks.ts).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { analyzeRun } from "../analysis/run.js";
import type { RunInput } from "../analysis/types.js";
import { loadRun } from "../report/index.js";
import { runFiles } from "../run/manifest.js";
import { type RunResult, resultOfAnalysis } from "../server/run-results.js";
import { rankSizes } from "./size-ranks.js";

export type ResultMode = "public" | "private";

/** Who the result is for: which ladder's naming, the task's name, and whether sizes may be shown. */
export interface ResultAudience {
	mode: ResultMode;
	/** The name the task goes by for this person: its blind label for judges. */
	taskName?: string;
	/** Ranks 1…n (smallest first) on an ordinal axis in place of the models' sizes. */
	sizeRanks?: boolean;
}

/** A result without the rubric's list of model identities (the judges' rubric is their own). */
export type ContestResult = Omit<RunResult, "rubric" | "files"> & {
	rubric: Omit<RunResult["rubric"], "reproducibility"> & {
		reproducibility: { sha256?: string; words: string };
	};
	/** `ranks`: the models' x values are their ranks by size, the sizes are not shown. */
	sizes: "shown" | "ranks";
};

const cache = new Map<string, { stamp: number; result: ContestResult }>();

function sanitise(input: RunInput, audience: ResultAudience): RunInput {
	const { file: _file, ...task } = input.task;
	return {
		...input,
		// The file's name can name its author: a judge knows the task by its blind label only.
		task: audience.taskName === undefined ? task : { ...task, name: audience.taskName },
		// Example texts are not shown here, and their copy's file name would name the task.
		examples: undefined,
		models: input.models.map((m, i) => ({
			...m,
			// The ladder entry's name and settings (a revision) would name the model too.
			...(audience.mode === "private"
				? { name: `private-${i + 1}`, family: "private", model: undefined, settings: undefined }
				: {}),
			identity: undefined,
			source: undefined,
			error: m.error === undefined ? undefined : "the model could not score this task",
		})),
	};
}

/** The view of a task's run directory for `audience`; cached until run.json changes. */
export function contestResult(dir: string, audience: ResultAudience): ContestResult {
	const stamp = statSync(join(dir, runFiles.manifest)).mtimeMs;
	const key = JSON.stringify([audience.mode, audience.taskName ?? null, audience.sizeRanks === true, dir]);
	const hit = cache.get(key);
	if (hit && hit.stamp === stamp) return hit.result;
	const loaded = loadRun(dir);
	// The engine orders models smallest first, so private-1 is the smallest. The analysis runs on
	// the real sizes; only then, for those who may not see them, are the sizes replaced by ranks.
	const analysis = analyzeRun(sanitise(loaded.input, audience));
	const ranks = audience.sizeRanks === true;
	const full = resultOfAnalysis(ranks ? rankSizes(analysis) : analysis, false, { sizeRanks: ranks });
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
		sizes: ranks ? "ranks" : "shown",
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
