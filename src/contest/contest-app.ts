/**
 * @module The contest's operations, each checked with `authorize` first: submitting and revising,
 * the views of submissions, results, judging, the ranking with near-duplicate flags, winners,
 * publishing, people and the audit log. The HTTP layer (contest-routes.ts) only parses and answers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiError } from "../server/api-error.js";
import { RateLimitError } from "../server/rate-limit.js";
import type { RunManager } from "../server/run-manager.js";
import { UploadStore } from "../server/uploads.js";
import type { Store } from "../store/index.js";
import { readTask } from "../tasks/index.js";
import { authorize, type Principal } from "./authorize.js";
import { blind, blindFileName, fileNames } from "./blind.js";
import { type ContestConfig, openRound, type Role, roles } from "./contest-file.js";
import { ContestStore, type Judgement, type Submission, type Version } from "./contest-store.js";
import { ContestEvaluation } from "./evaluation.js";
import { type IncomingFiles, takeIn } from "./intake.js";
import { fingerprint, similarity } from "./near-duplicates.js";
import { rank } from "./ranking.js";
import { type FullSubmission, judgementView, listRow, redact } from "./redact.js";
import { contestResult, verdictOnly } from "./results-view.js";

const hourMs = 3_600_000;

export interface ContestAppOptions {
	config: ContestConfig;
	store: Store;
	runs: RunManager;
	/** Uploads of submissions live under `<dataDir>/contest-uploads`. */
	dataDir: string;
	now?: () => Date;
}

export class ContestApp {
	readonly config: ContestConfig;
	readonly store: ContestStore;
	readonly uploads: UploadStore;
	readonly evaluation: ContestEvaluation;
	private readonly now: () => Date;
	/** Fingerprints of the earlier winners the contest file names (read by loadPreviousWinners). */
	private winnerPrints: { label: string; print: number[] }[] = [];

	constructor(options: ContestAppOptions) {
		this.config = options.config;
		this.store = new ContestStore(options.store.db, options.config.id);
		this.uploads = new UploadStore(join(options.dataDir, "contest-uploads"));
		this.evaluation = new ContestEvaluation(this.config, this.store, options.runs, this.uploads);
		this.now = options.now ?? (() => new Date());
		this.store.syncPeople(this.config.people);
	}

	/** The contest as everyone may see it: no private ladder, no people. */
	overview(p: Principal) {
		authorize(p, "contest.view");
		const c = this.config;
		const open = openRound(c, this.now());
		return {
			name: c.name,
			rounds: c.rounds.map((r) => ({ ...r, open: r.id === open?.id, published: this.store.published(r.id) })),
			openRound: open?.id ?? null,
			rules: {
				minExamples: c.rules.minExamples,
				taskTypes: c.rules.taskTypes ?? null,
				requireCard: c.rules.requireCard,
				maxUploadBytes: c.rules.maxUploadBytes,
				submissionsPerHour: c.rules.submissionsPerHour,
			},
			rubric: c.rubric,
			publicLadder: {
				name: c.publicLadder.name,
				models: c.publicLadder.models.map((m) => ({
					name: m.name,
					family: m.family,
					parameters: m.parameters ?? null,
				})),
			},
			privateLadder: { models: c.privateLadder.models.length, showSizes: c.showPrivateSizes },
			publish: c.publish,
		};
	}

	// Submitting.

	async submit(p: Principal, files: IncomingFiles, submissionId?: string) {
		let submission: Submission | undefined;
		if (submissionId) {
			submission = this.submission(submissionId);
			authorize(p, "submission.revise", { ownerId: submission.entrantId });
			const round = this.config.rounds.find((r) => r.id === submission!.round);
			if (!round || this.now().toISOString() >= round.closes)
				throw new ApiError(
					409,
					`round ${submission.round} has closed; this submission can no longer be revised`,
					"submissions are kept as they were when the round closed",
				);
		} else authorize(p, "submission.create");
		const round = openRound(this.config, this.now());
		if (!submission && !round)
			throw new ApiError(
				409,
				"no round is open for submissions now",
				`the rounds are: ${this.config.rounds.map((r) => `${r.id} ${r.opens.slice(0, 10)} – ${r.closes.slice(0, 10)}`).join("; ")}`,
			);
		const intake = await takeIn(this.uploads, files, this.config);
		if (!intake.accepted) {
			// A refused upload is not kept and not counted: the entrant fixes it and sends it again.
			this.uploads.remove(intake.uploadId);
			return {
				receipt: {
					submission: submission?.id ?? null,
					version: null,
					sha256: intake.sha256,
					file: intake.fileName,
					receivedAt: this.now().toISOString(),
					accepted: false,
				},
				validation: intake.validation,
			};
		}
		// Checked once the upload is known to count, with no await between the check and the version it counts.
		try {
			this.checkQuota(p.id);
		} catch (error) {
			this.uploads.remove(intake.uploadId);
			throw error;
		}
		submission ??= this.store.createSubmission(round!.id, p.id);
		const version = this.store.addVersion(
			{
				submissionId: submission.id,
				uploadId: intake.uploadId,
				taskName: intake.taskName,
				fileName: intake.fileName,
				cardName: intake.cardName,
				sha256: intake.sha256,
				accepted: intake.accepted,
				validation: intake.validation,
				fingerprint: intake.fingerprint,
			},
			this.now(),
		);
		if (version.accepted) {
			this.evaluation.supersede(submission.id, version.version);
			this.evaluation.queue(version);
		}
		return {
			receipt: {
				submission: submission.id,
				version: version.version,
				sha256: version.sha256,
				file: version.fileName,
				receivedAt: version.createdAt,
				accepted: version.accepted,
			},
			validation: intake.validation,
		};
	}

