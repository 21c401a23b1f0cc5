/**
 * @module Looks at a ladder's local model files once before a run: every file must be a readable
 * GGUF (a typo in the last model is reported before hours are spent on the first ones), and the
 * ladder is ordered smallest first, so a run's first results come quickly and cheaply.
 */
import { readGgufModelInfo } from "../backends/llama/gguf-info.js";
import type { LadderModel } from "../ladders/types.js";

/** A model file that cannot be used, found before anything is scored. */
export interface ModelFileProblem {
	model: string;
	path: string;
	message: string;
}

function describe(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === "ENOENT") return "file not found";
	if (code === "EISDIR") return "is a folder, not a GGUF file";
	return `not a readable GGUF model file (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * Reads each local file's GGUF header once: files that cannot be used become problems; the others
 * get the parameters the ladder left out, counted from their tensor shapes. The models come back
 * sorted by parameters, then (checkpoints of one size) by training tokens and step; stable, and
 * unknown values after the known ones.
 */
export async function inspectLadder(
	models: readonly LadderModel[],
): Promise<{ problems: ModelFileProblem[]; ordered: LadderModel[] }> {
	const problems: ModelFileProblem[] = [];
	const sized: LadderModel[] = [];
	for (const model of models) {
		if (model.source.kind !== "file") {
			sized.push(model);
			continue;
		}
		try {
			const info = await readGgufModelInfo(model.source.path);
			sized.push({
				...model,
				parameters: model.parameters ?? info.parameters,
				nonEmbeddingParameters: model.nonEmbeddingParameters ?? info.nonEmbeddingParameters,
			});
		} catch (error) {
			problems.push({ model: model.name, path: model.source.path, message: describe(error) });
			sized.push(model);
		}
	}
	const ordered = sized
		.map((model, i) => ({ model, i }))
		.sort(
			(a, b) =>
				ascending(a.model.parameters, b.model.parameters) ||
				ascending(a.model.trainingTokens, b.model.trainingTokens) ||
				ascending(a.model.step, b.model.step) ||
				a.i - b.i,
		)
		.map(({ model }) => model);
	return { problems, ordered };
}

/** Known values ascending, unknown ones last (0 when both are unknown). */
function ascending(a: number | undefined, b: number | undefined): number {
	if (a === b) return 0;
	return (a ?? Infinity) - (b ?? Infinity) || 0;
}
