/**
 * @module Opening the SQLite store: pragmas that make it safe to share between processes and
 * durable against a killed process, then the migrations.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "./errors.js";
import { type Migration, migrations } from "./migrations.js";
import { RunRegistry } from "./runs.js";
import { ScoreCache } from "./score-cache.js";

export { StoreError };

export interface Store {
	/** Absolute path of the database file (":memory:" for an in-memory store). */
	readonly path: string;
	readonly db: Database.Database;
	readonly cache: ScoreCache;
	readonly runs: RunRegistry;
	close(): void;
}

export interface OpenStoreOptions {
	/** How long a write waits for another process's write to finish, in ms. Default 10 000. */
	busyTimeoutMs?: number;
	/** Migrations to apply; tests pass their own list. Default: the store's schema. */
	migrations?: readonly Migration[];
}

/**
 * Opens (creating folders and file if needed) the store at `path`, usually `storePath()`.
 * Throws StoreError when the file is not a store this version can use.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
	const inMemory = path === ":memory:";
	const file = inMemory ? path : resolve(path);
	let db: Database.Database;
	try {
		if (!inMemory) mkdirSync(dirname(file), { recursive: true });
		db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000 });
	} catch (error) {
		throw new StoreError(
			`cannot open the store ${file}: ${(error as Error).message}`,
			"open",
			"check that the folder is writable, or pass another path with --store",
		);
	}
	try {
		configure(db, options.busyTimeoutMs ?? 10_000);
		migrate(db, file, options.migrations ?? migrations);
	} catch (error) {
		db.close();
		throw toStoreError(error, file);
	}
	// Built on first use: each prepares its statements against tables the migrations made.
	let cache: ScoreCache | undefined;
	let runs: RunRegistry | undefined;
	return {
		path: file,
		db,
		get cache() {
			cache ??= new ScoreCache(db);
			return cache;
		},
		get runs() {
			runs ??= new RunRegistry(db);
			return runs;
		},
		close: () => {
			if (db.open) db.close();
		},
	};
}

function configure(db: Database.Database, busyTimeoutMs: number): void {
	db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
	// Switching a fresh file to WAL can report SQLITE_BUSY without waiting when another process is
	// doing the same at that instant; the switch is idempotent, so trying again is safe.
	for (let attempt = 0; ; attempt++) {
		try {
			db.pragma("journal_mode = WAL");
			break;
		} catch (error) {
			if (!isBusy(error) || attempt >= 50) throw error;
			sleepMs(20);
		}
	}
	// With WAL, NORMAL loses nothing when the process is killed (only on power loss, the last commits).
	db.pragma("synchronous = NORMAL");
	db.pragma("foreign_keys = ON");
}

function migrate(db: Database.Database, file: string, list: readonly Migration[]): void {
	const current = () => db.pragma("user_version", { simple: true }) as number;
	if (current() > list.length) throw tooNew(file, current(), list.length);
	if (current() === list.length) return;
	// IMMEDIATE takes the write lock first, so two processes opening a fresh file do not both migrate.
	db.transaction(() => {
		const from = current();
		if (from > list.length) throw tooNew(file, from, list.length);
		for (let version = from; version < list.length; version++) {
			const migration = list[version]!;
			try {
				migration.up(db);
			} catch (error) {
				throw new StoreError(
					`cannot upgrade the store ${file} (step ${version + 1}, ${migration.name}): ${(error as Error).message}`,
					"migration",
					"move the file aside to start with an empty store",
				);
			}
		}
		db.pragma(`user_version = ${list.length}`);
	}).immediate();
}

function tooNew(file: string, found: number, known: number): StoreError {
	return new StoreError(
		`the store ${file} has schema version ${found}, newer than this invscale knows (${known})`,
		"too-new",
		"upgrade invscale, or pass another path with --store",
	);
}

function toStoreError(error: unknown, file: string): Error {
	if (error instanceof StoreError) return error;
	const code = (error as { code?: string }).code;
	if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
		return new StoreError(
			`${file} is not an invscale store (${(error as Error).message})`,
			"corrupt",
			"move the file aside to start with an empty store, or pass another path with --store",
		);
	}
	if (isBusy(error)) {
		return new StoreError(
			`the store ${file} stayed locked by another process`,
			"busy",
			"wait for the other invscale process to finish",
		);
	}
	return new StoreError(`cannot open the store ${file}: ${(error as Error).message}`, "open");
}

function isBusy(error: unknown): boolean {
	const code = (error as { code?: string }).code;
	return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

function sleepMs(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