	/**
	 * The submission quota: at most `submissions_per_hour` accepted versions in any hour, counted
	 * from the store. Uploads refused by validation do not count.
	 */
	private checkQuota(entrantId: string): void {
		const limit = this.config.rules.submissionsPerHour;
		const now = this.now().getTime();
		const times = this.store.acceptedVersionTimes(entrantId, hourMs, now);
		if (times.length < limit) return;
		const retry = Math.max(1, Math.ceil((times[0]! + hourMs - now) / 1000));
		throw new RateLimitError(
			`too many submissions: the limit is ${limit} accepted version(s) in an hour`,
			`try again in ${retry} s; uploads refused by validation do not count`,
			retry,
		);
	}

	// Views.

	submission(id: string): Submission {
		const s = this.store.submission(id);
		if (!s) throw new ApiError(404, "no such submission", "the list of submissions shows what is there");
		return s;
	}

	private full(s: Submission): FullSubmission {
		const versions = this.store.versions(s.id);
		const accepted = versions.filter((v) => v.accepted).at(-1);
		const runs: FullSubmission["runs"] = {};
		if (accepted) {
			const pub = this.evaluation.run(s.id, accepted.version, "public");
			const priv = this.evaluation.run(s.id, accepted.version, "private");
			if (pub) runs.public = pub;
			if (priv) runs.private = priv;
		}
		return {
			submission: s,
			entrant: this.store.user(s.entrantId),
			versions,
			runs,
			judgements: this.store.judgements(s.id),
			judges: this.store.users().filter((u) => u.role === "judge"),
			duplicates: accepted ? this.duplicates(s, accepted) : [],
		};
	}

	list(p: Principal) {
		authorize(p, "contest.view");
		const all = this.store.submissions(p.role === "entrant" ? { entrantId: p.id } : {});
		const visible = p.role === "judge" ? all.filter((s) => this.store.latestAccepted(s.id)) : all;
		return visible.map((s) => listRow(this.full(s), p));
	}

	view(p: Principal, id: string) {
		const s = this.submission(id);
		authorize(p, "submission.view", { ownerId: s.entrantId });
		const view = redact(this.full(s), p, this.config, this.store.published(s.round));
		return p.role === "judge" ? this.blinded(s, view) : view;
	}

	/** `value` with every name the entrant gave the submission's files replaced by its blind label. */
	private blinded<T>(s: Submission, value: T): T {
		const versions = this.store.versions(s.id);
		return blind(value, {
			label: s.blindLabel,
			files: fileNames(versions),
			tasks: [...new Set(versions.map((v) => v.taskName))],
		});
	}

	/** The data file of the version being scored (or the newest, for its owner and organisers). */
	data(p: Principal, id: string): { name: string; bytes: Buffer } {
		const s = this.submission(id);
		authorize(p, "submission.data", { ownerId: s.entrantId });
		const v = p.role === "judge" ? this.store.latestAccepted(s.id) : this.store.latest(s.id);
		if (!v) throw new ApiError(404, "this submission has no data to show yet");
		const upload = this.uploads.get(v.uploadId);
		return {
			name: p.role === "judge" ? blindFileName(s.blindLabel, v.fileName) : v.fileName,
			bytes: readFileSync(this.uploads.taskFile(upload)),
		};
	}

