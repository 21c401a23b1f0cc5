/**
 * @module Reads inputs of `invscale analyze`: a summary table (model, family, size, mean, se) or
 * a folder written by the prize's pipeline (`<model>.csv` per model). Errors name the file, row,
 * column and the fix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "csv-parse/sync";
import { type KnownModel, knownModel, prizeModels } from "../analysis/prize-sizes.js";
import type { SummaryRow } from "../analysis/table.js";
import type { ModelInput, RunInput } from "../analysis/types.js";
import type { PlottedMetric, TaskType } from "../tasks/types.js";
import { RunDirError, readModelCsv } from "./load-run.js";

const aliases: Record<string, string[]> = {
	model: ["model", "name"],
	family: ["family"],
	parameters: ["parameters", "params", "size", "n_params"],
	nonEmbeddingParameters: ["non_embedding_parameters", "nonembedding", "non_embedding"],
	trainingTokens: ["training_tokens", "tokens", "d"],
	mean: ["mean", "value", "metric"],
	se: ["se", "stderr", "standard_error", "sem"],
	n: ["n", "examples"],
};

/** "124M", "1.5B", "6.7e9", "300000000" → a number; NaN when it is none of these. */
export function parseSize(cell: string): number {
	const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([kmbt])?\s*$/i.exec(cell);
	if (!m) return Number.NaN;
	const scale = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[(m[2] ?? "").toLowerCase() as "k"] ?? 1;
	return Number(m[1]) * scale;
}

/** One row of a table of models: its name, family and sizes, and the metric when the table has one. */
interface TableRow {
	model: string;
	family: string;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	mean?: number;
	se?: number;
	n?: number;
}

/**
 * Reads a CSV table of models; every problem names the file, the row (as a spreadsheet shows it)
 * and the column. `required` lists the columns that must be present and filled.
 */
function readModelTable(file: string, required: ("model" | "mean")[], expected: string): TableRow[] {
	let records: Record<string, string>[];
	try {
		records = parse(readFileSync(file, "utf8"), {
			columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
			skip_empty_lines: true,
			bom: true,
			trim: true,
		});
	} catch (error) {
		throw new RunDirError(
			`${file}: cannot be read as CSV (${(error as Error).message})`,
			"Save the table as comma-separated values with a header row.",
		);
	}
	if (records.length === 0)
		throw new RunDirError(`${file}: no rows`, `Add one row per model under the header ${expected}.`);
	const header = Object.keys(records[0]);
	const col = (key: string) => aliases[key].find((a) => header.includes(a));
	for (const column of required) {
		if (!col(column))
			throw new RunDirError(
				`${file}: no "${column}" column (header: ${header.join(",")})`,
				`Add a "${column}" column; expected header: ${expected}.`,
			);
	}
	if (!col("parameters") && !col("nonEmbeddingParameters")) {
		throw new RunDirError(
			`${file}: no size column (header: ${header.join(",")})`,
			'Add a "parameters" column with sizes such as 124M or 1.5B.',
		);
	}
	return records.map((r, i) => {
		const row = i + 2;
		const cell = (key: string) => {
			const c = col(key);
			return c ? (r[c] ?? "").trim() : "";
		};
		const num = (key: string, size: boolean, isRequired: boolean): number | undefined => {
			const raw = cell(key);
			if (raw === "") {
				if (isRequired)
					throw new RunDirError(
						`${file}: row ${row}, column "${col(key) ?? key}": empty`,
						"Fill in the value or remove the row.",
					);
				return undefined;
			}
			const v = size ? parseSize(raw) : Number(raw);
			if (!Number.isFinite(v))
				throw new RunDirError(
					`${file}: row ${row}, column "${col(key)}": "${raw}" is not a number`,
					size
						? "Write sizes as numbers, optionally with K, M, B or T (124M, 1.5B)."
						: "Write a plain number such as 0.693.",
				);
			return v;
		};
		const model = cell("model");
		if (model === "")
			throw new RunDirError(
				`${file}: row ${row}, column "${col("model")}": empty`,
				"Give each row a model name.",
			);
		return {
			model,
			family: cell("family") || knownModel(model)?.family || "default",
			parameters: num("parameters", true, false),
			nonEmbeddingParameters: num("nonEmbeddingParameters", true, false),
			trainingTokens: num("trainingTokens", true, false),
			mean: num("mean", false, required.includes("mean")),
			se: num("se", false, false),
			n: num("n", false, false),
		};
	});
}

