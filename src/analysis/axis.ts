/**
 * @module The x axis of a scaling analysis: any coordinate of a condition (src/run/conditions.ts),
 * with the scale its trend is fitted on and the words that describe moving along it.
 */
import { AXIS_FLAGS, type Axis, type AxisFlag, type Coordinates } from "../run/conditions.js";

/** The axis names `--x` accepts. */
export type XAxis = AxisFlag;
export const X_AXES = Object.keys(AXIS_FLAGS) as XAxis[];

/**
 * How x is placed before the fit. `log10`: sizes, tokens, steps and compute span orders of
 * magnitude and must be positive; the slope is per decade (tenfold x). `log2p1`: shots and budgets
 * include 0, so t = log2(1 + x) places 0 at t = 0, 1 at 1, 3 at 2, 7 at 3; the slope is per
 * doubling of 1 + x.
 */
export type AxisScale = "log10" | "log2p1";

export interface AxisSpec {
	flag: XAxis;
	axis: Axis;
	scale: AxisScale;
	/** Axis title, e.g. "Training tokens". */
	label: string;
	/** What x is in a sentence: "training tokens", "parameters". */
	noun: string;
	/** One unit of the fitted scale: "decade", "doubling of 1 + shots". */
	unit: string;
	/** The two ends of the axis as conditions: "smallest model" / "largest model". */
	low: string;
	high: string;
	/** Comparatives for the verdict: "larger models do worse". */
	more: string;
	/** A dimension of the grid: conditions that differ only along this one share the others. */
	dimension: Dimension;
}

/**
 * The independent dimensions of a sweep. Parameters and non-embedding parameters are two
 * measures of one size; tokens and steps of one training length; compute spans size and training.
 */
export type Dimension = "size" | "training" | "shots" | "budget" | "compute";

const specs: Record<XAxis, Omit<AxisSpec, "flag" | "axis">> = {
	params: {
		scale: "log10",
		label: "Parameters",
		noun: "parameters",
		unit: "decade",
		low: "smallest model",
		high: "largest model",
		more: "larger models",
		dimension: "size",
	},
	nonembedding: {
		scale: "log10",
		label: "Non-embedding parameters",
		noun: "non-embedding parameters",
		unit: "decade",
		low: "smallest model",
		high: "largest model",
		more: "larger models",
		dimension: "size",
	},
	tokens: {
		scale: "log10",
		label: "Training tokens",
		noun: "training tokens",
		unit: "decade",
		low: "earliest checkpoint",
		high: "latest checkpoint",
		more: "longer-trained checkpoints",
		dimension: "training",
	},
	step: {
		scale: "log10",
		label: "Training step",
		noun: "training steps",
		unit: "decade",
		low: "earliest checkpoint",
		high: "latest checkpoint",
		more: "later checkpoints",
		dimension: "training",
	},
	flops: {
		scale: "log10",
		label: "Training compute (FLOPs ≈ 6·N·D)",
		noun: "training compute",
		unit: "decade",
		low: "least compute",
		high: "most compute",
		more: "conditions with more training compute",
		dimension: "compute",
	},
	shots: {
		scale: "log2p1",
		label: "Few-shot examples",
		noun: "shots",
		unit: "doubling of 1 + shots",
		low: "fewest shots",
		high: "most shots",
		more: "models given more shots",
		dimension: "shots",
	},
	budget: {
		scale: "log2p1",
		label: "Reasoning budget",
		noun: "reasoning budget",
		unit: "doubling of 1 + budget",
		low: "smallest budget",
		high: "largest budget",
		more: "models given larger budgets",
		dimension: "budget",
	},
};

export function axisSpec(flag: XAxis): AxisSpec {
	return { flag, axis: AXIS_FLAGS[flag], ...specs[flag] };
}

/** The fitted coordinate t of x on the axis' scale. */
export function toScale(scale: AxisScale, x: number): number {
	return scale === "log10" ? Math.log10(x) : Math.log2(1 + x);
}

/** x back from t (for turning points). */
export function fromScale(scale: AxisScale, t: number): number {
	return scale === "log10" ? 10 ** t : 2 ** t - 1;
}

/** Old axis names: the axis title by flag. */
export const xAxisLabel: Record<XAxis, string> = Object.fromEntries(
	X_AXES.map((f) => [f, specs[f].label]),
) as Record<XAxis, string>;

const missing: Record<Axis, string> = {
	parameters: "parameter count unknown",
	nonEmbeddingParameters: "non-embedding parameter count unknown",
	trainingTokens: "training tokens unknown",
	step: "training step unknown",
	compute: "training compute unknown (needs parameters and training tokens)",
	shots: "number of shots unknown",
	budget: "reasoning budget unknown",
};

/** The condition's x value, or a reason it has none (then it is left out of the trend). */
export function xValue(
	coords: Coordinates,
	flag: XAxis,
): { ok: true; x: number } | { ok: false; reason: string } {
	const spec = axisSpec(flag);
	const v = coords[spec.axis];
	if (v === undefined || !Number.isFinite(v)) return { ok: false, reason: missing[spec.axis] };
	if (spec.scale === "log10" && !(v > 0))
		return { ok: false, reason: `${spec.noun} ${v} cannot be placed on a log axis` };
	if (spec.scale === "log2p1" && v < 0) return { ok: false, reason: `${spec.noun} ${v} is negative` };
	return { ok: true, x: v };
}

/**
 * The axis a run is about when none is asked for: size when sizes vary, else training tokens (or
 * steps when tokens are unknown), else shots, else budget; parameters when nothing varies.
 */
export function defaultXAxis(coords: readonly Coordinates[]): XAxis {
	const varies = (axis: Axis) => new Set(coords.map((c) => c[axis]).filter((v) => v !== undefined)).size > 1;
	if (varies("parameters")) return "params";
	if (varies("nonEmbeddingParameters")) return "nonembedding";
	if (varies("trainingTokens")) return "tokens";
	if (varies("step")) return "step";
	if (varies("shots")) return "shots";
	if (varies("budget")) return "budget";
	return "params";
}
