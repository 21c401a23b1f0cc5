/**
 * @module Reads one task's run directory (run.json, summary.json, `<model>.csv`, labelled data)
 * into the in-memory input of `analyzeRun`. All file access of the report happens here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { ExampleText, ModelColumns, ModelInput, RunInput } from "../analysis/types.js";
import { type ConditionSettings, type Coordinates, coordinatesOf } from "../run/conditions.js";
import { type RunManifest, type RunModel, type RunSummary, runFiles } from "../run/manifest.js";
import { ManifestSchemaError, upgradeRunManifest, upgradeRunSummary } from "../run/read-manifest.js";
import type { PlottedMetric } from "../tasks/types.js";
import { readClasses } from "./python-list.js";

export class RunDirError extends Error {
	constructor(
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = "RunDirError";
	}
}

export interface LoadedRun {
	dir: string;
	manifest: RunManifest;
	summary: RunSummary | null;
	input: RunInput;
	/** Task card text (YAML), when the run has one. */
	card: { file: string; text: string } | null;
}

function readJson<T>(file: string): T {
	try {
		return JSON.parse(readFileSync(file, "utf8")) as T;
	} catch (error) {
		throw new RunDirError(
			`${file}: not valid JSON (${(error as Error).message})`,
			"Re-run the task, or restore the file from the run's output.",
		);
	}
}

/** A run file read into today's schema (version 1 runs still load); names the file when it cannot. */
function upgraded<T>(file: string, upgrade: (raw: unknown) => T): T {
	try {
		return upgrade(readJson<unknown>(file));
	} catch (error) {
		if (error instanceof ManifestSchemaError) throw new RunDirError(`${file}: ${error.message}`, error.fix);
		throw error;
	}
}

const numeric = ["loss", "correct", "logodds_difference", "total_logprob"] as const;

/** Parses `<model>.csv` (prize columns) into typed columns; names the file, row and column of bad cells. */
export function readModelCsv(file: string): ModelColumns {
	let records: Record<string, string>[];
	try {
		records = parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true, bom: true });
	} catch (error) {
		throw new RunDirError(
			`${file}: cannot be parsed as CSV (${(error as Error).message})`,
			"Check that the file is the prize's per-model CSV.",
		);
	}
	if (records.length > 0 && !("index" in records[0])) {
		throw new RunDirError(
			`${file}: no "index" column`,
			"The per-model CSV needs the prize's columns: index,loss,... (see prize-format.md).",
		);
	}
	const header = records.length > 0 ? Object.keys(records[0]) : [];
	const cols: ModelColumns = { index: new Int32Array(records.length) };
	const index = cols.index as Int32Array;
	records.forEach((r, i) => {
		const v = Number(r.index);
		if (!Number.isInteger(v))
			throw new RunDirError(
				`${file}: row ${i + 2}, column "index": "${r.index}" is not an integer`,
				"Each row's index is the 0-based row of the example in the task file.",
			);
		index[i] = v;
	});
	for (const name of numeric) {
		if (!header.includes(name)) continue;
		const col = new Float64Array(records.length);
		records.forEach((r, i) => {
			const cell = (r[name] ?? "").trim();
			// The prize's GPT-3 log-odds path wrote total_logprob as a 1-tuple "(x,)".
			const v = Number(cell.replace(/^\((.*?),?\)$/, "$1"));
			if (cell === "" || Number.isNaN(v)) {
				if (/^-?inf(inity)?$/i.test(cell)) col[i] = cell.startsWith("-") ? -Infinity : Infinity;
				else if (/^nan$/i.test(cell) || cell === "") col[i] = Number.NaN;
				else
					throw new RunDirError(
						`${file}: row ${i + 2}, column "${name}": "${cell}" is not a number`,
						"Fix or remove the row, then run the report again.",
					);
			} else col[i] = v;
		});
		cols[name] = col;
	}
	if (header.includes("predicted")) cols.predicted = records.map((r) => r.predicted ?? "");
	return cols;
}

function readJsonl(file: string): Record<string, unknown>[] {
	return readFileSync(file, "utf8")
		.split("\n")
		.filter((line) => line.trim() !== "")
		.map((line, i) => {
			try {
				return JSON.parse(line) as Record<string, unknown>;
			} catch {
				throw new RunDirError(
					`${file}: line ${i + 1} is not valid JSON`,
					"Re-run the task to rewrite the labelled data.",
				);
			}
		});
}

