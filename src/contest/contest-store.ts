/**
 * @module The contest's tables in the SQLite store: people and sessions (hashed tokens only),
 * submissions with every version, which run scored which version (run ownership), judgements,
 * published rounds and the audit log.
 */
import type Database from "better-sqlite3";
import type { Role } from "./contest-file.js";
import { hashToken, newToken, randomId } from "./tokens.js";

export interface User {
	id: string;
	name: string;
	role: Role;
	createdAt: string;
	disabled: boolean;
}

export interface Submission {
	id: string;
	round: string;
	entrantId: string;
	/** What judges call the submission (no name, no order of arrival). */
	blindLabel: string;
	createdAt: string;
	winner: boolean;
}

export interface Version {
	submissionId: string;
	version: number;
	uploadId: string;
	taskName: string;
	fileName: string;
	cardName: string | null;
	sha256: string;
	accepted: boolean;
	/** The validation as `invscale validate` gives it, plus the contest's rules. */
	validation: unknown;
	/** Content fingerprint for near-duplicate checks. */
	fingerprint: number[] | null;
	createdAt: string;
}

export type LadderKind = "public" | "private";

export interface Judgement {
	submissionId: string;
	judgeId: string;
	version: number;
	scores: Record<string, { score: number; comment: string }>;
	updatedAt: string;
}

export interface AuditEntry {
	id: number;
	at: string;
	principal: string | null;
	role: string | null;
	action: string;
	resource: string | null;
	outcome: "ok" | "refused" | "failed";
	detail: string | null;
	ip: string | null;
}

const sessionDays = 7;
/** Blind labels: no vowels (no words), no 0/O/1/I lookalikes. */
const labelAlphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";

interface UserRow {
	id: string;
	name: string;
	role: string;
	created_at: string;
	disabled: number;
}

const toUser = (r: UserRow): User => ({
	id: r.id,
	name: r.name,
	role: r.role as Role,
	createdAt: r.created_at,
	disabled: r.disabled === 1,
});

interface SubmissionRow {
	id: string;
	round: string;
	entrant_id: string;
	blind_label: string;
	created_at: string;
	winner: number;
}

const toSubmission = (r: SubmissionRow): Submission => ({
	id: r.id,
	round: r.round,
	entrantId: r.entrant_id,
	blindLabel: r.blind_label,
	createdAt: r.created_at,
	winner: r.winner === 1,
});

interface VersionRow {
	submission_id: string;
	version: number;
	upload_id: string;
	task_name: string;
	file_name: string;
	card_name: string | null;
	sha256: string;
	accepted: number;
	validation: string;
	fingerprint: string | null;
	created_at: string;
}

const toVersion = (r: VersionRow): Version => ({
	submissionId: r.submission_id,
	version: r.version,
	uploadId: r.upload_id,
	taskName: r.task_name,
	fileName: r.file_name,
	cardName: r.card_name,
	sha256: r.sha256,
	accepted: r.accepted === 1,
	validation: JSON.parse(r.validation),
	fingerprint: r.fingerprint ? JSON.parse(r.fingerprint) : null,
	createdAt: r.created_at,
});

export class ContestStore {
	constructor(
		private readonly db: Database.Database,
		readonly contest: string,
	) {}

	// People and sessions.

	/** Makes sure everyone the contest file names exists with that token and role. */
	syncPeople(people: { name: string; role: Role; tokenSha256: string }[]): void {
		const upsert = this.db.prepare(
			`INSERT INTO contest_users (id, contest, name, role, token_hash, created_at, created_by)
			 VALUES (?, ?, ?, ?, ?, ?, 'contest file')
			 ON CONFLICT (token_hash) DO UPDATE SET name = excluded.name, role = excluded.role, disabled = 0`,
		);
		const now = new Date().toISOString();
		const keep = new Set(people.map((p) => p.tokenSha256));
		this.db.transaction(() => {
			for (const p of people)
				upsert.run(
					`u-${hashToken(p.tokenSha256).slice(0, 12)}`,
					this.contest,
					p.name,
					p.role,
					p.tokenSha256,
					now,
				);
			// Someone taken out of the file (or given a new token) loses the old token at once.
			const named = this.db
				.prepare<[string], { id: string; token_hash: string }>(
					"SELECT id, token_hash FROM contest_users WHERE contest = ? AND created_by = 'contest file' AND disabled = 0",
				)
				.all(this.contest);
			for (const row of named) if (!keep.has(row.token_hash)) this.setDisabled(row.id, true);
		})();
	}

