/**
 * @module Scores one planned example on a backend and assembles the prize's row for it, plus the
 * raw numbers behind the row (details), from which every metric can be recomputed.
 */
import type { Backend } from "../backends/types.js";
import type { ExampleDetails } from "../run/manifest.js";
import type { Example, TaskType } from "../tasks/types.js";
import { classificationMetrics, logoddsMetrics, sequenceProbMetrics, sum } from "./metrics.js";
import type { ExamplePlan } from "./plan.js";

/** The prize's per-example columns, in order, for each task type. */
export const prizeColumns: Record<TaskType, readonly string[]> = {
	classification: ["index", "loss", "correct", "predicted", "total_logprob"],
	sequence_prob: ["index", "loss"],
	logodds: ["index", "logodds_difference", "correct", "total_logprob"],
	absolute_logodds: ["index", "logodds_difference", "correct", "total_logprob"],
	exact_answer: ["index", "correct"],
};

export type PrizeRow = Record<string, number | string>;

export interface ScoredExample {
	row: PrizeRow;
	details: ExampleDetails;
}

/** Runs an example's requests on the backend and returns the raw numbers (ExampleDetails). */
export async function scoreExample(
	backend: Backend,
	plan: ExamplePlan,
	signal?: AbortSignal,
): Promise<ExampleDetails> {
	if (plan.kind === "next-token") {
		const results = await backend.nextTokenLogprobs(plan.requests, signal);
		return {
			index: plan.index,
			logprobs: plan.slots.map(([r, i]) => results[r][i]),
			tokens: plan.slots.map(() => 1),
			...(plan.truncated ? { truncated: true } : {}),
		};
	}
	const results = await backend.scoreContinuations(plan.requests, signal);
	const perItem = plan.slots.map(([r, i]) => results[r].logprobs[i]);
	for (const [k, values] of perItem.entries()) {
		if (values.length !== plan.requests[plan.slots[k][0]].continuations[plan.slots[k][1]].ids.length) {
			throw new Error(`backend returned ${values.length} log-probs for a continuation of a different length`);
		}
		if (values.some((v) => !Number.isFinite(v) && v !== Number.NEGATIVE_INFINITY)) {
			throw new Error(`backend returned a non-numeric log-prob for example ${plan.index}`);
		}
	}
	return {
		index: plan.index,
		logprobs: perItem.map(sum),
		tokens: perItem.map((values) => values.length),
		...(plan.truncated ? { truncated: true } : {}),
	};
}

/** The prize row for an example from its raw numbers (pure: reused to recompute and check results). */
export function prizeRow(type: TaskType, example: Example, details: ExampleDetails): PrizeRow {
	const lp = details.logprobs;
	switch (example.kind) {
		case "classification":
			return { index: example.index, ...classificationMetrics(lp, example.classes, example.answerIndex) };
		case "sequence_prob":
			return { index: example.index, ...sequenceProbMetrics([lp[0]]) };
		case "logodds":
			return {
				index: example.index,
				...logoddsMetrics([lp[0], lp[1]], [lp[2], lp[3]], example.answerIndex, type === "absolute_logodds"),
			};
		case "exact_answer":
			throw new Error("an exact_answer row comes from generation, not from log-probs");
	}
}
