/** @module Synthetic ladders for analysis tests: per-example numbers with a chosen mean per model. */

import type { ModelInput, RunInput } from "../../src/analysis/types.js";
import type { PlottedMetric, TaskType, TaskTypeName } from "../../src/tasks/types.js";
import { createPrng } from "../../src/util/prng.js";

export interface SyntheticModel {
	/** The condition's name (unique; file names). */
	name: string;
	/** The ladder entry it runs, when several conditions share one model. */
	model?: string;
	family?: string;
	parameters?: number;
	trainingTokens?: number;
	/** Training step of the checkpoint (revision `step<N>`). */
	step?: number;
	shots?: number;
	/** Mean loss (or log-odds difference) of the model. */
	mean: number;
	status?: ModelInput["status"];
}

export interface SyntheticOptions {
	examples: number;
	/** SD of an example's difficulty, shared by all models (what pairing cancels). */
	sharedSd?: number;
	/** SD of each model's own per-example noise. */
	noiseSd?: number;
	seed?: number;
	type?: TaskType;
	typeName?: TaskTypeName;
	/** Probability mass on the classes (classification coverage). Default 0.9. */
	coverage?: number;
}

/** Per-example loss = mean + shared difficulty + own noise, shifted so each model's sample mean is exact. */
export function syntheticColumns(
	models: SyntheticModel[],
	o: SyntheticOptions,
): Map<string, { loss: number[]; correct: number[]; predicted: string[]; total: number[] }> {
	const rng = createPrng(o.seed ?? 1);
	const shared = Array.from({ length: o.examples }, () => (o.sharedSd ?? 0.3) * rng.nextNormal());
	const out = new Map<string, { loss: number[]; correct: number[]; predicted: string[]; total: number[] }>();
	for (const m of models) {
		const raw = shared.map((s) => s + (o.noiseSd ?? 0.05) * rng.nextNormal());
		const rawMean = raw.reduce((a, b) => a + b, 0) / raw.length;
		const loss = raw.map((v) => v - rawMean + m.mean);
		const correct = loss.map((l) => (l < Math.LN2 ? 1 : 0));
		out.set(m.name, {
			loss,
			correct,
			predicted: correct.map((c) => (c ? " Yes" : " No")),
			total: loss.map(() => Math.log(o.coverage ?? 0.9)),
		});
	}
	return out;
}

/** An in-memory RunInput for `analyzeRun`. */
export function syntheticRun(
	models: SyntheticModel[],
	o: SyntheticOptions & { plotted?: PlottedMetric },
): RunInput {
	const cols = syntheticColumns(models, o);
	const type = o.type ?? "classification";
	const index = Array.from({ length: o.examples }, (_, i) => i);
	return {
		task: {
			name: "synthetic",
			type,
			typeName: o.typeName ?? type,
			examples: o.examples,
			sha256: "ab".repeat(32),
		},
		plotted: o.plotted ?? (type === "logodds" || type === "absolute_logodds" ? "logodds_difference" : "loss"),
		classCounts: type === "classification" ? new Map(index.map((i) => [i, 2])) : undefined,
		models: models.map((m) => {
			const c = cols.get(m.name)!;
			const failed = m.status === "failed";
			return {
				name: m.name,
				family: m.family ?? "synthetic",
				parameters: m.parameters,
				trainingTokens: m.trainingTokens,
				status: m.status ?? "ok",
				identity: `sha256:${m.name}`,
				columns: failed
					? null
					: type === "logodds" || type === "absolute_logodds"
						? { index, logodds_difference: c.loss, correct: c.correct, total_logprob: c.total }
						: type === "sequence_prob"
							? { index, loss: c.loss }
							: { index, loss: c.loss, correct: c.correct, predicted: c.predicted, total_logprob: c.total },
			};
		}),
	};
}

/** A ladder of models at 10^8, 10^8.5, … parameters with the given means. */
export function ladder(means: number[], family = "synthetic", start = 8): SyntheticModel[] {
	return means.map((mean, i) => ({
		name: `${family}-${i}`,
		family,
		parameters: 10 ** (start + i / 2),
		mean,
	}));
}
