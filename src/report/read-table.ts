/**
 * @module Reads inputs of `invscale analyze`: a summary table (one row per condition: model,
 * family, coordinates, mean, se; optionally a task column for several tasks in one file),
 * Michaelov & Bergen's `all_results.tsv` as published (`michaelov-bergen.ts`), or a folder
 * written by the prize's pipeline (`<model>.csv` per model). Errors name the file, row, column
 * and the fix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { type KnownModel, knownModel, prizeModels } from "../analysis/prize-sizes.js";
import type { SummaryRow } from "../analysis/table.js";
import type { ModelInput, RunInput } from "../analysis/types.js";
import { PYTHIA_TOKENS_PER_STEP } from "../run/conditions.js";
import type { PlottedMetric, TaskType } from "../tasks/types.js";
import { parseDelimited } from "./delimited.js";
import { RunDirError, readModelCsv } from "./load-run.js";
import { isMichaelovBergen, readMichaelovBergen } from "./michaelov-bergen.js";

const aliases: Record<string, string[]> = {
	model: ["model", "name", "modelname"],
	family: ["family"],
	task: ["task"],
	parameters: ["parameters", "params", "size", "n_params"],
	nonEmbeddingParameters: ["non_embedding_parameters", "nonembedding", "non_embedding"],
	trainingTokens: ["training_tokens", "tokens", "d"],
	step: ["step"],
	revision: ["revision", "modelrevision", "checkpoint"],
	shots: ["shots", "num_shots", "k_shot"],
	budget: ["budget"],
	mean: ["mean", "value", "metric", "accuracy"],
	se: ["se", "stderr", "standard_error", "sem", "accuracy_se"],
	n: ["n", "examples"],
};

/** Coordinate columns: a table needs one of them, or model names whose sizes are known. */
const coordinateKeys = ["parameters", "nonEmbeddingParameters", "trainingTokens", "step", "shots", "budget"];

/** "124M", "1.5B", "6.7e9", "300000000" → a number; NaN when it is none of these. */
export function parseSize(cell: string): number {
	const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([kmbt])?\s*$/i.exec(cell);
	if (!m) return Number.NaN;
	const scale = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[(m[2] ?? "").toLowerCase() as "k"] ?? 1;
	return Number(m[1]) * scale;
}

/** One task's rows of a table. */
export interface TaskTable {
	task: string;
	rows: SummaryRow[];
}

export interface TableInput {
	file: string;
	/** `michaelov-bergen`: the header of their all_results.tsv (ModelName, ModelRevision, Task, Accuracy, Accuracy_SE). */
	format: "summary" | "michaelov-bergen";
	/** The table had a task column (then the analysis is per task, with BH across them). */
	hasTaskColumn: boolean;
	/** What the mean is, when the header says so (an Accuracy column). */
	metric?: PlottedMetric;
	tasks: TaskTable[];
}

const header = "model,family,parameters,training_tokens,step,shots,task,mean,se,n";

/**
 * Reads a table of conditions (comma- or tab-separated, chosen by the header line). Every
 * problem names the file, the row (as a spreadsheet shows it) and the column. Sizes of known
 * models (the prize's and Pythia's) fill empty size cells; Pythia steps give training tokens
 * (step × 2,097,152); a revision `stepN` gives the step. `required` are the columns that must be
 * there and filled (a sizes file has no mean: its rows' mean is NaN).
 */
