/**
 * @module Runs study cells on worker threads (one per core, at most `workers`), largest first, or
 * in this thread when one worker is asked for. Results come back in job order.
 */
import { Worker } from "node:worker_threads";
import { type CellCounts, type CellJob, runCell } from "./cells.js";

/** Work of a job, for ordering: examples × models × replicates × runs. */
const cost = (j: CellJob) => j.spec.examples * j.spec.models * j.replicates * j.runs;

export async function runCells(jobs: readonly CellJob[], workers: number): Promise<CellCounts[]> {
	if (workers <= 1 || jobs.length <= 1) return jobs.map(runCell);
	const results: CellCounts[] = new Array(jobs.length);
	const order = jobs.map((_, i) => i).sort((a, b) => cost(jobs[b]) - cost(jobs[a]));
	let next = 0;
	const one = (): Promise<void> =>
		new Promise((resolve, reject) => {
			const worker = new Worker(new URL("./worker.js", import.meta.url));
			const feed = () => {
				if (next >= order.length) {
					void worker.terminate().then(() => resolve());
					return;
				}
				const i = order[next++];
				worker.postMessage({ i, job: jobs[i] });
			};
			worker.on("message", (m: { i: number; result: CellCounts }) => {
				results[m.i] = m.result;
				feed();
			});
			worker.on("error", reject);
			feed();
		});
	await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, one));
	return results;
}
