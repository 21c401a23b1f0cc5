/** @module summary.json: per condition, the mean and standard error of each column, baselines and coverage. */
import { meanSe } from "../analysis/descriptive.js";
import { type ModelSummary, type RunModel, type RunSummary, SUMMARY_SCHEMA } from "../run/manifest.js";
import { plottedMetric } from "../tasks/index.js";
import type { Example, TaskType, TaskTypeName } from "../tasks/types.js";
import type { PrizeRow } from "./assemble.js";

function column(rows: readonly PrizeRow[], name: string): number[] {
	return rows.map((row) => Number(row[name]));
}

/** Chance baselines of a classification task: mean(ln K) for loss and mean(1/K) for accuracy. */
export function chanceBaselines(
	examples: readonly Example[],
): { loss: number; accuracy: number } | undefined {
	const counts = examples.flatMap((e) => (e.kind === "classification" ? [e.classes.length] : []));
	if (counts.length === 0) return undefined;
	let loss = 0;
	let accuracy = 0;
	for (const k of counts) {
		loss += Math.log(k);
		accuracy += 1 / k;
	}
	return { loss: loss / counts.length, accuracy: accuracy / counts.length };
}

export function modelSummary(
	model: RunModel,
	type: TaskType,
	examples: readonly Example[],
	rows: readonly PrizeRow[],
): ModelSummary {
	const summary: ModelSummary = {
		name: model.name,
		model: model.model,
		family: model.family,
		...(model.settings ? { settings: model.settings } : {}),
		coords: model.coords,
		parameters: model.parameters,
		nonEmbeddingParameters: model.nonEmbeddingParameters,
		trainingTokens: model.trainingTokens,
		...(model.step !== undefined ? { step: model.step } : {}),
		status: model.status,
	};
	if (rows.length === 0) return summary;
	if (type === "classification" || type === "sequence_prob") summary.loss = meanSe(column(rows, "loss"));
	if (type !== "sequence_prob") {
		summary.correct = meanSe(column(rows, "correct"));
		const mass = column(rows, "total_logprob").map(Math.exp);
		summary.coverage = mass.reduce((a, b) => a + b, 0) / mass.length;
	}
	if (type === "logodds" || type === "absolute_logodds") {
		summary.logodds_difference = meanSe(column(rows, "logodds_difference"));
	}
	if (type === "classification") summary.chance = chanceBaselines(examples);
	return summary;
}

export function runSummary(
	task: string,
	type: TaskType,
	typeName: TaskTypeName,
	models: ModelSummary[],
): RunSummary {
	return { schema: SUMMARY_SCHEMA, task, type, typeName, plotted: plottedMetric(typeName), models };
}
