/** @module Orders a ladder smallest first, so a run's first results come quickly and cheaply. */
import { readGgufModelInfo } from "../backends/llama/gguf-info.js";
import type { LadderModel } from "../ladders/types.js";

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
