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
	{
		name: "contests",
		up(db) {
			// People hold hashed tokens only; sessions hold hashed ids. Submissions keep every version;
			// contest_runs says which run scored which version on which ladder (run ownership).
			db.exec(`
				CREATE TABLE contest_users (
					id TEXT PRIMARY KEY,
					contest TEXT NOT NULL,
					name TEXT NOT NULL,
					role TEXT NOT NULL,
					token_hash TEXT NOT NULL UNIQUE,
					created_at TEXT NOT NULL,
					created_by TEXT,
					disabled INTEGER NOT NULL DEFAULT 0
				);
				CREATE TABLE contest_sessions (
					id_hash TEXT PRIMARY KEY,
					user_id TEXT NOT NULL,
					csrf TEXT NOT NULL,
					created_at TEXT NOT NULL,
					expires_at TEXT NOT NULL
				);
				CREATE TABLE contest_submissions (
					id TEXT PRIMARY KEY,
					contest TEXT NOT NULL,
					round TEXT NOT NULL,
					entrant_id TEXT NOT NULL,
					blind_label TEXT NOT NULL,
					created_at TEXT NOT NULL,
					winner INTEGER NOT NULL DEFAULT 0,
					UNIQUE (contest, blind_label)
				);
				CREATE TABLE contest_versions (
					submission_id TEXT NOT NULL,
					version INTEGER NOT NULL,
					upload_id TEXT NOT NULL,
					task_name TEXT NOT NULL,
					file_name TEXT NOT NULL,
					card_name TEXT,
					sha256 TEXT NOT NULL,
					accepted INTEGER NOT NULL,
					validation TEXT NOT NULL,
					fingerprint TEXT,
					created_at TEXT NOT NULL,
					PRIMARY KEY (submission_id, version)
				);
				CREATE TABLE contest_runs (
					run_id TEXT PRIMARY KEY,
					submission_id TEXT NOT NULL,
					version INTEGER NOT NULL,
					ladder TEXT NOT NULL,
					UNIQUE (submission_id, version, ladder)
				);
				CREATE TABLE contest_judgements (
					submission_id TEXT NOT NULL,
					judge_id TEXT NOT NULL,
					version INTEGER NOT NULL,
					scores TEXT NOT NULL,
					updated_at TEXT NOT NULL,
					PRIMARY KEY (submission_id, judge_id)
				);
				CREATE TABLE contest_rounds (
					contest TEXT NOT NULL,
					round TEXT NOT NULL,
					published INTEGER NOT NULL DEFAULT 0,
					PRIMARY KEY (contest, round)
				);
				CREATE TABLE contest_audit (
					id INTEGER PRIMARY KEY,
					at TEXT NOT NULL,
					contest TEXT NOT NULL,
					principal TEXT,
					role TEXT,
					action TEXT NOT NULL,
					resource TEXT,
					outcome TEXT NOT NULL,
					detail TEXT,
					ip TEXT
				);
				CREATE INDEX contest_audit_at ON contest_audit (contest, id);
			`);
		},
	},
];
