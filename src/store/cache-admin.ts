/**
 * @module What `invscale cache stats` and `invscale cache clear` need: entries per model, the
 * store's size on disk, and removing a model's (or every) cache entry.
 */
import { statSync } from "node:fs";
import { EntryKind } from "./cache-keys.js";
import type { Store } from "./store.js";

export interface ModelCacheStats {
	identity: string;
	/** Readable name recorded when a cached backend was created; null if never recorded. */
	name: string | null;
	kind: string | null;
	continuations: number;
	nextTokens: number;
	tokenizations: number;
	/** Cached generations (completions, chat answers and rendered chat prompts). */
	generations: number;
	entries: number;
	/** Bytes of keys and values (before SQLite's own overhead). */
	bytes: number;
	lastSeen: string;
}

export interface CacheStats {
	path: string;
	/** Database file plus its WAL and shared-memory files. */
	fileBytes: number;
	entries: number;
	/** Models with at least one entry, most entries first. */
	models: ModelCacheStats[];
}

interface ModelRow {
	id: number;
	identity: string;
	name: string | null;
	kind: string | null;
	last_seen: string;
}

export function cacheStats(store: Store): CacheStats {
	const counts = store.db
		.prepare<[], { model_id: number; kind: number; n: number; bytes: number }>(
			`SELECT model_id, kind, count(*) AS n, sum(length(key) + length(value)) AS bytes
			 FROM cache_entries GROUP BY model_id, kind`,
		)
		.all();
	const byModel = new Map<number, ModelCacheStats>();
	for (const row of allModels(store)) {
		byModel.set(row.id, {
			identity: row.identity,
			name: row.name,
			kind: row.kind,
			continuations: 0,
			nextTokens: 0,
			tokenizations: 0,
			generations: 0,
			entries: 0,
			bytes: 0,
			lastSeen: row.last_seen,
		});
	}
	for (const count of counts) {
		const stats = byModel.get(count.model_id);
		if (!stats) continue;
		if (count.kind === EntryKind.continuation) stats.continuations += count.n;
		else if (count.kind === EntryKind.nextToken) stats.nextTokens += count.n;
		else if (count.kind === EntryKind.tokens) stats.tokenizations += count.n;
		else if (count.kind === EntryKind.generation) stats.generations += count.n;
		stats.entries += count.n;
		stats.bytes += count.bytes;
	}
	const models = [...byModel.values()].filter((m) => m.entries > 0).sort((a, b) => b.entries - a.entries);
	return {
		path: store.path,
		fileBytes: fileBytes(store.path),
		entries: models.reduce((sum, m) => sum + m.entries, 0),
		models,
	};
}

export interface ModelRef {
	identity: string;
	name: string | null;
}

/** Models whose name equals `pattern` (ignoring case) or whose identity starts with it. */
export function matchModels(store: Store, pattern: string): ModelRef[] {
	const lower = pattern.toLowerCase();
	return allModels(store)
		.filter((m) => m.name?.toLowerCase() === lower || m.identity.startsWith(pattern))
		.map((m) => ({ identity: m.identity, name: m.name }));
}

/** Entries that `clearCache` with the same argument would remove. */
export function countEntries(store: Store, identities?: readonly string[]): number {
	if (!identities) {
		return store.db.prepare<[], number>("SELECT count(*) FROM cache_entries").pluck().get() ?? 0;
	}
	const count = store.db
		.prepare<[string], number>(
			"SELECT count(*) FROM cache_entries WHERE model_id = (SELECT id FROM models WHERE identity = ?)",
		)
		.pluck();
	return identities.reduce((sum, identity) => sum + (count.get(identity) ?? 0), 0);
}

export interface ClearResult {
	removed: number;
	fileBytesBefore: number;
	fileBytesAfter: number;
	/** False when another process held the file, so freed pages stay in it for reuse. */
	compacted: boolean;
}

/**
 * Removes the cache entries of the given model identities (all entries when omitted), then
 * compacts the file. Model names stay recorded; the run registry is untouched.
 */
export function clearCache(store: Store, identities?: readonly string[]): ClearResult {
	const fileBytesBefore = fileBytes(store.path);
	const remove = store.db.transaction(() => {
		if (!identities) return store.db.prepare("DELETE FROM cache_entries").run().changes;
		// Model rows stay: a backend open in another process keeps using its model's id.
		const byModel = store.db.prepare(
			"DELETE FROM cache_entries WHERE model_id = (SELECT id FROM models WHERE identity = ?)",
		);
		return identities.reduce((sum, identity) => sum + byModel.run(identity).changes, 0);
	});
	const removed = remove.immediate();
	let compacted = false;
	if (removed > 0) {
		// Compacting needs the file to itself for a moment; do not make the user wait long for it.
		const busyTimeout = store.db.pragma("busy_timeout", { simple: true }) as number;
		store.db.pragma("busy_timeout = 1000");
		try {
			store.db.exec("VACUUM");
			store.db.pragma("wal_checkpoint(TRUNCATE)");
			compacted = true;
		} catch {
			// Another process is using the store; SQLite reuses the freed pages later.
		} finally {
			store.db.pragma(`busy_timeout = ${busyTimeout}`);
		}
	}
	return { removed, fileBytesBefore, fileBytesAfter: fileBytes(store.path), compacted };
}

function allModels(store: Store): ModelRow[] {
	return store.db.prepare<[], ModelRow>("SELECT id, identity, name, kind, last_seen FROM models").all();
}

function fileBytes(path: string): number {
	if (path === ":memory:") return 0;
	let total = 0;
	for (const suffix of ["", "-wal", "-shm"]) {
		try {
			total += statSync(path + suffix).size;
		} catch {
			// The WAL and shm files exist only while a connection is open.
		}
	}
	return total;
}