export function readTable(
	file: string,
	required: readonly ("model" | "mean")[] = ["model", "mean"],
	expected = header,
): TableInput {
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		throw new RunDirError(`${file}: cannot be read (${(error as Error).message})`, "Check the path.");
	}
	const { records } = parseDelimited(
		text,
		file,
		"Save the table as comma- or tab-separated values with a header row.",
	);
	if (records.length === 0)
		throw new RunDirError(`${file}: no rows`, `Add one row per model under the header ${expected}.`);
	const head = Object.keys(records[0]);
	const col = (key: string) => aliases[key].find((a) => head.includes(a));
	for (const column of required) {
		if (!col(column))
			throw new RunDirError(
				`${file}: no "${column}" column (header: ${head.join(",")})`,
				`Add a "${column}" column; expected header: ${expected}.`,
			);
	}
	const format = isMichaelovBergen(head) ? "michaelov-bergen" : "summary";
	if (
		format === "summary" &&
		!coordinateKeys.some((k) => col(k)) &&
		!records.some((r) => knownModel(r[col("model")!] ?? ""))
	) {
		throw new RunDirError(
			`${file}: no size column or other coordinate column (header: ${head.join(",")})`,
			'Add a "parameters" column with sizes such as 124M or 1.5B (or training_tokens, step, shots).',
		);
	}
	const tasks = new Map<string, { rows: SummaryRow[]; lines: number[] }>();
	const add = (task: string, line: number, row: SummaryRow & { revision?: string }) => {
		let entry = tasks.get(task);
		if (!entry) {
			entry = { rows: [], lines: [] };
			tasks.set(task, entry);
		}
		entry.lines.push(line);
		entry.rows.push(row);
	};
	if (format === "michaelov-bergen") {
		readMichaelovBergen(records, file).forEach((r, i) => {
			add(r.task, i + 2, {
				model: r.model,
				base: r.model,
				family: "pythia",
				parameters: r.parameters,
				nonEmbeddingParameters: r.nonEmbeddingParameters,
				trainingTokens: r.trainingTokens,
				step: r.step,
				revision: r.revision,
				mean: r.accuracy,
				se: r.se ?? null,
			});
		});
	} else
		records.forEach((r, i) => {
			const row = i + 2;
			const cell = (key: string) => {
				const c = col(key);
				return c ? (r[c] ?? "").trim() : "";
			};
			const where = (key: string) => `${file}: row ${row}, column "${col(key) ?? key}"`;
			const num = (key: string, size: boolean, required: boolean): number | undefined => {
				const raw = cell(key);
				if (raw === "") {
					if (required) throw new RunDirError(`${where(key)}: empty`, "Fill in the value or remove the row.");
					return undefined;
				}
				const v = size ? parseSize(raw) : Number(raw);
				if (!Number.isFinite(v))
					throw new RunDirError(
						`${where(key)}: "${raw}" is not a number`,
						size
							? "Write sizes as numbers, optionally with K, M, B or T (124M, 1.5B)."
							: "Write a plain number such as 0.693.",
					);
				return v;
			};
			const model = cell("model");
			if (model === "") throw new RunDirError(`${where("model")}: empty`, "Give each row a model name.");
			const known = knownModel(model);
			const base = model.replace(/^.*\//, "");
			const revision = cell("revision");
			let step = num("step", false, false);
			const fromRevision = /^step(\d+)$/i.exec(revision);
			if (step === undefined && fromRevision) step = Number(fromRevision[1]);
			const family = cell("family") || known?.family || "default";
			let trainingTokens = num("trainingTokens", true, false);
			// Pythia checkpoints: every step is 1024 sequences of 2048 tokens.
			if (trainingTokens === undefined && step !== undefined && family === "pythia")
				trainingTokens = step * PYTHIA_TOKENS_PER_STEP;
			if (trainingTokens === undefined && step === undefined) trainingTokens = known?.trainingTokens;
			const parameters = num("parameters", true, false) ?? known?.parameters;
			const shots = num("shots", false, false);
			const budget = num("budget", false, false);
			const task = cell("task") || basename(file).replace(/\.[^.]+$/, "");
			const se = num("se", false, false);
			add(task, row, {
				model: base,
				base,
				family,
				parameters,
				nonEmbeddingParameters:
					num("nonEmbeddingParameters", true, false) ??
					(parameters === known?.parameters ? known?.nonEmbeddingParameters : undefined),
				trainingTokens,
				step,
				shots,
				budget,
				revision: revision || undefined,
				mean: num("mean", false, required.includes("mean")) ?? Number.NaN,
				se: se ?? null,
				n: num("n", false, false),
			});
		});
	for (const [task, entry] of tasks) nameConditions(file, task, entry.rows, entry.lines);
	return {
		file,
		format,
		hasTaskColumn: col("task") !== undefined,
		metric: col("mean") === "accuracy" ? "correct" : undefined,
		tasks: [...tasks].map(([task, e]) => ({ task, rows: e.rows })),
	};
}

/**
 * Gives each row of a task a unique condition name: the model's name when it appears once, else
 * the model plus what tells its rows apart (`pythia-1b@step64000`, `-4shot`, `-budget1024`).
 */
function nameConditions(
	file: string,
	task: string,
	rows: (SummaryRow & { revision?: string })[],
	lines: number[],
): void {
	const byModel = new Map<string, (SummaryRow & { revision?: string })[]>();
	for (const r of rows) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
	// Only what varies among one model's rows goes into the name, as a run names its conditions.
	const varies = (
		list: (SummaryRow & { revision?: string })[],
		key: "revision" | "step" | "trainingTokens" | "shots" | "budget",
	) => new Set(list.map((r) => r[key])).size > 1;
	const seen = new Map<string, number>();
	rows.forEach((r, i) => {
		const list = byModel.get(r.model)!;
		if (list.length > 1) {
			let name = r.model;
			if (varies(list, "revision") && r.revision) name += `@${r.revision}`;
			else if (varies(list, "step") && r.step !== undefined) name += `@step${r.step}`;
			else if (varies(list, "trainingTokens") && r.trainingTokens !== undefined)
				name += `@${r.trainingTokens}tokens`;
			if (varies(list, "shots") && r.shots !== undefined) name += `-${r.shots}shot`;
			if (varies(list, "budget") && r.budget !== undefined) name += `-budget${r.budget}`;
			r.model = name;
		}
		const before = seen.get(r.model);
		if (before !== undefined)
			throw new RunDirError(
				`${file}: rows ${before} and ${lines[i]} both give ${r.model}${task ? ` on task ${task}` : ""}`,
				"Each task needs one row per condition (model, checkpoint, shots); remove the duplicate or add the column that tells them apart.",
			);
		seen.set(r.model, lines[i]);
		delete r.revision;
	});
}

/** The rows of a one-task summary table (the rows of every task when it has a task column). */
export function readSummaryTable(file: string): SummaryRow[] {
	return readTable(file).tasks.flatMap((t) => t.rows);
}

/**
 * Reads a sizes file for a prize folder whose models the prize's table does not know:
 * `model,family,parameters[,non_embedding_parameters,training_tokens]`, one row per `<model>.csv`.
 */
export function readSizesTable(file: string): Map<string, KnownModel & { nonEmbeddingParameters?: number }> {
	const sizes = new Map<string, KnownModel & { nonEmbeddingParameters?: number }>();
	const rows = readTable(file, ["model"], "model,family,parameters,training_tokens").tasks.flatMap(
		(t) => t.rows,
	);
	for (const r of rows) {
		sizes.set((r.base ?? r.model).toLowerCase(), {
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
