/** @module The input of an analysis (numbers already read from disk) and the shape of its result. */
import type { ConditionSettings, Coordinates } from "../run/conditions.js";
import type { RunModel } from "../run/manifest.js";
import type { PlottedMetric, TaskType, TaskTypeName } from "../tasks/types.js";
import type { AxisScale, XAxis } from "./axis.js";
import type { GroupDimension } from "./groups.js";
import type { InteractionResult } from "./interaction.js";
import type { DesignPower } from "./power.js";
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

/**
 * A condition as run.json describes it (its model's sizes, status, error; in version 2 runs also
 * the ladder entry it runs, its settings and its coordinates), plus its provenance and columns.
 */
export interface ModelInput
	extends Pick<
		RunModel,
		"name" | "family" | "parameters" | "nonEmbeddingParameters" | "trainingTokens" | "status" | "error"
	> {
	/** The ladder entry the condition runs (shared by the conditions of one model). */
	model?: string;
	settings?: ConditionSettings;
	/** Where the condition sits on every axis it is known on; derived from the sizes when absent. */
	coords?: Coordinates;
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
	/** Half-width of the flat band in metric units per unit of the axis' scale; default per metric (see metric.ts). */
	flatBand?: number;
	/** Dimensions to draw one trend per value of; default: those crossed with the axis. */
	groupBy?: GroupDimension[];
	/** How many changed examples to list. Default 8. */
	topExamples?: number;
	/** Monte Carlo permutations of Spearman's test past 9 models (it never enters the verdict). Default 100,000. */
	permutations?: number;
}

export type ResolvedOptions = Required<Omit<AnalysisOptions, "flatBand" | "groupBy" | "permutations">> & {
	flatBand?: number;
	groupBy?: GroupDimension[];
	permutations?: number;
};

export interface ModelPoint {
	name: string;
	family: string;
	status: RunModel["status"];
	error?: string;
	identity?: string;
	/** The ladder entry of the condition, when known. */
	model?: string;
	coords: Coordinates;
	/** The label of the condition's group, when the analysis has groups. */
	group?: string;
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

/** The trend of one group: the conditions of one family sharing their values on the grouping dimensions. */
export interface GroupTrend {
	label: string;
	family: string;
	values: Partial<Record<GroupDimension, number>>;
	trend: TrendResult;
}

/** The axis an analysis is along, how it is scaled and grouped, and its verdict in one sentence. */
export interface AlongView {
	axis: XAxis;
	label: string;
	scale: AxisScale;
	/** One unit of the scale the slopes are in: "decade", "doubling of 1 + shots". */
	unit: string;
	groupBy: GroupDimension[];
	/** The verdict naming the axis and, with groups, which groups are inverse. */
	statement: string;
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
	along: AlongView;
	/** One trend per group when other coordinates vary with the axis (empty otherwise). */
	groups: GroupTrend[];
	/** The size × training-tokens interaction (Michaelov & Bergen), when the conditions form such a grid. */
	interaction: InteractionResult | null;
	/** Families (with ≥ 2 sized models) whose verdict is inverse, of all such families. */
	generality: { inverse: number; families: number } | null;
	/** The power the design had for the slope of the pooled trend; null without a bootstrap spread. */
	power: DesignPower | null;
	flags: Flag[];
}

export interface ExampleChange {
	index: number;
	/** Change of the plotted metric from the low to the high end of the axis, in "worse" units (> 0: got worse). */
	worsening: number;
	/** The condition at the low end of the axis (smallest model, earliest checkpoint, fewest shots). */
	low: { model: string; value: number; predicted?: string };
	high: { model: string; value: number; predicted?: string };
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

/**
 * Version 2: analyses along any axis (`along`, `groups`, `interaction` per metric; coordinates per
 * point); the changes compare the `low` and `high` ends of the axis (version 1: smallest, largest).
 */
export interface RunAnalysis {
	schema: "invscale.analysis/2";
	/** The two ends of the axis the changes compare, e.g. "smallest model" and "largest model". */
	ends: { low: string; high: string };
	task: RunInput["task"];
	options: ResolvedOptions;
	/** The metric the prize plots for this task type. */
	plotted: PlottedMetric;
	/** One analysis per available metric; the plotted one first. */
	metrics: MetricAnalysis[];
	changes: ExampleChange[];
	rubric: Rubric;
}
