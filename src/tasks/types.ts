/** @module Task types and examples: the shapes every other part of invscale reads tasks through. */

/** The four computations of the prize, and exact answers (asked by generation only). */
export type TaskType = "classification" | "sequence_prob" | "logodds" | "absolute_logodds" | "exact_answer";

/** Every spelling the prize accepted, including aliases and old names. */
export type TaskTypeName = TaskType | "classification_loss" | "classification_acc" | "single_word";

/** The per-example column that the prize plots for a task type name. */
export type PlottedMetric = "loss" | "correct" | "logodds_difference";

/** Cells of a row that are not part of the task's required columns, kept verbatim for outputs. */
export type ExtraColumns = Record<string, unknown>;

interface ExampleBase {
	/** 0-based row of the example in the task file (the prize's `index`). */
	index: number;
	/** 1-based physical line in the file where the row starts. */
	line: number;
	extra: ExtraColumns;
}

export interface ClassificationExample extends ExampleBase {
	kind: "classification";
	prompt: string;
	classes: string[];
	answerIndex: number;
}

export interface SequenceProbExample extends ExampleBase {
	kind: "sequence_prob";
	prompt: string;
	completion: string;
}

/** Both `logodds` and `absolute_logodds` rows. */
export interface LogoddsExample extends ExampleBase {
	kind: "logodds";
	prompt: string;
	otherPrompt: string;
	classes: [string, string];
	answerIndex: 0 | 1;
}

/** A question with one right answer (`answer`, or any of `aliases`); numbers compare as numbers. */
export interface ExactAnswerExample extends ExampleBase {
	kind: "exact_answer";
	prompt: string;
	answer: string;
	aliases: string[];
}

export type Example = ClassificationExample | SequenceProbExample | LogoddsExample | ExactAnswerExample;

export type Severity = "error" | "warning";

/** One problem found in a task file, located at its physical line and column (both 1-based). */
export interface Diagnostic {
	severity: Severity;
	/** Stable machine-readable code, e.g. `classes-parse`, `answer-out-of-range`. */
	code: string;
	file: string;
	line: number;
	column: number;
	/** 0-based example index, when the problem belongs to one row. */
	row?: number;
	/** The offending value, shortened for display. */
	value?: string;
	message: string;
	fix: string;
}

/** A 1-based place in a file: physical line and column in Unicode characters. */
export interface SourcePosition {
	line: number;
	column: number;
}

/**
 * A task card: the prize's submission form, read from `<task>.card.yaml` or from the YAML front
 * matter of `<task>.md`. Every field may be missing; validation warns about the missing ones.
 */
export interface TaskCard {
	name?: string;
	description?: string;
	/** What a correct answer looks like (the behaviour the task rewards). */
	correctBehaviour?: string;
	whyInverseScaling?: string;
	whyItMatters?: string;
	shots?: "zero-shot" | "few-shot";
	/** How the examples were made (templates, sources, filtering). */
	dataGeneration?: string;
	sources?: string[];
	licence?: string;
	authors?: string[];
	/** The task type, when the columns alone cannot say (e.g. `logodds` vs `absolute_logodds`). */
	type?: TaskTypeName;
}

/** Where a task's type came from: a caller's option (`--type`), its card, or its columns. */
export type TaskTypeSource = "option" | "card" | "columns" | "unresolved";

/** What a task file holds, counted while it is read. */
export interface TaskSummary {
	/** Data rows read (blank lines excluded), valid or not. */
	rows: number;
	/** Rows that became examples (rows without errors). */
	examples: number;
	/** Number of classes → number of examples with that many classes (empty for sequence_prob). */
	classCounts: Record<number, number>;
	/** `answerShare[i]`: the share (0–1) of examples whose answer index is `i` (empty for sequence_prob). */
	answerShare: number[];
	errorCount: number;
	warningCount: number;
	/** Diagnostics counted but not kept (beyond the per-file limit), by code. */
	omitted: Record<string, number>;
}

/** The result of validating a task file without keeping its examples. */
export interface ValidationResult {
	file: string;
	/** Base name of the file without its extension. */
	name: string;
	/**
	 * The computation the task uses. Meaningful only when `typeSource` is not `unresolved`; then
	 * `errors` says why no type fits and this holds the requested type or `classification`.
	 */
	type: TaskType;
	typeName: TaskTypeName;
	typeSource: TaskTypeSource;
	/** True when there are no errors (warnings allowed). */
	valid: boolean;
	/** The first diagnostics of each severity (50 by default); the rest are counted in `summary`. */
	errors: Diagnostic[];
	warnings: Diagnostic[];
	summary: TaskSummary;
	card?: TaskCard;
	cardFile?: string;
}

/** A task read into memory: its validation plus every valid example in file order. */
export interface LoadedTask extends ValidationResult {
	examples: Example[];
}
