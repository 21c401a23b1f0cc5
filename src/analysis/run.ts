/** @module `analyzeRun`: every statistic of one task's run, from numbers already in memory. */
import type { PlottedMetric } from "../tasks/types.js";
import { axisSpec, defaultXAxis } from "./axis.js";
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED } from "./bootstrap.js";
import { largestChanges } from "./changes.js";
import { analyzeMetric, coordsOfInput } from "./metric-analysis.js";
import { rubricOf } from "./rubric.js";
import type { AnalysisOptions, ResolvedOptions, RunAnalysis, RunInput } from "./types.js";

export function resolveOptions(options: AnalysisOptions = {}): ResolvedOptions {
	const replicates = options.replicates ?? DEFAULT_REPLICATES;
	if (!Number.isInteger(replicates) || replicates < 1)
		throw new RangeError(`replicates must be a positive integer, got ${replicates}`);
	const level = options.level ?? DEFAULT_LEVEL;
	if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1, got ${level}`);
	return {
		x: options.x ?? "params",
		groupBy: options.groupBy,
		invert: options.invert ?? false,
		seed: options.seed ?? DEFAULT_SEED,
		replicates,
		level,
		flatBand: options.flatBand,
		topExamples: options.topExamples ?? 8,
		...(options.permutations !== undefined && { permutations: options.permutations }),
	};
}

/** The metrics a task type produces, the prize's plotted one first. */
export function metricsOf(input: RunInput): PlottedMetric[] {
	const all: PlottedMetric[] =
		input.task.type === "classification"
			? ["loss", "correct"]
			: input.task.type === "sequence_prob"
				? ["loss"]
				: ["logodds_difference", "correct"];
	const present = all.filter((m) => input.models.some((model) => model.columns?.[m] !== undefined));
	return [input.plotted, ...present.filter((m) => m !== input.plotted)];
}

export function analyzeRun(input: RunInput, options: AnalysisOptions = {}): RunAnalysis {
	// Without an axis asked for, the run is analysed along the coordinate its conditions vary in.
	const resolved = resolveOptions({
		...options,
		x: options.x ?? defaultXAxis(input.models.map(coordsOfInput)),
	});
	const metrics = metricsOf(input).map((m) => analyzeMetric(input, m, resolved));
	const primary = metrics[0];
	return {
		schema: "invscale.analysis/2",
		task: input.task,
		options: resolved,
		plotted: input.plotted,
		metrics,
		ends: { low: axisSpec(resolved.x).low, high: axisSpec(resolved.x).high },
		changes: largestChanges(input, primary, resolved.invert, resolved.topExamples),
		rubric: rubricOf(input, primary, resolved),
	};
}