	/** Adds a person; returns them with their token, which is never stored or shown again. */
	addUser(name: string, role: Role, createdBy: string): { user: User; token: string } {
		const token = newToken();
		const id = `u-${randomId(6)}`;
		this.db
			.prepare(
				`INSERT INTO contest_users (id, contest, name, role, token_hash, created_at, created_by)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`,
			)
			.run(id, this.contest, name, role, hashToken(token), new Date().toISOString(), createdBy);
		return { user: this.user(id)!, token };
	}

	user(id: string): User | undefined {
		const row = this.db
			.prepare<[string, string], UserRow>("SELECT * FROM contest_users WHERE id = ? AND contest = ?")
			.get(id, this.contest);
		return row ? toUser(row) : undefined;
	}

	userByToken(token: string): User | undefined {
		const row = this.db
			.prepare<[string, string], UserRow>(
				"SELECT * FROM contest_users WHERE token_hash = ? AND contest = ? AND disabled = 0",
			)
			.get(hashToken(token), this.contest);
		return row ? toUser(row) : undefined;
	}

	users(): User[] {
		return this.db
			.prepare<[string], UserRow>("SELECT * FROM contest_users WHERE contest = ? ORDER BY created_at, id")
			.all(this.contest)
			.map(toUser);
	}

	setDisabled(id: string, disabled: boolean): void {
		this.db
			.prepare("UPDATE contest_users SET disabled = ? WHERE id = ? AND contest = ?")
			.run(disabled ? 1 : 0, id, this.contest);
		if (disabled) this.db.prepare("DELETE FROM contest_sessions WHERE user_id = ?").run(id);
	}

