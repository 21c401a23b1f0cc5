/** @module The input of an analysis (numbers already read from disk) and the shape of its result. */
import type { RunModel } from "../run/manifest.js";
import type { PlottedMetric, TaskType, TaskTypeName } from "../tasks/types.js";
import type { XAxis } from "./axis.js";
import type { Interval, TrendResult, VerdictKind } from "./trend.js";

/** One model's per-example columns (the prize's `<model>.csv`), aligned on `index`. */
export interface ModelColumns {
	index: ArrayLike<number>;
	loss?: ArrayLike<number>;
	correct?: ArrayLike<number>;
	logodds_difference?: ArrayLike<number>;
	total_logprob?: ArrayLike<number>;
	predicted?: readonly string[];
}

/** A model as run.json describes it (sizes, status, error), plus its provenance and columns. */
export interface ModelInput
	extends Pick<
		RunModel,
		"name" | "family" | "parameters" | "nonEmbeddingParameters" | "trainingTokens" | "status" | "error"
	> {
	/** Provenance: file hash or endpoint|model|revision. */
	identity?: string;
	source?: string;
	/** Null when the model produced no rows. */
	columns: ModelColumns | null;
}

/** What the report shows of one example (from the data copy or labelled_data.jsonl). */
export interface ExampleText {
	prompt?: string;
	otherPrompt?: string;
	classes?: string[];
	answerIndex?: number;
	completion?: string;
}

export interface RunInput {
	task: {
		name: string;
		type: TaskType;
		typeName: TaskTypeName;
		examples: number;
		sha256?: string;
		file?: string;
	};
	plotted: PlottedMetric;
	models: ModelInput[];
	/** Number of classes of each example by index, for chance baselines (classification, logodds). */
	classCounts?: ReadonlyMap<number, number>;
	/** Fallback chance baselines (summary.json) when class counts are unknown. */
	chance?: { loss: number; accuracy: number };
	/** Example text by index, for the examples that changed most. */
	examples?: ReadonlyMap<number, ExampleText>;
}

export interface AnalysisOptions {
	/** Default "params". */
	x?: XAxis;
	/** The prize's invert option. Default false. */
	invert?: boolean;
	/** Default 20221007. */
	seed?: number;
	/** Default 10,000. */
	replicates?: number;
	/** Confidence level of intervals. Default 0.95. */
	level?: number;
	/** Half-width of the flat band in metric units per decade; default per metric (see metric.ts). */
	flatBand?: number;
	/** How many changed examples to list. Default 8. */
	topExamples?: number;
}

export type ResolvedOptions = Required<Omit<AnalysisOptions, "flatBand">> & { flatBand?: number };

export interface ModelPoint {
	name: string;
	family: string;
	status: RunModel["status"];
	error?: string;
	identity?: string;
	/** The x value on the chosen axis; null when unknown (then the model is not in the trend). */
	x: number | null;
	inTrend: boolean;
	/** Why the model is not in the trend. */
	excluded?: string;
	mean: number | null;
	/** Population SD / √n; null for n < 2. */
	se: number | null;
	n: number;
	/** Percentile bootstrap interval of the mean (over the examples shared by all models in the trend). */
	interval: Interval | null;
	/** mean(exp(total_logprob)); null when the task type has no total_logprob. */
	coverage: number | null;
}

export interface FamilyTrend {
	family: string;
	trend: TrendResult;
}

export interface Flag {
	code:
		| "near-chance"
		| "low-coverage"
		| "few-examples"
		| "failed-models"
		| "dropped-examples"
		| "size-unknown"
		| "spearman-floor"
		| "non-finite";
	message: string;
}

export interface MetricAnalysis {
	metric: PlottedMetric;
	/** The values went through the prize's invert transform. */
	inverted: boolean;
	models: ModelPoint[];
	/** Examples with a finite value for every model in the trend (the bootstrap resamples these). */
	examplesUsed: number;
	chance: number | null;
	trend: TrendResult;
	/** Only when the ladder has several families. */
	families: FamilyTrend[];
	/** Families (with ≥ 2 sized models) whose verdict is inverse, of all such families. */
	generality: { inverse: number; families: number } | null;
	flags: Flag[];
}

export interface ExampleChange {
	index: number;
	/** Change of the plotted metric from the smallest to the largest model, in "worse" units (> 0: got worse). */
	worsening: number;
	smallest: { model: string; value: number; predicted?: string };
	largest: { model: string; value: number; predicted?: string };
	text?: ExampleText;
}

export interface Rubric {
	strength: { verdict: VerdictKind; words: string };
	generality: { words: string };
	coverage: { minimum: number | null; words: string };
	size: { examples: number; words: string };
	reproducibility: {
		sha256?: string;
		seed: number;
		replicates: number;
		models: { name: string; identity?: string; source?: string }[];
		words: string;
	};
}

export interface RunAnalysis {
	schema: "invscale.analysis/1";
	task: RunInput["task"];
	options: ResolvedOptions;
	/** The metric the prize plots for this task type. */
	plotted: PlottedMetric;
	/** One analysis per available metric; the plotted one first. */
	metrics: MetricAnalysis[];
	changes: ExampleChange[];
	rubric: Rubric;
}
