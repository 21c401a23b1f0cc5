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
 * sorted by parameters (stable; models of unknown size keep their order, after the known ones).
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
		.sort((a, b) => (a.model.parameters ?? Infinity) - (b.model.parameters ?? Infinity) || a.i - b.i)
		.map(({ model }) => model);
	return { problems, ordered };
}
