/**
 * @module The per-example table: each example's text with every model's prize columns and the
 * probability it gave each class (from `details/<model>.jsonl`), so a person can see *why* a model
 * got an example wrong; and the same table as a spreadsheet-safe CSV.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { axisSpec, defaultXAxis, xValue } from "../analysis/axis.js";
import { autoGroupBy, groupMembers } from "../analysis/groups.js";
import { coordsOfInput } from "../analysis/metric-analysis.js";
import type { ModelInput } from "../analysis/types.js";
import type { GenerationDetails } from "../generation/types.js";
import { loadRun } from "../report/index.js";
import { type ExampleDetails, runFiles } from "../run/manifest.js";
import type { TaskType } from "../tasks/types.js";
import { type ExampleProbabilities, exampleProbabilities } from "./class-probabilities.js";
import { spreadsheetCsv } from "./spreadsheet-csv.js";

/** A generated answer as the table shows it: the first sample's reasoning (folded) and answer. */
export interface GeneratedCell {
	answer: string;
	/** What was read from the answer; absent when it could not be read. */
	extracted?: string;
	reasoning: string;
	/** null: the API did not say. */
	reasoningTokens?: number | null;
	/** Samples behind the row's accuracy. */
	samples: number;
}

export interface ModelCell {
	loss?: number;
	correct?: number;
	logodds_difference?: number;
	predicted?: string;
	probabilities?: ExampleProbabilities;
	generated?: GeneratedCell;
}

export interface ExampleRow {
	index: number;
	prompt?: string;
	otherPrompt?: string;
	completion?: string;
	classes?: string[];
	answerIndex?: number;
	/** By model name; a model without a result for this row is absent. */
	models: Record<string, ModelCell>;
}

export interface ExampleTable {
	task: string;
	type: TaskType;
	/** Models that produced results, smallest first (the run's order). */
	models: string[];
	/**
	 * The two conditions the "got worse" filters compare: the ends of the run's axis (smallest and
	 * largest model; earliest and latest checkpoint of the largest size on a grid), with their names.
	 */
	ends: { low: { model: string; words: string }; high: { model: string; words: string } } | null;
	rows: ExampleRow[];
}

/** The ends of the run's axis among the models with results, within the last group on a grid. */
export function axisEnds(models: readonly ModelInput[]): ExampleTable["ends"] {
	const coords = models.map(coordsOfInput);
	const flag = defaultXAxis(coords);
	const axis = axisSpec(flag);
	const placed = models
		.map((m, i) => ({ m, coords: coords[i], xv: xValue(coords[i], flag) }))
		.filter((e) => e.xv.ok)
		.map((e) => ({ ...e, x: (e.xv as { x: number }).x, family: e.m.family, model: e.m.model }));
	if (placed.length < 2) return null;
	const groups = groupMembers(placed, autoGroupBy(axis, placed));
	const last = groups
		.at(-1)!
		.members.map((i) => placed[i])
		.sort((a, b) => a.x - b.x);
	if (last.length < 2) return null;
	return {
		low: { model: last[0].m.name, words: axis.low },
		high: { model: last[last.length - 1].m.name, words: axis.high },
	};
}

interface ReadDetails {
	logprobs: Map<number, number[]>;
	generated: Map<number, GeneratedCell>;
}

/** A details file: log-probs per example (scoring), or each example's first answer and its sample count (generation). */
function readDetails(file: string): ReadDetails {
	const out: ReadDetails = { logprobs: new Map(), generated: new Map() };
	if (!existsSync(file)) return out;
	for (const line of readFileSync(file, "utf8").split("\n")) {
		if (line.trim() === "") continue;
		const d = JSON.parse(line) as ExampleDetails | GenerationDetails;
		if ("sample" in d) {
			const seen = out.generated.get(d.index);
			if (seen) seen.samples++;
			else
				out.generated.set(d.index, {
					answer: d.answer,
					...(d.extracted === undefined ? {} : { extracted: d.extracted }),
					reasoning: d.reasoning,
					...(d.reasoningTokens === undefined ? {} : { reasoningTokens: d.reasoningTokens }),
					samples: 1,
				});
			if (d.classLogprobs && d.sample === 0) out.logprobs.set(d.index, d.classLogprobs);
		} else out.logprobs.set(d.index, d.logprobs);
	}
	return out;
}

