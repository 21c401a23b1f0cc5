/**
 * @module The files of one task's run directory and the documented shape of `run.json` and
 * `summary.json`. The engine writes them; analysis, the report and the web app read them.
 */
import type { BackendInfo } from "../backends/types.js";
import type { TaskType, TaskTypeName } from "../tasks/types.js";
import type { ConditionSettings, Coordinates } from "./conditions.js";

export const RUN_SCHEMA = "invscale.run/2";
export const SUMMARY_SCHEMA = "invscale.summary/2";
/** Earlier schemas, still read (see `read-manifest.ts`). */
export const RUN_SCHEMA_V1 = "invscale.run/1";
export const SUMMARY_SCHEMA_V1 = "invscale.summary/1";

/** File names inside one task's run directory (the prize layout plus invscale's own files). */
export const runFiles = {
	manifest: "run.json",
	summary: "summary.json",
	labelled: "labelled_data.jsonl",
	report: "report.html",
	reportJson: "report.json",
	/** `<model>.csv`: the prize's per-example columns. */
	modelCsv: (model: string) => `${model}.csv`,
	/** `details/<model>.jsonl`: raw per-class log-probs and token counts behind every row. */
	modelDetails: (model: string) => `details/${model}.jsonl`,
} as const;

export type BoundaryMode = "strict" | "lenient";
export type TruncateMode = "none" | "left";
export type Precision = "fast" | "exact";

/**
 * One condition of a run: a ladder entry (its model) under the settings that change what is
 * scored, placed on every axis it is known on. Several conditions may share one model (a few-shot
 * sweep scores each model at every k); the engine opens that model once for all of them.
 */
export interface RunModel {
	/** The condition's name (`conditionName()`), used for files and tables; unique within a run. */
	name: string;
	/** The ladder entry's name; several conditions may share it. */
	model: string;
	family: string;
	/** Where it came from: a file path, `hf:` URI or `openai:` endpoint description (never a key). */
	source: string;
	/** What the condition changes beyond the model: revision, shots (absent when nothing). */
	settings?: ConditionSettings;
	/** Where the condition sits on each axis it is known on (`coordinatesOf`). */
	coords: Coordinates;
	/** The task file this condition scored, relative to the run directory (absent: the data copy). */
	data?: string;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	/** Training step of the checkpoint, when the ladder gives it. */
	step?: number;
	/** Filled once the backend is loaded. */
	info?: BackendInfo;
	status: "pending" | "running" | "ok" | "failed";
	error?: string;
	startedAt?: string;
	endedAt?: string;
	/** Examples with results written. */
	examplesScored: number;
	/** Tokens pushed through the model by this run (BOS included; cache hits excluded). */
	tokensEvaluated: number;
	/** Backend requests (one context each) that reached the model in this run. */
	backendCalls?: number;
	/** Scores (continuations or next-token candidates) answered from the cache in this run. */
	cacheHits?: number;
	/** How class/completion token boundaries were found, e.g. `offsets-strict`. */
	boundaryMethod?: string;
	/** Rows whose prompt was cut from the left to fit the context (with `--truncate left`). */
	truncatedRows?: number[];
	/** Context tokens of this condition's requests that repeat a demonstration block shared with other rows. */
	sharedPrefixTokens?: number;
}

/**
 * How the demonstrations of a few-shot sweep were drawn. One order of the task's examples is
 * drawn with `seed`; the k-shot block is its first k examples, the same for every row and every
 * model. A row that is itself in the block has it replaced, at its position, by the (k+1)-th.
 */
export interface ShotsRecord {
	/** The k of every condition, ascending. */
	values: number[];
	seed: number;
	/** Put after each demonstration, between it and the next (or the prompt). */
	separator: string;
	/** Per k > 0: the built task file and its draws. */
	draws: ShotDraws[];
}

export interface ShotDraws {
	shots: number;
	/** The built task file (prize format), relative to the run directory. */
	file: string;
	/** Example indices of the shared block, in the order they appear. */
	demonstrations: number[];
	/** Rows that are in the block: the demonstration at `position` is `by` instead of themselves. */
	replacements: Array<{ example: number; position: number; by: number }>;
}

export interface RunManifest {
	schema: typeof RUN_SCHEMA;
	invscaleVersion: string;
	task: {
		name: string;
		/** The task file as given on the command line. */
		file: string;
		/** The copy of the data inside the run directory. */
		dataCopy: string;
		sha256: string;
		type: TaskType;
		typeName: TaskTypeName;
		examples: number;
		/** Card file beside the task, copied into the run directory when present. */
		card?: string;
		/** For a task from the prize catalog (`prize:NAME`): the catalog's hash beside the file's. */
		catalog?: CatalogProvenance;
	};
	options: {
		boundary: BoundaryMode;
		truncate: TruncateMode;
		precision: Precision;
		[key: string]: unknown;
	};
	ladder?: string;
	/** Present when the run swept the number of demonstrations. */
	shots?: ShotsRecord;
	/** The conditions, in the order they were scored. */
	models: RunModel[];
	startedAt: string;
	endedAt?: string;
	status: "running" | "complete" | "partial" | "failed" | "cancelled";
}

/** Where a catalog task came from and whether its bytes are the catalog's. */
export interface CatalogProvenance {
	catalog: "inverse-scaling-prize";
	/** The catalog name (`memo-trap`). */
	name: string;
	/** The release file name. */
	file: string;
	/** The hub file it was fetched from (`hf:datasets/owner/dataset/file`). */
	uri: string;
	/** The file's own sha256 and size. */
	sha256: string;
	bytes: number;
	/** The catalog's sha256 and size for the release file. */
	expectedSha256: string;
	expectedBytes: number;
	/** Both hash and size are the catalog's. */
	matches: boolean;
}

export interface MeanSe {
	mean: number;
	/** Population standard deviation / √n, as the prize; null when n < 2. */
	se: number | null;
	n: number;
}

export interface ModelSummary {
	/** The condition's name, as in run.json. */
	name: string;
	/** The ladder entry's name. */
	model: string;
	family: string;
	settings?: ConditionSettings;
	coords: Coordinates;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	step?: number;
	status: RunModel["status"];
	loss?: MeanSe;
	correct?: MeanSe;
	logodds_difference?: MeanSe;
	/** Chance baselines: mean(ln K) and mean(1/K); absent for sequence_prob and logodds. */
	chance?: { loss: number; accuracy: number };
	/** mean(exp(total_logprob)): share of probability mass on the classes. */
	coverage?: number;
}

export interface RunSummary {
	schema: typeof SUMMARY_SCHEMA;
	task: string;
	type: TaskType;
	typeName: TaskTypeName;
	plotted: "loss" | "correct" | "logodds_difference";
	models: ModelSummary[];
}

/**
 * One line of `details/<model>.jsonl`: the raw numbers behind a row of `<model>.csv`, so every
 * metric can be recomputed and the web app can show each class's probability.
 */
export interface ExampleDetails {
	index: number;
	/**
	 * classification: ℓ_k, the summed log-prob of each class; sequence_prob: [ℓ] of the completion;
	 * logodds: [log p(c0|prompt), log p(c1|prompt), log p(c0|other_prompt), log p(c1|other_prompt)].
	 */
	logprobs: number[];
	/** Token count of each scored continuation (classification/sequence_prob) or candidate. */
	tokens: number[];
	/** True when the prompt was cut from the left to fit the context window. */
	truncated?: boolean;
}
