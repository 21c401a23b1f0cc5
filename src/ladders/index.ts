/** @module Ladders: reading ladder files and the catalog, resolving `--ladder`, fetching model files. */
export { catalogEntries, catalogLadder, catalogLadders, catalogSubsets } from "./catalog.js";
export { checkpointCoordinates, isPythia, revisionOf, stepOfRevision } from "./checkpoints.js";
export {
	type DownloadProgress,
	type EnsureModelFileOptions,
	ensureModelFile,
} from "./download.js";
export { ensureLadderFiles, type LadderFileResult } from "./ensure-ladder.js";
export { LadderError, type LadderErrorCode } from "./errors.js";
export { ladderFromModelPaths } from "./from-paths.js";
export { hubSettings } from "./hub-settings.js";
export { loadLadderFile } from "./ladder-file.js";
export { type ListedLadder, type ListedModel, listLadders } from "./listing.js";
export { type ModelFileState, modelFileState } from "./local-files.js";
export { formatCount, parseCount } from "./numbers.js";
export { type ResolveLadderOptions, resolveLadder, selectModels } from "./resolve.js";
export type { Ladder, LadderModel, ModelSource } from "./types.js";
export { defaultLaddersConfig, loadUserLadders } from "./user-ladders.js";
