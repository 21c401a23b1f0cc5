/** @module The x axis of a scaling plot: parameters, non-embedding parameters or training compute. */

export type XAxis = "params" | "nonembedding" | "flops";

export const xAxisLabel: Record<XAxis, string> = {
	params: "Parameters",
	nonembedding: "Non-embedding parameters",
	flops: "Training compute (FLOPs ≈ 6·N·D)",
};

export interface SizedModel {
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
}

/** The model's x value, or a reason it has none (then it is left out of the trend). */
export function xValue(
	model: SizedModel,
	axis: XAxis,
): { ok: true; x: number } | { ok: false; reason: string } {
	const positive = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
	if (axis === "params") {
		return positive(model.parameters)
			? { ok: true, x: model.parameters }
			: { ok: false, reason: "parameter count unknown" };
	}
	if (axis === "nonembedding") {
		return positive(model.nonEmbeddingParameters)
			? { ok: true, x: model.nonEmbeddingParameters }
			: { ok: false, reason: "non-embedding parameter count unknown" };
	}
	if (!positive(model.parameters)) return { ok: false, reason: "parameter count unknown" };
	if (!positive(model.trainingTokens)) return { ok: false, reason: "training tokens unknown" };
	return { ok: true, x: 6 * model.parameters * model.trainingTokens };
}