/** Example text by index from labelled_data.jsonl, else from the data copy. */
function readExamples(dir: string, manifest: RunManifest): Map<number, ExampleText> {
	const out = new Map<number, ExampleText>();
	let rows: Record<string, unknown>[] = [];
	const labelled = join(dir, runFiles.labelled);
	const copy = manifest.task.dataCopy ? join(dir, manifest.task.dataCopy) : "";
	if (existsSync(labelled)) rows = readJsonl(labelled);
	else if (copy && existsSync(copy)) {
		rows = copy.endsWith(".jsonl")
			? readJsonl(copy)
			: (parse(readFileSync(copy, "utf8"), {
					columns: true,
					skip_empty_lines: true,
					bom: true,
					relax_column_count: true,
				}) as Record<string, unknown>[]);
	}
	rows.forEach((row, i) => {
		const index = typeof row.index === "number" ? row.index : i;
		const text = (k: string) => (typeof row[k] === "string" ? (row[k] as string) : undefined);
		const answer = Number(row.answer_index);
		out.set(index, {
			prompt: text("prompt"),
			otherPrompt: text("other_prompt") ?? text("biased_prompt"),
			completion: text("completion"),
			classes: readClasses(row.classes) ?? undefined,
			answerIndex: Number.isInteger(answer) ? answer : undefined,
		});
	});
	return out;
}

function plottedOf(manifest: RunManifest, summary: RunSummary | null): PlottedMetric {
	if (summary?.plotted) return summary.plotted;
	if (manifest.task.type === "sequence_prob") return "loss";
	if (manifest.task.type === "classification")
		return manifest.task.typeName === "classification_acc" ? "correct" : "loss";
	return "logodds_difference";
}

/** A `models[]` entry of run.json: version 2 runs add the condition's model, settings and coordinates. */
type ConditionEntry = RunModel & {
	model?: string;
	settings?: ConditionSettings;
	coords?: Coordinates;
	step?: number;
};

/**
 * The inputs of one condition. Version 1 runs have no coordinates: they are derived from the
 * sizes (run.json's, else the backend's). Recorded coordinates win over derived ones.
 */
function conditionInput(m: ConditionEntry, columns: ModelColumns | null): ModelInput {
	const parameters = m.parameters ?? m.info?.parameters;
	const nonEmbeddingParameters = m.nonEmbeddingParameters ?? m.info?.nonEmbeddingParameters;
	const derived = coordinatesOf(
		{ parameters, nonEmbeddingParameters, trainingTokens: m.trainingTokens, step: m.step },
		m.settings,
	);
	return {
		name: m.name,
		family: m.family,
		model: m.model,
		settings: m.settings,
		coords: { ...derived, ...m.coords },
		parameters: m.coords?.parameters ?? parameters,
		nonEmbeddingParameters: m.coords?.nonEmbeddingParameters ?? nonEmbeddingParameters,
		trainingTokens: m.coords?.trainingTokens ?? m.trainingTokens,
		status: m.status,
		error: m.error,
		identity: m.info?.identity,
		source: m.source,
		columns,
	};
}

export function loadRun(dir: string): LoadedRun {
	const manifestPath = join(dir, runFiles.manifest);
	if (!existsSync(manifestPath)) {
		throw new RunDirError(
			`${dir}: no ${runFiles.manifest} here`,
			"Point the report at a task's run directory (the folder `invscale run` wrote), or at a folder holding several.",
		);
	}
	const manifest = upgraded(manifestPath, upgradeRunManifest);
	const summaryPath = join(dir, runFiles.summary);
	const summary = existsSync(summaryPath) ? upgraded(summaryPath, upgradeRunSummary) : null;
	const models: ModelInput[] = manifest.models.map((m) => {
		const csv = join(dir, runFiles.modelCsv(m.name));
		const columns = m.status !== "failed" && existsSync(csv) ? readModelCsv(csv) : null;
		return conditionInput(m as ConditionEntry, columns);
	});
	const examples = readExamples(dir, manifest);
	const classCounts = new Map<number, number>();
	for (const [i, e] of examples) if (e.classes && e.classes.length > 0) classCounts.set(i, e.classes.length);
	const chance = summary?.models.find((m) => m.chance)?.chance;
	const cardPath = manifest.task.card ? join(dir, manifest.task.card) : null;
	const card =
		cardPath && existsSync(cardPath)
			? { file: manifest.task.card!, text: readFileSync(cardPath, "utf8") }
			: null;
	return {
		dir,
		manifest,
		summary,
		card,
		input: {
			task: {
				name: manifest.task.name,
				type: manifest.task.type,
				typeName: manifest.task.typeName,
				examples: manifest.task.examples,
				sha256: manifest.task.sha256,
				file: manifest.task.file,
			},
			plotted: plottedOf(manifest, summary),
			models,
			classCounts: classCounts.size > 0 ? classCounts : undefined,
			chance,
			examples,
		},
	};
}
