/**
 * @module Reads Michaelov & Bergen's (2023) `all_results.tsv` (ModelName, ModelRevision, Task,
 * Accuracy, Accuracy_SE), for `invscale analyze` and for `report --reference` alike: Pythia sizes
 * by name, the step of each `stepN` revision, tokens = step × 2,097,152.
 */
import { pythiaModel } from "../analysis/prize-sizes.js";
import { normalModelName, stepOfRevision } from "../analysis/reference.js";
import { PYTHIA_TOKENS_PER_STEP } from "../run/conditions.js";
import { RunDirError } from "./load-run.js";

/** The table's header as published. */
export const michaelovBergenHeader = [
	"ModelName",
	"ModelRevision",
	"Task",
	"Accuracy",
	"Accuracy_SE",
] as const;

/** Whether a header (any case) is Michaelov & Bergen's: Accuracy_SE may be missing. */
export function isMichaelovBergen(header: readonly string[]): boolean {
	const lower = header.map((h) => h.trim().toLowerCase());
	return michaelovBergenHeader.slice(0, 4).every((h) => lower.includes(h.toLowerCase()));
}

/** One row: a Pythia checkpoint's accuracy on a task. */
export interface MichaelovBergenRow {
	/** The name without its organisation, lower case (`pythia-410m`). */
	model: string;
	revision: string;
	step: number;
	parameters: number;
	nonEmbeddingParameters?: number;
	trainingTokens: number;
	/** The task as the table names it (`isp_memo_trap`). */
	task: string;
	accuracy: number;
	se?: number;
}

/**
 * The rows of the table, from records keyed by the header in lower case; `name` (path or URL) is
 * what messages call the table, with the row as a spreadsheet shows it and the column.
 */
export function readMichaelovBergen(
	records: readonly Record<string, string>[],
	name: string,
): MichaelovBergenRow[] {
	return records.map((raw, i) => {
		const r = Object.fromEntries(
			Object.entries(raw).map(([k, v]) => [k.trim().toLowerCase(), (v ?? "").trim()]),
		);
		const where = (column: string) => `${name}: row ${i + 2}, column "${column}"`;
		const number = (column: string, required: boolean): number | undefined => {
			const cell = r[column] ?? "";
			if (cell === "") {
				if (required)
					throw new RunDirError(`${where(column)}: empty`, "Fill in the value or remove the row.");
				return undefined;
			}
			const value = Number(cell);
			if (!Number.isFinite(value))
				throw new RunDirError(
					`${where(column)}: "${cell}" is not a number`,
					"Write a plain number such as 0.693; the table should be results/all_results.tsv of jmichaelov/emergent-inabilities, unchanged.",
				);
			return value;
		};
		const modelName = r.modelname ?? "";
		if (modelName === "")
			throw new RunDirError(`${where("modelname")}: empty`, "Give each row a model name.");
		const known = pythiaModel(modelName);
		if (!known)
			throw new RunDirError(
				`${where("modelname")}: "${modelName}" is not a Pythia model whose size invscale knows`,
				"Michaelov & Bergen's table lists Pythia models (EleutherAI/pythia-70m … pythia-12b); for other models write a table with a parameters column.",
			);
		const revision = r.modelrevision ?? "";
		const step = stepOfRevision(revision);
		if (step === undefined)
			throw new RunDirError(
				`${where("modelrevision")}: "${revision}" is not a checkpoint revision such as step64000`,
				"Write the Pythia checkpoint as stepN.",
			);
		const task = r.task ?? "";
		if (task === "") throw new RunDirError(`${where("task")}: empty`, "Give each row its task.");
		const accuracy = number("accuracy", true)!;
		const se = number("accuracy_se", false);
		return {
			model: normalModelName(modelName),
			revision,
			step,
			parameters: known.parameters,
			...(known.nonEmbeddingParameters !== undefined && {
				nonEmbeddingParameters: known.nonEmbeddingParameters,
			}),
			// Every Pythia step is 1024 sequences of 2048 tokens.
			trainingTokens: step * PYTHIA_TOKENS_PER_STEP,
			task,
			accuracy,
			...(se !== undefined && { se }),
		};
	});
}
