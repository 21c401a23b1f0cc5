/**
 * @module The files of one task's run directory and the documented shape of `run.json` and
 * `summary.json`. The engine writes them; analysis, the report and the web app read them.
 */
import type { BackendInfo } from "../backends/types.js";
import type { TaskType, TaskTypeName } from "../tasks/types.js";

export const RUN_SCHEMA = "invscale.run/1";
export const SUMMARY_SCHEMA = "invscale.summary/1";

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

/** How a model enters a run: what the ladder said about it plus what its backend reports. */
export interface RunModel {
	/** Name used for files and tables; unique within a run. */
	name: string;
	family: string;
	/** Where it came from: a file path, `hf:` URI or `openai:` endpoint description (never a key). */
	source: string;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
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
	name: string;
	family: string;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
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
