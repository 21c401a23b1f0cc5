/** @module The SQLite store: score cache, run registry and their administration. */
export {
	type CacheStats,
	type ClearResult,
	cacheStats,
	clearCache,
	countEntries,
	type ModelCacheStats,
	type ModelRef,
	matchModels,
} from "./cache-admin.js";
export { type CacheScope, cacheScope, EntryKind, tokenizerDescriptor } from "./cache-keys.js";
export type { Migration } from "./migrations.js";
export {
	finishedRunStatuses,
	type NewRun,
	type RunRecord,
	RunRegistry,
	type RunStatus,
	type RunUpdate,
	runStatuses,
} from "./runs.js";
export { type CacheEntry, ScoreCache } from "./score-cache.js";
export { type OpenStoreOptions, openStore, type Store, StoreError } from "./store.js";