	results(p: Principal, id: string, kind: "public" | "private") {
		const s = this.submission(id);
		const v = this.store.latestAccepted(s.id);
		if (kind === "public") {
			authorize(p, "results.public", {
				ownerId: s.entrantId,
				publicResultsPublished: this.config.publish.publicResults,
				publishedWinner: s.winner && this.store.published(s.round),
			});
		} else if (p.role === "entrant") {
			// Entrants may get the private verdict only, and only when the contest publishes it.
			authorize(p, "submission.view", { ownerId: s.entrantId });
			if (!this.config.publish.privateVerdict) authorize(p, "results.private");
		} else authorize(p, "results.private");
		if (!v)
			throw new ApiError(
				409,
				"this submission has no accepted version yet",
				"the entrant must submit a task without errors",
			);
		const dir = this.evaluation.resultDir(s.id, v.version, kind);
		if (!dir)
			throw new ApiError(
				409,
				"this version has not been scored yet",
				"scoring runs one task at a time; the page updates when it is done",
			);
		// Organisers see the private models by name; judges see them renamed, by rank unless the
		// contest shows their sizes, and the task by its blind label; entrants see only verdicts.
		const judge = p.role === "judge";
		const result = contestResult(dir, {
			mode: kind === "private" && p.role !== "organiser" ? "private" : "public",
			...(judge ? { taskName: s.blindLabel } : {}),
			sizeRanks: kind === "private" && judge && !this.config.showPrivateSizes,
		});
		if (kind === "private" && p.role === "entrant")
			return { version: v.version, verdicts: verdictOnly(result) };
		return judge ? this.blinded(s, { version: v.version, result }) : { version: v.version, result };
	}

	// Judging.

	judge(p: Principal, id: string, judgeId: string, scores: Judgement["scores"]) {
		const s = this.submission(id);
		authorize(p, "judgement.write", { judgeId });
		const v = this.store.latestAccepted(s.id);
		if (!v) throw new ApiError(409, "this submission has nothing to judge yet");
		const { min, max, criteria } = this.config.rubric;
		for (const c of criteria) {
			const given = scores[c.id];
			if (!given)
				throw new ApiError(400, `no score for ${c.label} (${c.id})`, "score every item of the rubric");
			if (!Number.isInteger(given.score) || given.score < min || given.score > max)
				throw new ApiError(
					400,
					`${c.label}: the score must be a whole number from ${min} to ${max}, not ${given.score}`,
				);
			if (!given.comment.trim())
				throw new ApiError(
					400,
					`${c.label}: a score needs a comment saying why`,
					"write a sentence for every rubric item; the entrant reads them when the round is published",
				);
		}
		const extra = Object.keys(scores).filter((k) => !criteria.some((c) => c.id === k));
		if (extra.length > 0)
			throw new ApiError(
				400,
				`unknown rubric item ${extra.join(", ")}`,
				`the rubric has ${criteria.map((c) => c.id).join(", ")}`,
			);
		const clean = Object.fromEntries(
			criteria.map((c) => [
				c.id,
				{ score: scores[c.id]!.score, comment: scores[c.id]!.comment.slice(0, 4000) },
			]),
		);
		this.store.saveJudgement({ submissionId: s.id, judgeId, version: v.version, scores: clean });
		return this.view(p, id);
	}

	judgements(p: Principal, id: string) {
		const s = this.submission(id);
		const scored = this.store.judgement(s.id, p.id) !== undefined;
		authorize(p, "judgement.others", {
			hasScored: scored,
			ownerId: s.entrantId,
			published: this.store.published(s.round),
		});
		if (p.role === "entrant") {
			// The entrant reads the scores and comments, the judges numbered, never named.
			const judges = this.store.users().filter((u) => u.role === "judge");
			const number = (j: Judgement) => judges.findIndex((u) => u.id === j.judgeId);
			return {
				judgements: this.store
					.judgements(s.id)
					.sort((a, b) => number(a) - number(b))
					.map((j) => {
						const { judgeId: _id, ...shown } = judgementView(j, judges, p);
						return shown;
					}),
			};
		}
		const view = this.view(p, id) as { judgements?: unknown; others?: unknown; mine?: unknown };
		return p.role === "organiser" ? view.judgements : { mine: view.mine, others: view.others };
	}

	// Ranking and near-duplicates.

	/** Reads the earlier winners named in the contest file (once, at start). */
	async loadPreviousWinners(): Promise<void> {
		const prints: { label: string; print: number[] }[] = [];
		for (const file of this.config.previousWinners) {
			const task = await readTask(file);
			prints.push({ label: `earlier winner ${task.name}`, print: fingerprint(task.examples) });
		}
		this.winnerPrints = prints;
	}

