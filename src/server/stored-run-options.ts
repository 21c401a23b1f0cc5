/**
 * @module What the web app saves with each run so it can start it again after a restart, with a
 * version: options saved by earlier versions (no `version` field) are read into today's shape, so
 * their runs still resume.
 */
import { conditionsOf } from "../engine/conditions.js";
import type { ShotsOptions } from "../engine/shot-variants.js";
import type { GenerationOptions } from "../generation/types.js";
import type { LadderModel } from "../ladders/index.js";
import type { CatalogProvenance } from "../run/manifest.js";
import type { TaskTypeName } from "../tasks/types.js";
import type { LadderChoice } from "./ladder-sources.js";

/** Version 1: the first saved shape, without a version field and without conditions (`catalog` came later, optional). */
export interface StoredRunOptionsV1 {
	taskName: string;
	uploadId: string;
	/** The uploaded task file on the server. */
	taskFile: string;
	/** For a task from the prize catalog: its provenance, written into run.json. */
	catalog?: CatalogProvenance;
	type?: TaskTypeName;
	choice: LadderChoice;
	ladderName: string;
	models: LadderModel[];
}

/** Version 2: the conditions beyond the ladder (a few-shot sweep, reasoning budgets) are saved too. */
export interface StoredRunOptions extends StoredRunOptionsV1 {
	version: 2;
	shots?: ShotsOptions;
	/** Evaluate by generation (reasoning budgets), as `invscale eval --budgets`. */
	generation?: GenerationOptions;
}

/** Saved options of any version as today's shape. Throws on something that is neither. */
export function readStoredRunOptions(saved: unknown): StoredRunOptions {
	const value = saved as Partial<StoredRunOptions> | null;
	if (
		value === null ||
		typeof value !== "object" ||
		typeof value.taskName !== "string" ||
		typeof value.taskFile !== "string" ||
		!Array.isArray(value.models)
	)
		throw new TypeError("saved run options are not those of an evaluation run");
	if (value.version === undefined) return { ...(value as StoredRunOptionsV1), version: 2 };
	if (value.version === 2) return value as StoredRunOptions;
	throw new TypeError(`saved run options have version ${String(value.version)}; this invscale reads 1 and 2`);
}

/** The names of the run's conditions (a model's name, or `<model>-<k>shot`, `<model>-budget<B>` in a sweep). */
export function conditionNames(options: StoredRunOptions): string[] {
	return conditionsOf(options.models, {
		shots: options.shots?.values,
		budgets: options.generation?.budgets,
	}).map((c) => c.name);
}
