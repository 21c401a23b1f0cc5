/**
 * @module The run registry: one row per run the web app started, with its status and progress,
 * so the list of runs survives restarts of the server.
 */
import type Database from "better-sqlite3";

export const runStatuses = [
	"queued",
	"running",
	"complete",
	"partial",
	"failed",
	"cancelled",
	"interrupted",
] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Statuses after which a run does not change any more. */
export const finishedRunStatuses: readonly RunStatus[] = [
	"complete",
	"partial",
	"failed",
	"cancelled",
	"interrupted",
];

export interface RunRecord {
	id: string;
	/** What started it, e.g. `eval` or `scan`; free text chosen by the caller. */
	kind: string;
	title: string;
	status: RunStatus;
	options: unknown;
	/** Latest progress as given to `updateRun`; null before the first update. */
	progress: unknown;
	error: string | null;
	/** Output folder of the run. */
	dir: string;
	/** ISO 8601 timestamps. */
	createdAt: string;
	updatedAt: string;
	startedAt: string | null;
	endedAt: string | null;
}

export interface NewRun {
	id: string;
	kind: string;
	title: string;
	/** Any JSON value. */
	options: unknown;
	dir: string;
	/** Default "queued". */
	status?: RunStatus;
}

export interface RunUpdate {
	status?: RunStatus;
	/** Any JSON value; replaces the previous progress. */
	progress?: unknown;
	/** null clears a previous error. */
	error?: string | null;
	/** ISO 8601; set automatically when the status becomes a finished one and this is absent. */
	endedAt?: string;
}

interface RunRow {
	id: string;
	kind: string;
	title: string;
	status: string;
	options: string;
	progress: string | null;
	error: string | null;
	dir: string;
	created_at: string;
	updated_at: string;
	started_at: string | null;
	ended_at: string | null;
}

export class RunRegistry {
	constructor(private readonly db: Database.Database) {}

	/** Registers a new run. Throws if `id` is already taken. */
	createRun(run: NewRun): RunRecord {
		const status = run.status ?? "queued";
		assertStatus(status);
		const now = new Date().toISOString();
		this.db
			.prepare(
				`INSERT INTO runs (id, kind, title, status, options, dir, created_at, updated_at, started_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			)
			.run(
				run.id,
				run.kind,
				run.title,
				status,
				toJson(run.options),
				run.dir,
				now,
				now,
				status === "running" ? now : null,
			);
		return this.getRun(run.id)!;
	}

	/** Applies `update` and returns the new record, or undefined when no run has this id. */
	updateRun(id: string, update: RunUpdate): RunRecord | undefined {
		if (update.status !== undefined) assertStatus(update.status);
		const now = new Date().toISOString();
		const apply = this.db.transaction(() => {
			const row = this.row(id);
			if (!row) return undefined;
			const status = (update.status ?? row.status) as RunStatus;
			const startedAt = row.started_at ?? (status === "running" ? now : null);
			const endedAt = update.endedAt ?? row.ended_at ?? (finishedRunStatuses.includes(status) ? now : null);
			this.db
				.prepare(
					`UPDATE runs SET status = ?, progress = ?, error = ?, updated_at = ?, started_at = ?, ended_at = ?
					 WHERE id = ?`,
				)
				.run(
					status,
					update.progress === undefined ? row.progress : toJson(update.progress),
					update.error === undefined ? row.error : update.error,
					now,
					startedAt,
					endedAt,
					id,
				);
			return true;
		});
		return apply() ? this.getRun(id) : undefined;
	}

	getRun(id: string): RunRecord | undefined {
		const row = this.row(id);
		return row ? toRecord(row) : undefined;
	}

	/** Most recent first. */
	listRuns(options: { limit?: number } = {}): RunRecord[] {
		const limit = Math.max(0, Math.floor(options.limit ?? 100));
		const rows = this.db
			.prepare<[number], RunRow>("SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?")
			.all(limit);
		return rows.map(toRecord);
	}

	/** Removes the record (not the run's folder). Returns whether a run had this id. */
	deleteRun(id: string): boolean {
		return this.db.prepare("DELETE FROM runs WHERE id = ?").run(id).changes > 0;
	}

	/**
	 * For server start: runs still `running` were cut off by the previous process; mark them
	 * `interrupted`. With `includeQueued`, runs still waiting are marked too (their queue was in
	 * memory). Returns how many runs changed.
	 */
	markInterruptedRuns(options: { includeQueued?: boolean } = {}): number {
		const now = new Date().toISOString();
		const statuses = options.includeQueued ? ["running", "queued"] : ["running"];
		return this.db
			.prepare(
				`UPDATE runs SET status = 'interrupted', updated_at = ?, ended_at = COALESCE(ended_at, ?)
				 WHERE status IN (${statuses.map(() => "?").join(", ")})`,
			)
			.run(now, now, ...statuses).changes;
	}

	private row(id: string): RunRow | undefined {
		return this.db.prepare<[string], RunRow>("SELECT * FROM runs WHERE id = ?").get(id);
	}
}

function assertStatus(status: string): asserts status is RunStatus {
	if (!(runStatuses as readonly string[]).includes(status)) {
		throw new RangeError(`unknown run status "${status}"; expected one of ${runStatuses.join(", ")}`);
	}
}

function toJson(value: unknown): string {
	return JSON.stringify(value === undefined ? null : value);
}

function toRecord(row: RunRow): RunRecord {
	return {
		id: row.id,
		kind: row.kind,
		title: row.title,
		status: row.status as RunStatus,
		options: JSON.parse(row.options),
		progress: row.progress === null ? null : JSON.parse(row.progress),
		error: row.error,
		dir: row.dir,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		startedAt: row.started_at,
		endedAt: row.ended_at,
	};
}
