/** @module Task type names: the prize's spellings, their canonical computation and plotted metric. */
import type { PlottedMetric, TaskType, TaskTypeName } from "./types.js";

/** Every accepted spelling, canonical names first. */
export const taskTypeNames: readonly TaskTypeName[] = [
	"classification",
	"sequence_prob",
	"logodds",
	"absolute_logodds",
	"exact_answer",
	"classification_loss",
	"classification_acc",
	"single_word",
];

export function isTaskTypeName(name: string): name is TaskTypeName {
	return (taskTypeNames as readonly string[]).includes(name);
}

/** The computation behind a name: aliases and old names map to one of the four prize types (or exact answers). */
export function canonicalType(name: TaskTypeName): TaskType {
	switch (name) {
		case "classification":
		case "classification_loss":
		case "classification_acc":
			return "classification";
		case "sequence_prob":
		case "single_word":
			return "sequence_prob";
		case "logodds":
		case "absolute_logodds":
		case "exact_answer":
			return name;
	}
}

/** The per-example column the prize plots for a type name. */
export function plottedMetric(name: TaskTypeName): PlottedMetric {
	switch (name) {
		case "classification_acc":
		case "exact_answer":
			return "correct";
		case "logodds":
		case "absolute_logodds":
			return "logodds_difference";
		default:
			return "loss";
	}
}
