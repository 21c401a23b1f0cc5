/**
 * @module Simulated ladders with the per-example structure of real runs: every model answers the
 * same examples (paired), examples share a difficulty, each model adds its own noise. Binary
 * `correct` (a Gaussian copula, so each model's expected accuracy is exactly its target) and
 * continuous `loss` (a skewed shared difficulty plus normal noise). Seeded; the true trend is known.
 */
import type { XAxis } from "../../analysis/axis.js";
import { toScale } from "../../analysis/axis.js";
import { normalQuantile } from "../../analysis/normal.js";
import type { RunInput } from "../../analysis/types.js";
import type { Coordinates } from "../../run/conditions.js";
import { createPrng, type Prng } from "../../util/prng.js";

export type SimMetric = "correct" | "loss";
export type SimAxis = Extract<XAxis, "params" | "budget" | "step" | "shots">;
export const SIM_AXES: readonly SimAxis[] = ["params", "budget", "step", "shots"];

/** Where conditions sit on each axis (a ladder of k takes k of these, spread evenly, both ends kept). */
const axisValues: Record<SimAxis, readonly number[]> = {
	// Pythia's sizes and two larger ones: log10 parameters, unevenly spaced.
	params: [14e6, 31e6, 70e6, 160e6, 410e6, 1.0e9, 1.4e9, 2.8e9, 6.9e9, 12e9, 30e9, 70e9],
	// Reasoning budgets in tokens, from none: log2(1 + budget) puts 0 far from the rest.
	budget: [0, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072],
	// Pythia checkpoints: linear in steps late in training, so crowded at the top of log10 steps.
	step: [1000, 3000, 5000, 10000, 20000, 33000, 50000, 66000, 83000, 100000, 120000, 143000],
	// Shot counts: log2(1 + shots).
	shots: [0, 1, 2, 3, 4, 5, 6, 8, 10, 16, 32, 64],
};

/** The k positions of a ladder on the axis. */
export function axisPositions(axis: SimAxis, models: number): number[] {
	const all = axisValues[axis];
	if (models > all.length) throw new RangeError(`at most ${all.length} models on the ${axis} axis`);
	return Array.from({ length: models }, (_, i) => all[Math.round((i * (all.length - 1)) / (models - 1))]);
}

/**
 * The true shape of the ladder in "worse" units (+ is worse) at position u ∈ [0, 1] along the
 * fitted scale (0 the first condition, 1 the last): linear is inverse for effect > 0; a U is
 * worst in the middle (worsens, then recovers), an inverted U best there.
 */
export type Shape = "linear" | "u" | "inverted-u";

export interface LadderSpec {
	metric: SimMetric;
	models: number;
	examples: number;
	axis: SimAxis;
	shape: Shape;
	/** Linear: the total change from the first to the last condition; shapes: the depth at the middle. In metric units (accuracy, nats), worse-positive. */
	effect: number;
	/**
	 * How much the examples share: the latent correlation of two models' answers to one example
	 * (binary), or the SD of the shared difficulty in nats (loss). 0 makes every answer independent.
	 */
	shared: number;
	/** Accuracy (binary) or loss (nats) at the middle of the ladder. */
	level: number;
	/** SD of each model's own offset from the trend (model-to-model scatter); 0 for a clean ladder. */
	scatter?: number;
}

/** Defaults of a realistic ladder: accuracy 0.7 with latent correlation 0.5; loss 1.5 nats with shared SD 0.8. */
export function defaultSpec(
	metric: SimMetric,
	models: number,
	examples: number,
	axis: SimAxis,
	shape: Shape = "linear",
	effect = 0,
): LadderSpec {
	return {
		metric,
		models,
		examples,
		axis,
		shape,
		effect,
		shared: metric === "correct" ? 0.5 : 0.8,
		level: metric === "correct" ? 0.7 : 1.5,
	};
}

/** SD of each model's own per-example loss noise, nats. */
const LOSS_NOISE_SD = 0.4;

/** The ladder's positions on the fitted scale (log10 x, or log2(1 + x) for budgets and shots). */
export function scalePositions(axis: SimAxis, models: number): number[] {
	const scale = axis === "budget" || axis === "shots" ? "log2p1" : "log10";
	return axisPositions(axis, models).map((v) => toScale(scale, v));
}

/** Span of the fitted scale from the first to the last condition: a total change Δ is a slope of Δ / span. */
export function scaleSpan(axis: SimAxis, models: number): number {
	const t = scalePositions(axis, models);
	return t[t.length - 1] - t[0];
}

/** The expected value of each model (metric units), in ladder order. */
export function trueMeans(spec: LadderSpec, x: readonly number[], rng?: Prng): number[] {
	const t = scalePositions(spec.axis, x.length);
	const u = t.map((v) => (v - t[0]) / (t[t.length - 1] - t[0]));
	// Accuracy falls when things get worse; loss rises.
	const worseSign = spec.metric === "correct" ? -1 : 1;
	return u.map((ui) => {
		const worse =
			spec.shape === "linear"
				? spec.effect * (ui - 0.5)
				: (spec.shape === "u" ? 1 : -1) * spec.effect * (1 - (2 * ui - 1) ** 2);
		const off = spec.scatter && rng ? spec.scatter * rng.nextNormal() : 0;
		return spec.level + worseSign * worse + off;
	});
}

/** One simulated run of the ladder, as `analyzeRun` reads it. */
export function simulateRun(spec: LadderSpec, seed: number): RunInput {
	const rng = createPrng(seed);
	const x = axisPositions(spec.axis, spec.models);
	const means = trueMeans(spec, x, rng);
	const n = spec.examples;
	const index = Array.from({ length: n }, (_, i) => i);
	const shared = Array.from({ length: n }, () => rng.nextNormal());
	const columns = means.map((mean) => {
		const values = new Array<number>(n);
		if (spec.metric === "correct") {
			const p = Math.min(1, Math.max(0, mean));
			const threshold = normalQuantile(p);
			const a = Math.sqrt(spec.shared);
			const b = Math.sqrt(1 - spec.shared);
			for (let e = 0; e < n; e++) values[e] = a * shared[e] + b * rng.nextNormal() < threshold ? 1 : 0;
		} else {
			// A right-skewed difficulty with mean 0 (lognormal, σ = 0.75, centred and scaled to SD 1).
			const center = Math.exp(0.28125);
			const sd = Math.sqrt((Math.exp(0.5625) - 1) * Math.exp(0.5625));
			for (let e = 0; e < n; e++) {
				const difficulty = (Math.exp(0.75 * shared[e]) - center) / sd;
				values[e] = mean + spec.shared * difficulty + LOSS_NOISE_SD * rng.nextNormal();
			}
		}
		return values;
	});
	const coordsOf = (v: number): Coordinates =>
		spec.axis === "params"
			? { parameters: v }
			: spec.axis === "step"
				? { step: v }
				: spec.axis === "budget"
					? { budget: v }
					: { shots: v };
	return {
		task: {
			name: "simulated",
			type: spec.metric === "correct" ? "classification" : "sequence_prob",
			typeName: spec.metric === "correct" ? "classification_acc" : "sequence_prob",
			examples: n,
		},
		plotted: spec.metric,
		models: x.map((v, m) => ({
			name: `m${m}`,
			family: "simulated",
			...(spec.axis === "params" && { parameters: v }),
			coords: coordsOf(v),
			status: "ok" as const,
			columns: spec.metric === "correct" ? { index, correct: columns[m] } : { index, loss: columns[m] },
		})),
	};
}
