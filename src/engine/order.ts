/** @module Orders a ladder smallest first, so a run's first results come quickly and cheaply. */
import { readGgufModelInfo } from "../backends/llama/gguf-info.js";
import type { LadderModel } from "../ladders/types.js";

/** A model file that cannot be used, found before anything is scored. */
export interface ModelFileProblem {
	model: string;
	path: string;
	message: string;
}

/**
 * Checks every local model file up front (exists, has a GGUF header), so a typo in the last
 * model of a ladder is reported before hours are spent on the first ones.
 */
export async function checkModelFiles(models: readonly LadderModel[]): Promise<ModelFileProblem[]> {
	const problems: ModelFileProblem[] = [];
	for (const model of models) {
		if (model.source.kind !== "file") continue;
		const path = model.source.path;
		try {
			await readGgufModelInfo(path);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			problems.push({
				model: model.name,
				path,
				message:
					code === "ENOENT"
						? "file not found"
						: code === "EISDIR"
							? "is a folder, not a GGUF file"
							: `not a readable GGUF model file (${error instanceof Error ? error.message : String(error)})`,
			});
		}
	}
	return problems;
}

/**
 * Fills in parameters the ladder left out from each local GGUF file's tensor shapes, then sorts by
 * parameters (stable; models of unknown size keep their order, after the known ones).
 */
export async function orderBySize(models: readonly LadderModel[]): Promise<LadderModel[]> {
	const sized = await Promise.all(
		models.map(async (model) => {
			if (model.parameters !== undefined || model.source.kind !== "file") return model;
			try {
				const info = await readGgufModelInfo(model.source.path);
				return {
					...model,
					parameters: info.parameters,
					nonEmbeddingParameters: model.nonEmbeddingParameters ?? info.nonEmbeddingParameters,
				};
			} catch {
				return model; // an unreadable file is reported by name when it is opened
			}
		}),
	);
	return sized
		.map((model, i) => ({ model, i }))
		.sort((a, b) => (a.model.parameters ?? Infinity) - (b.model.parameters ?? Infinity) || a.i - b.i)
		.map(({ model }) => model);
}
