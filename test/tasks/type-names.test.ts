/** @module Task type names: aliases, old names and the metric the prize plots for each. */
import { describe, expect, it } from "vitest";
import { canonicalType, isTaskTypeName, plottedMetric, taskTypeNames } from "../../src/tasks/index.js";

describe("task type names", () => {
	it("maps every spelling to its computation and plotted column (the prize's table)", () => {
		const table = taskTypeNames.map((name) => [name, canonicalType(name), plottedMetric(name)]);
		expect(table).toEqual([
			["classification", "classification", "loss"],
			["sequence_prob", "sequence_prob", "loss"],
			["logodds", "logodds", "logodds_difference"],
			["absolute_logodds", "absolute_logodds", "logodds_difference"],
			["exact_answer", "exact_answer", "correct"],
			["classification_loss", "classification", "loss"],
			["classification_acc", "classification", "correct"],
			["single_word", "sequence_prob", "loss"],
		]);
	});

	it("recognises only those names", () => {
		expect(isTaskTypeName("single_word")).toBe(true);
		expect(isTaskTypeName("Classification")).toBe(false);
	});
});
