/**
 * @module Writes a task run directory (run.json, summary.json, `<model>.csv`, labelled data, data
 * copy, optional card) from synthetic per-example numbers, in the layout of src/run/manifest.ts:
 * version 1, or version 2 where each `models[]` entry is a condition with model, settings and
 * coordinates.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { meanSe } from "../../src/analysis/descriptive.js";
import { type ConditionSettings, coordinatesOf } from "../../src/run/conditions.js";
import { RUN_SCHEMA, type RunManifest, type RunSummary, SUMMARY_SCHEMA } from "../../src/run/manifest.js";
import type { TaskType } from "../../src/tasks/types.js";
import { type SyntheticModel, type SyntheticOptions, syntheticColumns } from "./synthetic-ladder.js";

export interface MakeRunDirOptions extends SyntheticOptions {
	task?: string;
	type?: TaskType;
	/** Write a task card. */
	card?: string;
	/** Leave labelled_data.jsonl out (the report then reads the data copy). */
	noLabelled?: boolean;
}

/** A condition's settings and coordinates as a version 2 run records them. */
function conditionFields(m: SyntheticModel) {
	const settings: ConditionSettings = {};
	if (m.step !== undefined) settings.revision = `step${m.step}`;
	if (m.shots !== undefined) settings.shots = m.shots;
	return { model: m.model ?? m.name, settings, coords: coordinatesOf(m, settings) };
}

const csvCell = (v: string | number) => (typeof v === "number" ? String(v) : `"${v.replace(/"/g, '""')}"`);

export function makeRunDir(dir: string, models: SyntheticModel[], o: MakeRunDirOptions): string {
	mkdirSync(dir, { recursive: true });
	const type = o.type ?? "classification";
	const task = o.task ?? "synthetic-task";
	const cols = syntheticColumns(models, o);
	const data = Array.from({ length: o.examples }, (_, i) =>
		type === "sequence_prob"
			? { prompt: `Example ${i}: repeat after me.`, completion: " done" }
			: type === "classification"
				? { prompt: `Q${i}: Is ${i} even?\nA:`, classes: "[' Yes', ' No']", answer_index: i % 2 }
				: {
						prompt: `Q${i}: plain`,
						other_prompt: `Q${i}: biased`,
						classes: "[' Yes', ' No']",
						answer_index: i % 2,
					},
	);
	writeFileSync(join(dir, `${task}.jsonl`), `${data.map((r) => JSON.stringify(r)).join("\n")}\n`);
	const labelled = data.map((r, i) => ({ ...r, index: i }) as Record<string, unknown>);
	for (const m of models) {
		if (m.status === "failed") continue;
		const c = cols.get(m.name)!;
		const header =
			type === "classification"
				? "index,loss,correct,predicted,total_logprob"
				: type === "sequence_prob"
					? "index,loss"
					: "index,logodds_difference,correct,total_logprob";
		const lines = c.loss.map((loss, i) => {
			const predicted = i % 2 === 0 ? (c.correct[i] ? " Yes" : " No") : c.correct[i] ? " No" : " Yes";
			const row =
				type === "classification"
					? [i, loss, c.correct[i], predicted, c.total[i]]
					: type === "sequence_prob"
						? [i, loss]
						: [i, loss, c.correct[i], c.total[i]];
			labelled[i][`${m.name}_loss`] = loss;
			return row.map(csvCell).join(",");
		});
		writeFileSync(join(dir, `${m.name}.csv`), `${header}\n${lines.join("\n")}\n`);
	}
	if (!o.noLabelled)
		writeFileSync(join(dir, "labelled_data.jsonl"), `${labelled.map((r) => JSON.stringify(r)).join("\n")}\n`);
	if (o.card) writeFileSync(join(dir, `${task}.card.yaml`), o.card);
	const manifest: RunManifest = {
		schema: RUN_SCHEMA,
		invscaleVersion: "0.1.0",
		task: {
			name: task,
			file: `tasks/${task}.jsonl`,
			dataCopy: `${task}.jsonl`,
			sha256: "5e".repeat(32),
			type,
			typeName: type,
			examples: o.examples,
			card: o.card ? `${task}.card.yaml` : undefined,
		},
		options: { boundary: "strict", truncate: "none", precision: "fast" },
		ladder: "synthetic",
		models: models.map((m) => ({
			name: m.name,
			...conditionFields(m),
			family: m.family ?? "synthetic",
			source: `file:/models/${m.model ?? m.name}.gguf`,
			parameters: m.parameters,
			trainingTokens: m.trainingTokens,
			status: m.status ?? "ok",
			info:
				m.status === "failed"
					? undefined
					: {
							name: m.name,
							identity: `sha256:${m.name.padEnd(8, "0")}`,
							kind: "llama.cpp",
							contextLength: 2048,
							tokenizer: "bpe",
							addsBos: true,
						},
			error: m.status === "failed" ? "could not load the model file" : undefined,
			examplesScored: m.status === "failed" ? 0 : o.examples,
			tokensEvaluated: 1000,
		})),
		startedAt: "2024-05-01T10:00:00.000Z",
		endedAt: "2024-05-01T10:05:00.000Z",
		status: models.some((m) => m.status === "failed") ? "partial" : "complete",
	};
	writeFileSync(join(dir, "run.json"), JSON.stringify(manifest, null, 2));
	const plotted = type === "logodds" || type === "absolute_logodds" ? "logodds_difference" : "loss";
	const summary: RunSummary = {
		schema: SUMMARY_SCHEMA,
		task,
		type,
		typeName: type,
		plotted,
		models: models.map((m) => {
			const c = cols.get(m.name)!;
			return {
				name: m.name,
				...conditionFields(m),
				family: m.family ?? "synthetic",
				parameters: m.parameters,
				status: m.status ?? "ok",
				...(m.status === "failed" ? {} : { [plotted]: meanSe(c.loss) }),
				chance: type === "classification" ? { loss: Math.LN2, accuracy: 0.5 } : undefined,
			};
		}),
	};
	writeFileSync(join(dir, "summary.json"), JSON.stringify(summary, null, 2));
	return dir;
}