/** Reads a summary table (model, family, sizes, mean, se, n). */
export function readSummaryTable(file: string): SummaryRow[] {
	return readModelTable(file, ["model", "mean"], "model,family,parameters,training_tokens,mean,se").map(
		(r) => ({ ...r, mean: r.mean!, se: r.se ?? null }),
	);
}

/**
 * Reads a sizes file for a prize folder whose models the prize's table does not know:
 * `model,family,parameters[,non_embedding_parameters,training_tokens]`, one row per `<model>.csv`.
 */
export function readSizesTable(file: string): Map<string, KnownModel & { nonEmbeddingParameters?: number }> {
	const sizes = new Map<string, KnownModel & { nonEmbeddingParameters?: number }>();
	for (const r of readModelTable(file, ["model"], "model,family,parameters,training_tokens")) {
		sizes.set(r.model.toLowerCase(), {
			family: r.family,
			parameters: r.parameters ?? Number.NaN,
			nonEmbeddingParameters: r.nonEmbeddingParameters,
			trainingTokens: r.trainingTokens,
		});
	}
	return sizes;
}

/** The prize pipeline's own files in a results folder, which are not model results. */
const notModelFiles = new Set(["data.csv"]);

/**
 * A prize pipeline folder as a run: `<model>.csv` files named by model, sizes from the prize's
 * table or, for other names, from a sizes file (which also overrides the table).
 */
export function readPrizeFolder(
	dir: string,
	task = basename(dir),
	sizes?: ReadonlyMap<string, KnownModel & { nonEmbeddingParameters?: number }>,
): RunInput {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith(".csv") && !notModelFiles.has(f) && statSync(join(dir, f)).isFile())
		.sort();
	const sizeOf = (name: string) => sizes?.get(name.toLowerCase()) ?? knownModel(name);
	const modelFiles = files.filter((f) => sizeOf(f.slice(0, -4)));
	const unknown = files.filter((f) => !sizeOf(f.slice(0, -4)));
	if (sizes && unknown.length > 0) {
		throw new RunDirError(
			`${dir}: the sizes file has no row for ${unknown.map((f) => f.slice(0, -4)).join(", ")}`,
			"Add a row (model,family,parameters) for each <model>.csv in the folder.",
		);
	}
	if (modelFiles.length === 0) {
		throw new RunDirError(
			`${dir}: no <model>.csv file named after a known model (found: ${files.join(", ") || "no CSV files"})`,
			`Name the files as the prize did (${Object.keys(prizeModels).slice(0, 6).join(", ")}, …), or give their sizes with --sizes FILE (columns model,family,parameters).`,
		);
	}
	const models: ModelInput[] = modelFiles.map((f) => {
		const name = f.slice(0, -4);
		const known = sizeOf(name)!;
		return {
			name,
			family: known.family,
			parameters: Number.isFinite(known.parameters) ? known.parameters : undefined,
			nonEmbeddingParameters: (known as { nonEmbeddingParameters?: number }).nonEmbeddingParameters,
			trainingTokens: known.trainingTokens,
			status: "ok",
			source: join(dir, f),
			columns: readModelCsv(join(dir, f)),
		};
	});
	models.sort(
		(a, b) =>
			(a.parameters ?? Number.POSITIVE_INFINITY) - (b.parameters ?? Number.POSITIVE_INFINITY) ||
			a.name.localeCompare(b.name),
	);
	const first = models[0].columns!;
	const type: TaskType = first.logodds_difference
		? "logodds"
		: first.correct
			? "classification"
			: "sequence_prob";
	const plotted: PlottedMetric = type === "logodds" ? "logodds_difference" : "loss";
	const examples = Math.max(...models.map((m) => m.columns!.index.length));
	return { task: { name: task, type, typeName: type, examples }, plotted, models };
}
