/**
 * @module A child process for the generation-cache resume test: generates with stories260K through
 * a cached llama.cpp backend, one request per call, printing `done <i>` after each, then a JSON
 * summary (every result, the cache counters, the generations actually made). Run with
 * `node --import tsx`. Usage: generation-worker.ts STORE_PATH REQUESTS
 */
import { createCachedBackend } from "../../src/backends/cached.js";
import { openLlamaBackend } from "../../src/backends/llama/backend.js";
import { openStore } from "../../src/store/store.js";
import { STORIES_260K } from "./models.js";

const [path, countText] = process.argv.slice(2);
const count = Number(countText);
const store = openStore(path!);
const llama = await openLlamaBackend(STORIES_260K, { precision: "exact", threads: 1, sequences: 1 });
const cached = createCachedBackend(llama, store.cache, "precision=exact");
const results = [];
for (let i = 0; i < count; i++) {
	const [result] = await cached.completer!.complete([
		{ prompt: "Once upon a time,", maxTokens: 24, temperature: 1, seed: 100 + i, sample: i },
	]);
	results.push(result);
	process.stdout.write(`done ${i}\n`);
}
process.stdout.write(
	`${JSON.stringify({ results, cache: cached.cacheCounters, made: llama.counters.generation?.requests ?? 0 })}\n`,
);
await llama.dispose();
store.close();
