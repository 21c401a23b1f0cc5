/** @module Fetching every model file of a ladder in turn (servers have none), for `pull` and runs. */
import { type EnsureModelFileOptions, ensureModelFile } from "./download.js";
import { modelFileState } from "./local-files.js";
import { isRemoteSource, type Ladder, type LadderModel } from "./types.js";

export type LadderFileResult =
	| {
			kind: "file";
			model: LadderModel;
			path: string /** Whether it was downloaded by this call. */;
			downloaded: boolean;
	  }
	| { kind: "server"; model: LadderModel };

/**
 * Ensures each model's file is on disk, in ladder order, and stops at the first failure
 * (a LadderError from `ensureModelFile`). `onModelDone` is called after each model.
 */
export async function ensureLadderFiles(
	ladder: Ladder,
	options: EnsureModelFileOptions & { onModelDone?(result: LadderFileResult): void } = {},
): Promise<LadderFileResult[]> {
	const results: LadderFileResult[] = [];
	for (const model of ladder.models) {
		let result: LadderFileResult;
		if (isRemoteSource(model.source)) result = { kind: "server", model };
		else {
			const wasPresent = modelFileState(model, options.env).kind === "present";
			const path = await ensureModelFile(model, { ladder: ladder.name, ...options });
			result = { kind: "file", model, path, downloaded: !wasPresent };
		}
		results.push(result);
		options.onModelDone?.(result);
	}
	return results;
}
