/**
 * @module Reads a reference table of published results: the long format (model, family,
 * parameters, training_tokens, task, metric, mean, se, n, source; comma- or tab-separated) or
 * Michaelov & Bergen's Pythia table (read by `michaelov-bergen.ts`). Errors name the table, the
 * row and the fix.
 */
import type { ReferencePoint } from "../analysis/reference.js";
import { stepOfRevision } from "../analysis/reference.js";
import { prizeTaskName } from "../tasks/prize-catalog.js";
import type { PlottedMetric } from "../tasks/types.js";
import { parseDelimited } from "./delimited.js";
import { RunDirError } from "./load-run.js";
import { isMichaelovBergen, readMichaelovBergen } from "./michaelov-bergen.js";
import { parseSize } from "./read-table.js";

/** The columns of the long format, in the documented order; step and revision are optional extras. */
export const referenceColumns = [
	"model",
	"family",
	"parameters",
	"training_tokens",
	"task",
	"metric",
	"mean",
	"se",
	"n",
	"source",
] as const;

const metricNames: Record<string, PlottedMetric> = {
	accuracy: "correct",
	acc: "correct",
	correct: "correct",
	loss: "loss",
	logodds_difference: "logodds_difference",
	logodds: "logodds_difference",
};

/** Parses a reference table's text; `name` (path or URL) is what messages call it. */
export function parseReferenceTable(text: string, name: string, source?: string): ReferencePoint[] {
	const { header, records } = parseDelimited(
		text,
		name,
		`Save it as comma- or tab-separated values with the header ${referenceColumns.join(",")}.`,
	);
	if (isMichaelovBergen(header)) return michaelovBergen(records, name, source ?? "Michaelov & Bergen (2023)");
	return longFormat(records, header, name, source);
}

function longFormat(
	records: Record<string, string>[],
	rawHeader: string[],
	name: string,
	source: string | undefined,
): ReferencePoint[] {
	const header = rawHeader.map((h) => h.trim().toLowerCase());
	// Records are keyed by the lower-case header (parseDelimited).
	for (const required of ["model", "task", "metric", "mean"])
		if (!header.includes(required))
			throw new RunDirError(
				`${name}: no "${required}" column (header: ${rawHeader.join(",")})`,
				`A reference table has the columns ${referenceColumns.join(",")} (model, task, metric and mean required), one row per published number.`,
			);
	return records.map((r, i) => {
		const row = `${name}: row ${i + 2}`;
		const number = (column: string, parser: (cell: string) => number = Number): number | undefined => {
			const cell = (r[column] ?? "").trim();
			if (cell === "") return undefined;
			const value = parser(cell);
			if (!Number.isFinite(value))
				throw new RunDirError(
					`${row}, column "${column}": "${cell}" is not a number`,
					column === "parameters" || column === "training_tokens"
						? "Write a count such as 410000000, 4.1e8 or 410M, or leave the cell empty."
						: "Write a plain number such as 0.833, or leave the cell empty.",
				);
			return value;
		};
		const metric = metricNames[(r.metric ?? "").trim().toLowerCase()];
		if (!metric)
			throw new RunDirError(
				`${row}, column "metric": "${r.metric}" is not a metric invscale reports`,
				"Use accuracy, loss or logodds_difference.",
			);
		const model = (r.model ?? "").trim();
		const task = (r.task ?? "").trim();
		if (!model || !task)
			throw new RunDirError(
				`${row}: the model and task cells must not be empty`,
				"Fill them in or delete the row.",
			);
		const mean = number("mean");
		if (mean === undefined)
			throw new RunDirError(`${row}, column "mean": empty`, "Every row needs the published mean.");
		const revision = (r.revision ?? "").trim() || undefined;
		const step = number("step") ?? stepOfRevision(revision);
		const point: ReferencePoint = {
			model,
			task: prizeTaskName(task),
			metric,
			mean,
			source: (r.source ?? "").trim() || source || name,
		};
		const family = (r.family ?? "").trim();
		if (family) point.family = family;
		const optional = {
			parameters: number("parameters", parseSize),
			nonEmbeddingParameters: number("non_embedding_parameters", parseSize),
			trainingTokens: number("training_tokens", parseSize),
			se: number("se"),
			n: number("n"),
			step,
		};
		for (const [key, value] of Object.entries(optional))
			if (value !== undefined) (point as unknown as Record<string, number>)[key] = value;
		if (revision) point.revision = revision;
		return point;
	});
}

/** Michaelov & Bergen's table as points: accuracy ± SE of Pythia checkpoints, tasks by catalog name. */
function michaelovBergen(records: Record<string, string>[], name: string, source: string): ReferencePoint[] {
	return readMichaelovBergen(records, name).map((r) => ({
		model: r.model,
		family: "pythia",
		parameters: r.parameters,
		...(r.nonEmbeddingParameters !== undefined && { nonEmbeddingParameters: r.nonEmbeddingParameters }),
		step: r.step,
		trainingTokens: r.trainingTokens,
		revision: r.revision,
		task: prizeTaskName(r.task),
		metric: "correct",
		mean: r.accuracy,
		...(r.se !== undefined && { se: r.se }),
		source,
	}));
}
