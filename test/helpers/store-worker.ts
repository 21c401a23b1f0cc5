/**
 * @module A child process for store tests: scores requests through a cached fake backend, one call
 * per request, printing a line after each, then a JSON summary. Run with `node --import tsx`.
 *
 * Usage: store-worker.ts STORE_PATH WORKER_NAME REQUESTS [DELAY_MS]
 * With BARRIER_DIR and PEER in the environment it meets the worker named PEER twice: before
 * opening the store, and half-way through its writes, so the two processes' opening and writing
 * overlap for certain. The summary gives the time window of its writes (epoch ms).
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCachedBackend } from "../../src/backends/cached.js";
import { openStore } from "../../src/store/store.js";
import { createFakeBackend, fakeContinuationLogprobs, seq } from "./fake-backend.js";

const [path, worker, countText, delayText] = process.argv.slice(2);
const count = Number(countText);
const delayMs = Number(delayText ?? 0);
const barrierDir = process.env.BARRIER_DIR;
const peer = process.env.PEER;

/** Says this worker reached `stage`, then waits until the peer has too. */
async function meet(stage: string): Promise<void> {
	if (!barrierDir || !peer) return;
	writeFileSync(join(barrierDir, `${worker}-${stage}`), "");
	while (!existsSync(join(barrierDir, `${peer}-${stage}`))) await new Promise((r) => setTimeout(r, 5));
}

const now = () => performance.timeOrigin + performance.now();

await meet("loaded");
const store = openStore(path!);
const inner = createFakeBackend();
const cached = createCachedBackend(inner, store.cache, "precision=fast");
let mismatches = 0;

async function pass(continuations: string[], halfway?: () => Promise<void>): Promise<void> {
	for (let i = 0; i < count; i++) {
		if (i === Math.floor(count / 2)) await halfway?.();
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
const writes = { start: now(), end: 0 };
await pass([` by ${worker}`, " shared"], () => meet("halfway"));
writes.end = now();
const afterWrites = { ...cached.cacheCounters, calls: inner.counters.calls };
await pass([" by a", " by b", " shared"]);
process.stdout.write(
	`${JSON.stringify({ worker, mismatches, writes, afterWrites, total: { ...cached.cacheCounters, calls: inner.counters.calls } })}\n`,
);
store.close();
