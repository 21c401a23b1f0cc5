/**
 * @module The organisms' ladder files, in the format of any ladder file: `ladder.yaml` (the final
 * model of each size) and `checkpoints.yaml` (every size at every checkpoint), with each file's
 * sha256 beside it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OrganismSize } from "./config.js";

/** What one trained checkpoint is, for the ladder files. */
export interface TrainedCheckpoint {
	size: OrganismSize;
	segment: number;
	/** Path of the shipped file, relative to the out folder. */
	file: string;
	sha256: string;
	parameters: number;
	nonEmbeddingParameters: number;
	/** Tokens the trainer evaluated up to this checkpoint, and its optimiser steps. */
	trainingTokens: number;
	step: number;
}

function entry(c: TrainedCheckpoint, name: string): string {
	return [
		`  - name: ${name}`,
		`    family: organisms`,
		`    file: ${c.file}  # sha256 ${c.sha256}`,
		`    parameters: ${c.parameters}`,
		`    non_embedding_parameters: ${c.nonEmbeddingParameters}`,
		`    training_tokens: ${c.trainingTokens}`,
		`    step: ${c.step}`,
	].join("\n");
}

const header = (what: string) =>
	`# ${what}\n# Written by \`invscale organisms train\` from config.yaml; do not edit by hand.\n`;

export function writeLadderFiles(
	outDir: string,
	checkpoints: TrainedCheckpoint[],
	segments: number,
): Array<{ what: string; path: string }> {
	const finals = checkpoints.filter((c) => c.segment === segments);
	const ladder = join(outDir, "ladder.yaml");
	writeFileSync(
		ladder,
		`${header("The organisms ladder: each size after its whole training.")}name: organisms\ndescription: Small models trained by invscale on a synthetic language with known causes of inverse scaling built in\nmodels:\n${finals.map((c) => entry(c, c.size.name)).join("\n")}\n`,
	);
	const grid = join(outDir, "checkpoints.yaml");
	writeFileSync(
		grid,
		`${header("Every size of the organisms ladder at every checkpoint (for --x step and the size × training test).")}name: organisms-checkpoints\ndescription: The organisms ladder at each checkpoint of its training\nmodels:\n${checkpoints.map((c) => entry(c, `${c.size.name}-step${c.step}`)).join("\n")}\n`,
	);
	return [
		{ what: "ladder", path: ladder },
		{ what: "checkpoint grid", path: grid },
	];
}
