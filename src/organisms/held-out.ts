/**
 * @module The ladder's held-out loss: the held-out text (`held-out.csv`, a sequence_prob task) is
 * scored on every size through the same engine as `invscale eval`, and turned into loss per token
 * (each word of the organisms' language is one token) for the scaling-law fit.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { runEval } from "../engine/run-eval.js";
import type { EvalEventListener } from "../engine/types.js";
import { loadLadderFile } from "../ladders/ladder-file.js";
import { fitScalingLaw, type ScalingLawFit } from "./scaling-law.js";

export interface HeldOutPoint {
	model: string;
	nonEmbeddingParameters: number;
	/** Mean loss per token in nats, or null when the model failed. */
	lossPerToken: number | null;
}

export interface HeldOutReport {
	points: HeldOutPoint[];
	fit: ScalingLawFit | undefined;
	tokens: number;
}

/** Scores `<ladderDir>/held-out.csv` on `<ladderDir>/ladder.yaml` into `<outDir>/held-out/`. */
export async function heldOutReport(
	ladderDir: string,
	outDir: string,
	onEvent?: EvalEventListener,
): Promise<HeldOutReport> {
	const file = join(ladderDir, "held-out.csv");
	const ladder = loadLadderFile(join(ladderDir, "ladder.yaml"));
	const rows = parseCsv(readFileSync(file, "utf8"), { columns: true }) as Array<{ completion: string }>;
	const tokens = rows.reduce((n, r) => n + r.completion.split(" ").filter(Boolean).length, 0);
	const outcome = await runEval(
		{ tasks: [file], models: ladder.models, ladderName: ladder.name, outDir, report: false, offline: true },
		onEvent,
	);
	const summary = outcome.tasks[0]?.summary;
	const points = ladder.models.map((model) => {
		const loss = summary?.models.find((m) => m.model === model.name)?.loss?.mean;
		return {
			model: model.name,
			nonEmbeddingParameters: model.nonEmbeddingParameters ?? Number.NaN,
			lossPerToken: loss === undefined || loss === null ? null : (loss * rows.length) / tokens,
		};
	});
	const known = points.filter((p): p is HeldOutPoint & { lossPerToken: number } => p.lossPerToken !== null);
	return {
		points,
		fit: fitScalingLaw(known.map((p) => ({ n: p.nonEmbeddingParameters, loss: p.lossPerToken }))),
		tokens,
	};
}