/** Which probabilities the details hold; exact answers are generated, so they have none. */
const kindOf = (type: TaskType): ExampleProbabilities["kind"] | undefined =>
	type === "absolute_logodds" ? "logodds" : type === "exact_answer" ? undefined : type;

export function exampleTable(dir: string): ExampleTable {
	const { input } = loadRun(dir);
	const type = input.task.type;
	const models = input.models.filter((m) => m.columns !== null);
	const rows = new Map<number, ExampleRow>();
	for (const [index, text] of input.examples ?? []) rows.set(index, { index, ...text, models: {} });
	for (const model of models) {
		const cols = model.columns!;
		const details = readDetails(join(dir, runFiles.modelDetails(model.name)));
		for (let i = 0; i < cols.index.length; i++) {
			const index = cols.index[i];
			let row = rows.get(index);
			if (!row) {
				row = { index, models: {} };
				rows.set(index, row);
			}
			const logprobs = details.logprobs.get(index);
			const generated = details.generated.get(index);
			row.models[model.name] = {
				...(cols.loss ? { loss: cols.loss[i] } : {}),
				...(cols.correct ? { correct: cols.correct[i] } : {}),
				...(cols.logodds_difference ? { logodds_difference: cols.logodds_difference[i] } : {}),
				...(cols.predicted ? { predicted: cols.predicted[i] } : {}),
				...(logprobs && kindOf(type) ? { probabilities: exampleProbabilities(kindOf(type)!, logprobs) } : {}),
				...(generated ? { generated } : {}),
			};
		}
	}
	return {
		task: input.task.name,
		type,
		models: models.map((m) => m.name),
		ends: axisEnds(models),
		rows: [...rows.values()].sort((a, b) => a.index - b.index),
	};
}

/** The table as CSV for spreadsheets: one line per example, per model its columns and class shares. */
export function exampleTableCsv(table: ExampleTable): string {
	const classCount = Math.max(0, ...table.rows.map((r) => r.classes?.length ?? 0));
	const header = ["index", "prompt"];
	if (table.type === "logodds" || table.type === "absolute_logodds") header.push("other_prompt");
	if (table.type === "sequence_prob") header.push("completion");
	else {
		header.push("answer_index", "answer");
		for (let k = 0; k < classCount; k++) header.push(`class_${k}`);
	}
	const perModel = (m: string): string[] => {
		switch (table.type) {
			case "classification":
				return [
					`${m}_loss`,
					`${m}_correct`,
					`${m}_predicted`,
					...Array.from({ length: classCount }, (_, k) => `${m}_p_class_${k}`),
					`${m}_class_mass`,
				];
			case "sequence_prob":
				return [`${m}_loss`, `${m}_p_completion`];
			default:
				return [
					`${m}_logodds_difference`,
					`${m}_correct`,
					`${m}_p_class_0_prompt`,
					`${m}_p_class_0_other_prompt`,
					`${m}_class_mass`,
				];
		}
	};
	for (const m of table.models) header.push(...perModel(m));
	const lines = table.rows.map((r) => {
		const cells: Array<string | number | undefined> = [r.index, r.prompt];
		if (table.type === "logodds" || table.type === "absolute_logodds") cells.push(r.otherPrompt);
		if (table.type === "sequence_prob") cells.push(r.completion);
		else {
			cells.push(
				r.answerIndex,
				r.classes && r.answerIndex !== undefined ? r.classes[r.answerIndex] : undefined,
			);
			for (let k = 0; k < classCount; k++) cells.push(r.classes?.[k]);
		}
		for (const name of table.models) {
			const c = r.models[name];
			const p = c?.probabilities;
			switch (table.type) {
				case "classification": {
					const shares = p?.kind === "classification" ? p.shares : [];
					cells.push(
						c?.loss,
						c?.correct,
						c?.predicted,
						...Array.from({ length: classCount }, (_, k) => shares[k]),
					);
					cells.push(p?.kind === "classification" ? p.mass : undefined);
					break;
				}
				case "sequence_prob":
					cells.push(c?.loss, p?.kind === "sequence_prob" ? p.probability : undefined);
					break;
				default:
					cells.push(
						c?.logodds_difference,
						c?.correct,
						p?.kind === "logodds" ? p.prompt[0] : undefined,
						p?.kind === "logodds" ? p.other[0] : undefined,
						p?.kind === "logodds" ? p.mass : undefined,
					);
			}
		}
		return cells;
	});
	return spreadsheetCsv(header, lines);
}
