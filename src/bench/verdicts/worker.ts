/** @module Worker thread of the verdict study: runs the cells it is sent and posts their counts back. */
import { parentPort } from "node:worker_threads";
import { type CellJob, runCell } from "./cells.js";

parentPort?.on("message", (m: { i: number; job: CellJob }) => {
	parentPort?.postMessage({ i: m.i, result: runCell(m.job) });
});
