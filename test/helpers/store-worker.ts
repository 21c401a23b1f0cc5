/**
 * @module A child process for store tests: scores requests through a cached fake backend, one call
 * per request, printing a line after each, then a JSON summary. Run with `node --import tsx`.
 *
 * Usage: store-worker.ts STORE_PATH WORKER_NAME REQUESTS [DELAY_MS]
 * With START_AT (epoch ms) in the environment it waits until then, so two workers overlap.
 */
import { createCachedBackend } from "../../src/backends/cached.js";
import { openStore } from "../../src/store/store.js";
import { createFakeBackend, fakeContinuationLogprobs, seq } from "./fake-backend.js";

const [path, worker, countText, delayText] = process.argv.slice(2);
const count = Number(countText);
const delayMs = Number(delayText ?? 0);

const startAt = Number(process.env.START_AT ?? 0);
if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));

const store = openStore(path!);
const inner = createFakeBackend();
const cached = createCachedBackend(inner, store.cache, "precision=fast");
let mismatches = 0;

async function pass(continuations: string[]): Promise<void> {
	for (let i = 0; i < count; i++) {
		const request = { context: seq(`Question ${i}:`), continuations: continuations.map(seq) };
		const [scores] = await cached.scoreContinuations([request]);
		request.continuations.forEach((continuation, c) => {
			const expected = fakeContinuationLogprobs(request.context.ids, continuation.ids);
			if (JSON.stringify(scores!.logprobs[c]) !== JSON.stringify(expected)) mismatches++;
		});
		process.stdout.write(`done ${i}\n`);
		if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
	}
}

// Writes its own continuation and a shared one, then reads everything either process may have written.
await pass([` by ${worker}`, " shared"]);
const afterWrites = { ...cached.cacheCounters, calls: inner.counters.calls };
await pass([" by a", " by b", " shared"]);
process.stdout.write(
	`${JSON.stringify({ worker, mismatches, afterWrites, total: { ...cached.cacheCounters, calls: inner.counters.calls } })}\n`,
);
store.close();
