/** @module Task files: reading, validating and describing them (the API the engine, CLI and web app call). */
export { type CardText, cardFieldSchemas, requiredCardKeys, taskOfCard } from "./card.js";
export { columnAliases, requiredColumns } from "./columns.js";
export { defaultMaxDiagnostics, formatDiagnostic, shortenValue } from "./diagnostics.js";
export { formatValidation, type ValidationJson, validationJson } from "./format.js";
export {
	readTask,
	readTaskText,
	type TaskReadOptions,
	type TaskTextOptions,
	validateTask,
	validateTaskText,
} from "./load.js";
export { type PythonListItem, type PythonListResult, parsePythonList } from "./python-list.js";
export { minimumExamples } from "./task-checker.js";
export { canonicalType, isTaskTypeName, plottedMetric, taskTypeNames } from "./type-names.js";
export type * from "./types.js";
