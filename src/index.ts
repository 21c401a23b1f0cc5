/** @module The public programmatic API of invscale: what the CLI and the web app are built on. */
export { analyzeRun } from "./analysis/index.js";
export type * from "./analysis/types.js";
export { openAnthropicBackend } from "./backends/anthropic/index.js";
export { createCachedBackend } from "./backends/cached.js";
export { openLlamaBackend } from "./backends/llama/backend.js";
export { openOpenAIBackend } from "./backends/openai/index.js";
export type * from "./backends/types.js";
export { BackendError } from "./backends/types.js";
export { type Condition, conditionsOf } from "./engine/conditions.js";
export { EvalSetupError, runEval } from "./engine/run-eval.js";
export type { ShotsOptions } from "./engine/shot-variants.js";
export type * from "./engine/types.js";
export { ensureModelFile, ladderFromModelPaths, listLadders, resolveLadder } from "./ladders/index.js";
export type * from "./ladders/types.js";
export { isRemoteSource } from "./ladders/types.js";
export { writeReport } from "./report/index.js";
export * from "./run/conditions.js";
export * from "./run/manifest.js";
export { upgradeRunManifest, upgradeRunSummary } from "./run/read-manifest.js";
export { openStore } from "./store/index.js";
export {
	canonicalType,
	formatDiagnostic,
	parsePythonList,
	plottedMetric,
	readTask,
	readTaskText,
	validateTask,
	validateTaskText,
} from "./tasks/index.js";
export type * from "./tasks/types.js";
export { version } from "./version.js";