	createSession(userId: string): { session: string; csrf: string } {
		const session = randomId(32);
		const csrf = randomId(24);
		const now = new Date();
		const expires = new Date(now.getTime() + sessionDays * 86_400_000);
		this.db
			.prepare(
				"INSERT INTO contest_sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			)
			.run(hashToken(session), userId, csrf, now.toISOString(), expires.toISOString());
		return { session, csrf };
	}

	session(session: string): { user: User; csrf: string } | undefined {
		const row = this.db
			.prepare<[string], { user_id: string; csrf: string; expires_at: string }>(
				"SELECT user_id, csrf, expires_at FROM contest_sessions WHERE id_hash = ?",
			)
			.get(hashToken(session));
		if (!row || row.expires_at < new Date().toISOString()) return undefined;
		const user = this.user(row.user_id);
		return user && !user.disabled ? { user, csrf: row.csrf } : undefined;
	}

	endSession(session: string): void {
		this.db.prepare("DELETE FROM contest_sessions WHERE id_hash = ?").run(hashToken(session));
	}

	// Submissions and versions.

	createSubmission(round: string, entrantId: string): Submission {
		const id = `s-${randomId(6)}`;
		const taken = this.db.prepare<[string, string], { n: number }>(
			"SELECT COUNT(*) AS n FROM contest_submissions WHERE contest = ? AND blind_label = ?",
		);
		let label: string;
		do label = blindLabel();
		while (taken.get(this.contest, label)!.n > 0);
		this.db
			.prepare(
				`INSERT INTO contest_submissions (id, contest, round, entrant_id, blind_label, created_at)
				 VALUES (?, ?, ?, ?, ?, ?)`,
			)
			.run(id, this.contest, round, entrantId, label, new Date().toISOString());
		return this.submission(id)!;
	}

	submission(id: string): Submission | undefined {
		const row = this.db
			.prepare<[string, string], SubmissionRow>(
				"SELECT * FROM contest_submissions WHERE id = ? AND contest = ?",
			)
			.get(id, this.contest);
		return row ? toSubmission(row) : undefined;
	}

	/** Oldest first; optionally one round's or one entrant's. */
	submissions(filter: { round?: string; entrantId?: string } = {}): Submission[] {
		return this.db
			.prepare<[string], SubmissionRow>(
				"SELECT * FROM contest_submissions WHERE contest = ? ORDER BY created_at, id",
			)
			.all(this.contest)
			.map(toSubmission)
			.filter(
				(s) =>
					(filter.round === undefined || s.round === filter.round) &&
					(filter.entrantId === undefined || s.entrantId === filter.entrantId),
			);
	}

	setWinner(id: string, winner: boolean): void {
		this.db
			.prepare("UPDATE contest_submissions SET winner = ? WHERE id = ? AND contest = ?")
			.run(winner ? 1 : 0, id, this.contest);
	}

	/** Stores the next version; `at` is when it was received (the contest's clock; default now). */
	addVersion(v: Omit<Version, "version" | "createdAt">, at = new Date()): Version {
		const next = this.db.transaction(() => {
			const last = this.db
				.prepare<[string], { n: number | null }>(
					"SELECT MAX(version) AS n FROM contest_versions WHERE submission_id = ?",
				)
				.get(v.submissionId)!.n;
			const version = (last ?? 0) + 1;
			this.db
				.prepare(
					`INSERT INTO contest_versions (submission_id, version, upload_id, task_name, file_name, card_name, sha256,
					 accepted, validation, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				)
				.run(
					v.submissionId,
					version,
					v.uploadId,
					v.taskName,
					v.fileName,
					v.cardName,
					v.sha256,
					v.accepted ? 1 : 0,
					JSON.stringify(v.validation),
					v.fingerprint ? JSON.stringify(v.fingerprint) : null,
					at.toISOString(),
				);
			return version;
		});
		const version = next();
		return this.versions(v.submissionId).find((x) => x.version === version)!;
	}

	/** Oldest first. */
	versions(submissionId: string): Version[] {
		return this.db
			.prepare<[string], VersionRow>(
				"SELECT * FROM contest_versions WHERE submission_id = ? ORDER BY version",
			)
			.all(submissionId)
			.map(toVersion);
	}

	latest(submissionId: string): Version | undefined {
		return this.versions(submissionId).at(-1);
	}

	/** The newest accepted version (what is scored and judged). */
	latestAccepted(submissionId: string): Version | undefined {
		return this.versions(submissionId)
			.filter((v) => v.accepted)
			.at(-1);
	}

	/**
	 * When an entrant's accepted versions of the last `ms` milliseconds were stored, oldest first:
	 * the submission quota is counted from the store, so a restart neither resets nor forgets it.
	 */
	acceptedVersionTimes(entrantId: string, ms: number, now = Date.now()): number[] {
		const since = new Date(now - ms).toISOString();
		return this.db
			.prepare<[string, string, string], { created_at: string }>(
				`SELECT v.created_at FROM contest_versions v JOIN contest_submissions s ON s.id = v.submission_id
				 WHERE s.contest = ? AND s.entrant_id = ? AND v.accepted = 1 AND v.created_at > ? ORDER BY v.created_at`,
			)
			.all(this.contest, entrantId, since)
			.map((r) => Date.parse(r.created_at));
	}

	// Runs.

	linkRun(runId: string, submissionId: string, version: number, ladder: LadderKind): void {
		this.db
			.prepare("INSERT INTO contest_runs (run_id, submission_id, version, ladder) VALUES (?, ?, ?, ?)")
			.run(runId, submissionId, version, ladder);
	}

	runOf(submissionId: string, version: number, ladder: LadderKind): string | undefined {
		return this.db
			.prepare<[string, number, string], { run_id: string }>(
				"SELECT run_id FROM contest_runs WHERE submission_id = ? AND version = ? AND ladder = ?",
			)
			.get(submissionId, version, ladder)?.run_id;
	}

	/** Every run of this contest's submissions. */
	runs(): { runId: string; submissionId: string; version: number; ladder: LadderKind }[] {
		return this.db
			.prepare<[string], { run_id: string; submission_id: string; version: number; ladder: string }>(
				`SELECT r.* FROM contest_runs r JOIN contest_submissions s ON s.id = r.submission_id WHERE s.contest = ?`,
			)
			.all(this.contest)
			.map((r) => ({
				runId: r.run_id,
				submissionId: r.submission_id,
				version: r.version,
				ladder: r.ladder as LadderKind,
			}));
	}

	// Judgements.

	saveJudgement(j: Omit<Judgement, "updatedAt">): Judgement {
		this.db
			.prepare(
				`INSERT INTO contest_judgements (submission_id, judge_id, version, scores, updated_at) VALUES (?, ?, ?, ?, ?)
				 ON CONFLICT (submission_id, judge_id) DO UPDATE SET version = excluded.version, scores = excluded.scores,
				 updated_at = excluded.updated_at`,
			)
			.run(j.submissionId, j.judgeId, j.version, JSON.stringify(j.scores), new Date().toISOString());
		return this.judgement(j.submissionId, j.judgeId)!;
	}

	judgement(submissionId: string, judgeId: string): Judgement | undefined {
		return this.judgements(submissionId).find((j) => j.judgeId === judgeId);
	}

	judgements(submissionId: string): Judgement[] {
		return this.db
			.prepare<
				[string],
				{ submission_id: string; judge_id: string; version: number; scores: string; updated_at: string }
			>("SELECT * FROM contest_judgements WHERE submission_id = ? ORDER BY judge_id")
			.all(submissionId)
			.map((r) => ({
				submissionId: r.submission_id,
				judgeId: r.judge_id,
				version: r.version,
				scores: JSON.parse(r.scores),
				updatedAt: r.updated_at,
			}));
	}

	// Rounds.

	published(round: string): boolean {
		return (
			this.db
				.prepare<[string, string], { published: number }>(
					"SELECT published FROM contest_rounds WHERE contest = ? AND round = ?",
				)
				.get(this.contest, round)?.published === 1
		);
	}

	setPublished(round: string, published: boolean): void {
		this.db
			.prepare(
				`INSERT INTO contest_rounds (contest, round, published) VALUES (?, ?, ?)
				 ON CONFLICT (contest, round) DO UPDATE SET published = excluded.published`,
			)
			.run(this.contest, round, published ? 1 : 0);
	}

	// Audit log.

	audit(entry: Omit<AuditEntry, "id" | "at">): void {
		this.db
			.prepare(
				`INSERT INTO contest_audit (at, contest, principal, role, action, resource, outcome, detail, ip)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			)
			.run(
				new Date().toISOString(),
				this.contest,
				entry.principal,
				entry.role,
				entry.action,
				entry.resource,
				entry.outcome,
				entry.detail,
				entry.ip,
			);
	}

	/** Newest first. */
	auditLog(limit = 500): AuditEntry[] {
		return this.db
			.prepare<[string, number], AuditEntry>(
				`SELECT id, at, principal, role, action, resource, outcome, detail, ip FROM contest_audit
				 WHERE contest = ? ORDER BY id DESC LIMIT ?`,
			)
			.all(this.contest, limit);
	}
}

function blindLabel(): string {
	const bytes = Buffer.from(randomId(6), "hex");
	return [...bytes].map((b) => labelAlphabet[b % labelAlphabet.length]).join("");
}
