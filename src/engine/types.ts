/**
 * @module The programmatic API of a run: what the CLI and the web server both call. The engine
 * emits events and never draws anything itself.
 */
import type { Backend } from "../backends/types.js";
import type { GenerationOptions } from "../generation/types.js";
import type { LadderModel } from "../ladders/types.js";
import type {
	BoundaryMode,
	CatalogProvenance,
	Precision,
	RunSummary,
	TruncateMode,
} from "../run/manifest.js";
import type { Diagnostic, TaskTypeName } from "../tasks/types.js";
import type { ShotsOptions } from "./shot-variants.js";

export interface EvalOptions {
	/** Task files (.csv / .jsonl). */
	tasks: string[];
	/** Catalog provenance of task files that came from the prize catalog, by file path (for run.json). */
	taskProvenance?: Record<string, CatalogProvenance>;
	/** Models in any order; the engine runs them smallest first. */
	models: LadderModel[];
	/**
	 * A few-shot sweep: every model scores the task with each number of demonstrations, each a
	 * condition of its own (`<model>-<k>shot`). Absent: the task as written.
	 */
	shots?: ShotsOptions;
	ladderName?: string;
	/** Each task writes into `<outDir>/<task name>/`. */
	outDir: string;
	type?: TaskTypeName;
	/** Default "strict". */
	boundary?: BoundaryMode;
	/** Default "none". */
	truncate?: TruncateMode;
	/** Default "fast". */
	precision?: Precision;
	/** Path of the SQLite store used as score cache; false disables caching. Default: under INVSCALE_HOME. */
	store?: string | false;
	/** Write report.html / report.json at the end. Default true. */
	report?: boolean;
	/** Never touch the network: models must already be on disk. */
	offline?: boolean;
	/** Examples scored at once per model (default: what the backend serves at once). */
	concurrency?: number;
	/** Opens a model's backend instead of the engine (programmatic use, tests): undefined falls back to the engine's. */
	openBackend?: (model: LadderModel) => Promise<Backend | undefined>;
	/** Evaluate by generation: one condition per model and reasoning budget, answers read and graded. */
	generation?: GenerationOptions;
	signal?: AbortSignal;
}

export type EvalEvent =
	| { type: "validated"; task: string; file: string; errors: Diagnostic[]; warnings: Diagnostic[] }
	/** `models`: the names of the run's conditions, in scoring order (a model's name when it has one). */
	| { type: "task-start"; task: string; dir: string; examples: number; models: string[] }
	/** From here on, `model` is a condition's name. */
	| { type: "model-start"; task: string; model: string; index: number; total: number; examples: number }
	| {
			type: "progress";
			task: string;
			model: string;
			done: number;
			total: number;
			tokens: number;
			elapsedMs: number;
			/** Remote backends: retries so far and current concurrency. */
			retries?: number;
			concurrency?: number;
	  }
	| {
			type: "download";
			model: string;
			file: string;
			bytes: number;
			total: number | undefined;
			bytesPerSecond: number;
			etaSeconds: number | undefined;
	  }
	| { type: "model-end"; task: string; model: string; status: "ok" | "failed"; error?: string }
	| { type: "task-end"; task: string; dir: string; summary: RunSummary }
	| { type: "log"; level: "info" | "warn"; message: string };

export interface EvalOutcome {
	status: "complete" | "partial" | "failed" | "cancelled" | "invalid";
	tasks: { name: string; dir: string; summary?: RunSummary }[];
}

export type EvalEventListener = (event: EvalEvent) => void;
