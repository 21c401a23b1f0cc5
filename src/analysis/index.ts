/** @module Analysis: pure statistics of runs and summary tables (no I/O). */

export { createPrng } from "../util/prng.js";
export { analyzeAlong } from "./along.js";
export { type AxisSpec, axisSpec, defaultXAxis, X_AXES, type XAxis, xAxisLabel, xValue } from "./axis.js";
export {
	DEFAULT_REPLICATES,
	DEFAULT_SEED,
	pairedBootstrap,
	parametricBootstrap,
	type ReplicateMeans,
} from "./bootstrap.js";
export { type CombinedAnalysis, combineTasks, type TaskRow } from "./combine.js";
export { meanSe, percentileInterval } from "./descriptive.js";
export { type InteractionResult, sizeTrainingInteraction } from "./interaction.js";
export { invertValue, type MetricInfo, metricInfo } from "./metric.js";
export { benjaminiHochberg, bhRejections } from "./multiple.js";
export { knownModel, prizeModels } from "./prize-sizes.js";
export { fitLine, fitQuadratic } from "./regression.js";
export { analyzeRun, resolveOptions } from "./run.js";
export { spearmanRho, spearmanTest } from "./spearman.js";
export { analyzeSummaryTable, type SummaryRow } from "./table.js";
export { analyzeTables, type TablesAnalysis } from "./tables.js";
export { analyzeTrend, type Interval, type TrendResult, type VerdictKind, verdictLabel } from "./trend.js";
export type * from "./types.js";
