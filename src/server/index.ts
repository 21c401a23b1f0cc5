/** @module The web app's server: `startServer` and what the CLI and tests need around it. */
export { classShares, exampleProbabilities, logSumExp } from "./class-probabilities.js";
export { type ExampleRow, type ExampleTable, exampleTable, exampleTableCsv } from "./example-table.js";
export type { RunView, StoredRunOptions } from "./run-manager.js";
export { applyEvent, initialProgress, type RunProgress } from "./run-progress.js";
export { resolveInside } from "./safe-path.js";
export {
	type AppServer,
	defaultMaxUploadBytes,
	defaultPort,
	pathSegments,
	type ServerOptions,
	ServerOptionsError,
	startServer,
} from "./server.js";
export { spreadsheetCell, spreadsheetCsv } from "./spreadsheet-csv.js";