	/** Earlier submissions (of any entrant or round) and winners too similar to this version. */
	private duplicates(s: Submission, v: Version): FullSubmission["duplicates"] {
		if (!v.fingerprint) return [];
		const threshold = this.config.duplicateThreshold;
		const out: FullSubmission["duplicates"] = [];
		for (const w of this.winnerPrints) {
			const sim = similarity(v.fingerprint, w.print);
			if (sim >= threshold) out.push({ label: w.label, similarity: sim, kind: "winner" });
		}
		for (const other of this.store.submissions()) {
			if (other.id === s.id || other.createdAt > s.createdAt) continue;
			const ov = this.store.latestAccepted(other.id);
			if (!ov?.fingerprint) continue;
			const sim = similarity(v.fingerprint, ov.fingerprint);
			if (sim >= threshold)
				out.push({
					label: other.blindLabel,
					submissionId: other.id,
					similarity: sim,
					kind: other.winner ? "winner" : "submission",
				});
		}
		return out;
	}

	ranking(p: Principal, round: string) {
		if (!this.config.rounds.some((r) => r.id === round)) throw new ApiError(404, `no round ${round}`);
		authorize(p, "ranking.view", { published: this.store.published(round) });
		const subs = this.store.submissions({ round }).filter((s) => this.store.latestAccepted(s.id));
		const ranked = rank(
			this.config.rubric.criteria,
			subs.map((s) => ({ submissionId: s.id, judgements: this.store.judgements(s.id) })),
		);
		const organiser = p.role === "organiser";
		return {
			round,
			published: this.store.published(round),
			criteria: this.config.rubric.criteria,
			rows: ranked.map((r) => {
				const s = subs.find((x) => x.id === r.submissionId)!;
				const full = this.full(s);
				const own = p.role === "entrant" && s.entrantId === p.id;
				return {
					...r,
					blindLabel: s.blindLabel,
					winner: s.winner,
					flagged: full.duplicates.map((d) => ({ label: d.label, similarity: d.similarity, kind: d.kind })),
					...(organiser || own || (s.winner && this.store.published(round))
						? { task: this.store.latestAccepted(s.id)!.taskName }
						: {}),
					...(organiser ? { entrant: full.entrant?.name ?? null } : {}),
					...(own ? { yours: true } : {}),
				};
			}),
		};
	}

	setWinner(p: Principal, id: string, winner: boolean) {
		authorize(p, "winner.set");
		const s = this.submission(id);
		this.store.setWinner(s.id, winner);
		return { id: s.id, winner };
	}

	publish(p: Principal, round: string, published: boolean) {
		authorize(p, "round.publish");
		if (!this.config.rounds.some((r) => r.id === round)) throw new ApiError(404, `no round ${round}`);
		this.store.setPublished(round, published);
		return { round, published };
	}

	rerun(p: Principal, id: string) {
		authorize(p, "runs.manage");
		const s = this.submission(id);
		const v = this.store.latestAccepted(s.id);
		if (!v) throw new ApiError(409, "this submission has no accepted version");
		this.evaluation.queue(v);
		const resumed = this.evaluation.resumeStopped(s.id, v.version);
		return { id: s.id, version: v.version, resumed };
	}

	/** What anyone may know before signing in. */
	publicInfo() {
		const open = openRound(this.config, this.now());
		return {
			name: this.config.name,
			rounds: this.config.rounds.map((r) => ({ ...r, open: r.id === open?.id })),
			openRegistration: this.config.openRegistration,
		};
	}

	/** Signs up an entrant when the contest allows it; the token is shown once. */
	register(name: string) {
		if (!this.config.openRegistration)
			throw new ApiError(403, "this contest does not take sign-ups", "ask the organisers for a token");
		if (!name.trim() || name.length > 80) throw new ApiError(400, "give a name of 1 to 80 characters");
		return this.store.addUser(name.trim(), "entrant", "registration");
	}

	// People and the audit log.

	people(p: Principal) {
		authorize(p, "people.manage");
		return this.store.users();
	}

	addPerson(p: Principal, name: string, role: string) {
		authorize(p, "people.manage");
		if (!(roles as readonly string[]).includes(role))
			throw new ApiError(400, `unknown role ${JSON.stringify(role)}`, `use one of ${roles.join(", ")}`);
		if (!name.trim() || name.length > 80)
			throw new ApiError(400, "a person needs a name of 1 to 80 characters");
		return this.store.addUser(name.trim(), role as Role, p.id);
	}

	disablePerson(p: Principal, id: string, disabled: boolean) {
		authorize(p, "people.manage");
		if (!this.store.user(id)) throw new ApiError(404, "no such person");
		if (id === p.id) throw new ApiError(409, "you cannot disable your own account");
		this.store.setDisabled(id, disabled);
		return this.store.user(id);
	}

	auditLog(p: Principal) {
		authorize(p, "audit.view");
		const names = new Map(this.store.users().map((u) => [u.id, u.name]));
		return this.store
			.auditLog()
			.map((e) => ({ ...e, name: e.principal ? (names.get(e.principal) ?? null) : null }));
	}
}
