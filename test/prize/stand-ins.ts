/** @module Stand-in task files under the prize's release names, small and valid, for tests against the local hub. */
import { createHash } from "node:crypto";
import type { HubServer } from "../helpers/hub-server.js";

export const datasetPath = "datasets/inverse-scaling-ttc/inverse_scaling_prize";

export const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

/** A classification task of `rows` examples, each a different prompt (deterministic for a seed). */
export function standInClassification(rows: number, seed = 1): Buffer {
	const lines: string[] = [];
	for (let i = 0; i < rows; i++) {
		const a = (i * 7 + seed) % 13;
		lines.push(
			JSON.stringify({
				prompt: `Once upon a time there was a cat number ${a} and a dog number ${i}. The cat said`,
				classes: "[' yes', ' no']",
				answer_index: (i + seed) % 2,
			}),
		);
	}
	return Buffer.from(`${lines.join("\n")}\n`);
}

/** Serves a stand-in for each release file named. */
export function hostStandIns(hub: HubServer, files: Record<string, Buffer>, behaviour = {}): void {
	for (const [file, bytes] of Object.entries(files)) hub.addFile(datasetPath, file, bytes, behaviour);
}

/** A sequence_prob task of `rows` examples (prompt, completion). */
export function standInSequence(rows: number): Buffer {
	const lines = Array.from({ length: rows }, (_, i) =>
		JSON.stringify({ prompt: `Repeat the word cat ${i} times:`, completion: " cat" }),
	);
	return Buffer.from(`${lines.join("\n")}\n`);
}
