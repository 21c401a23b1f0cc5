/**
 * @module Bootstrap replicates of every model's mean. Paired: each replicate resamples example
 * indices once and applies the same indices to every model, so differences between models keep
 * their per-example correlation. Parametric: draws each mean from Normal(mean, se) when only a
 * summary table is known.
 */
import { createPrng } from "../util/prng.js";

/** Replicate means, replicate-major: `means[r * models + m]`. */
export interface ReplicateMeans {
	replicates: number;
	models: number;
	means: Float64Array;
	kind: "paired" | "parametric";
	seed: number;
}

export const DEFAULT_REPLICATES = 10_000;
export const DEFAULT_SEED = 20_221_007;
/** Confidence level of every interval, so 1 − level is the α of the verdicts' two-sided tests. */
export const DEFAULT_LEVEL = 0.95;

/**
 * Paired bootstrap of the means of `models` columns over `examples` rows. `values` is
 * example-major (`values[e * models + m]`) so one drawn index reads one contiguous block.
 */
export function pairedBootstrap(
	values: Float64Array,
	examples: number,
	models: number,
	options: { replicates?: number; seed?: number } = {},
): ReplicateMeans {
	if (values.length !== examples * models) {
		throw new RangeError(`values has ${values.length} entries; expected ${examples} × ${models}`);
	}
	const replicates = options.replicates ?? DEFAULT_REPLICATES;
	const seed = options.seed ?? DEFAULT_SEED;
	const prng = createPrng(seed);
	const means = new Float64Array(replicates * models);
	const sums = new Float64Array(models);
	const drawn = new Int32Array(examples);
	for (let r = 0; r < replicates; r++) {
		sums.fill(0);
		prng.fillInts(drawn, examples);
		for (let k = 0; k < examples; k++) {
			const base = drawn[k] * models;
			for (let m = 0; m < models; m++) sums[m] += values[base + m];
		}
		const out = r * models;
		for (let m = 0; m < models; m++) means[out + m] = sums[m] / examples;
	}
	return { replicates, models, means, kind: "paired", seed };
}

/**
 * Parametric bootstrap from per-model means and standard errors (normal approximation; draws
 * are independent across models since no pairing is known). A null se draws the mean itself.
 */
export function parametricBootstrap(
	meanValues: readonly number[],
	ses: readonly (number | null)[],
	options: { replicates?: number; seed?: number } = {},
): ReplicateMeans {
	const replicates = options.replicates ?? DEFAULT_REPLICATES;
	const seed = options.seed ?? DEFAULT_SEED;
	const models = meanValues.length;
	const prng = createPrng(seed);
	const means = new Float64Array(replicates * models);
	for (let r = 0; r < replicates; r++) {
		for (let m = 0; m < models; m++) {
			const se = ses[m] ?? 0;
			means[r * models + m] = meanValues[m] + se * prng.nextNormal();
		}
	}
	return { replicates, models, means, kind: "parametric", seed };
}

/** The replicate means of one model as its own array. */
export function replicateColumn(rep: ReplicateMeans, model: number): Float64Array {
	const out = new Float64Array(rep.replicates);
	for (let r = 0; r < rep.replicates; r++) out[r] = rep.means[r * rep.models + model];
	return out;
}
