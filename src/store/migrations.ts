/**
 * @module The store's schema as an ordered list of migrations. `PRAGMA user_version` holds how many
 * have been applied; a new feature appends a migration, never edits an old one.
 */
import type Database from "better-sqlite3";

export interface Migration {
	/** What the migration adds, for error messages. */
	name: string;
	up(db: Database.Database): void;
}

export const migrations: readonly Migration[] = [
	{
		name: "score cache",
		up(db) {
			// Models get a small integer id so each cache row does not repeat a 71-character identity.
			// Entries are clustered by model, so one model's entries are counted or deleted as a range
			// without a second index (which would store every 32-byte key twice).
			db.exec(`
				CREATE TABLE models (
					id INTEGER PRIMARY KEY,
					identity TEXT NOT NULL UNIQUE,
					name TEXT,
					kind TEXT,
					tokenizer TEXT,
					info TEXT,
					first_seen TEXT NOT NULL,
					last_seen TEXT NOT NULL
				);
				CREATE TABLE cache_entries (
					model_id INTEGER NOT NULL,
					key BLOB NOT NULL,
					kind INTEGER NOT NULL,
					value BLOB NOT NULL,
					created_at INTEGER NOT NULL,
					PRIMARY KEY (model_id, key)
				) WITHOUT ROWID;
			`);
		},
	},
	{
		name: "run registry",
		up(db) {
			db.exec(`
				CREATE TABLE runs (
					id TEXT PRIMARY KEY,
					kind TEXT NOT NULL,
					title TEXT NOT NULL,
					status TEXT NOT NULL,
					options TEXT NOT NULL,
					progress TEXT,
					error TEXT,
					dir TEXT NOT NULL,
					created_at TEXT NOT NULL,
					updated_at TEXT NOT NULL,
					started_at TEXT,
					ended_at TEXT
				);
				CREATE INDEX runs_created ON runs (created_at);
				CREATE INDEX runs_status ON runs (status);
			`);
		},
	},
];
