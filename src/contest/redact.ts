/**
 * @module What each role may see of a submission, built field by field from a whitelist:
 * organisers see everything; the entrant who owns it sees their versions, diagnostics, the state
 * of scoring and what the organisers publish; judges see blind labels, the card without its authors,
 * both ladders' results (private models renamed) and other judges' scores once they have scored.
 * Nothing here passes on run titles, model lists, progress messages or error texts of private runs.
 */
import type { RunView } from "../server/run-manager.js";
import type { UploadValidation } from "../server/uploads.js";
import type { TaskCard } from "../tasks/types.js";
import { allowed, type Principal } from "./authorize.js";
import type { ContestConfig } from "./contest-file.js";
import type { Judgement, LadderKind, Submission, User, Version } from "./contest-store.js";

/** Everything known about one submission; only organisers get it as it is. */
export interface FullSubmission {
	submission: Submission;
	entrant: User | undefined;
	versions: Version[];
	runs: Partial<Record<LadderKind, RunView>>;
	judgements: Judgement[];
	judges: User[];
	duplicates: { label: string; submissionId?: string; similarity: number; kind: "submission" | "winner" }[];
}

/** A run's state without anything that names a model. */
export interface ScoringState {
	status: string;
	done: number;
	total: number;
}

export function scoringState(run: RunView | undefined): ScoringState | null {
	if (!run) return null;
	const models = run.progress?.models ?? [];
	return {
		status: run.status,
		done: models.reduce((s, m) => s + m.done, 0),
		total: models.reduce((s, m) => s + m.total, 0),
	};
}

function versionForEntrant(v: Version) {
	const validation = v.validation as UploadValidation;
	return {
		version: v.version,
		fileName: v.fileName,
		cardName: v.cardName,
		sha256: v.sha256,
		accepted: v.accepted,
		createdAt: v.createdAt,
		validation,
	};
}

function blindCard(card: TaskCard | undefined): Omit<TaskCard, "authors"> | null {
	if (!card) return null;
	const { authors: _authors, ...rest } = card;
	return rest;
}

export function judgementView(j: Judgement, judges: User[], viewer: Principal) {
	const judge = judges.find((u) => u.id === j.judgeId);
	return {
		judgeId: j.judgeId,
		judge:
			viewer.role === "organiser" || j.judgeId === viewer.id
				? (judge?.name ?? j.judgeId)
				: `judge ${judges.findIndex((u) => u.id === j.judgeId) + 1}`,
		version: j.version,
		scores: j.scores,
		updatedAt: j.updatedAt,
	};
}

/** The submission as `viewer` may see it (the caller has already authorized `submission.view`). */
export function redact(full: FullSubmission, viewer: Principal, config: ContestConfig, published: boolean) {
	const s = full.submission;
	const latest = full.versions.at(-1);
	const accepted = full.versions.filter((v) => v.accepted).at(-1);
	if (viewer.role === "organiser") {
		return {
			role: "organiser" as const,
			id: s.id,
			blindLabel: s.blindLabel,
			round: s.round,
			createdAt: s.createdAt,
			winner: s.winner,
			entrant: full.entrant ? { id: full.entrant.id, name: full.entrant.name } : null,
			versions: full.versions.map(versionForEntrant),
			scored: accepted?.version ?? null,
			runs: full.runs,
			judgements: full.judgements.map((j) => judgementView(j, full.judges, viewer)),
			duplicates: full.duplicates,
		};
	}
	if (viewer.role === "entrant") {
		return {
			role: "entrant" as const,
			id: s.id,
			round: s.round,
			createdAt: s.createdAt,
			versions: full.versions.map(versionForEntrant),
			scored: accepted?.version ?? null,
			scoring: { public: scoringState(full.runs.public), private: scoringState(full.runs.private) },
			publicResults: config.publish.publicResults,
			privateVerdict: config.publish.privateVerdict,
			winner: published ? s.winner : null,
		};
	}
	const mine = full.judgements.find((j) => j.judgeId === viewer.id);
	const seeOthers = allowed(viewer, "judgement.others", { hasScored: mine !== undefined });
	const validation = accepted ? (accepted.validation as UploadValidation) : undefined;
	return {
		role: "judge" as const,
		id: s.id,
		blindLabel: s.blindLabel,
		round: s.round,
		scored: accepted?.version ?? null,
		version: accepted
			? {
					version: accepted.version,
					sha256: accepted.sha256,
					typeName: validation?.typeName,
					summary: validation?.summary,
					warnings: validation?.warnings,
					card: blindCard(validation?.card),
				}
			: null,
		latestVersion: latest?.version ?? null,
		scoring: { public: scoringState(full.runs.public), private: scoringState(full.runs.private) },
		mine: mine ? judgementView(mine, full.judges, viewer) : null,
		others: seeOthers
			? full.judgements
					.filter((j) => j.judgeId !== viewer.id)
					.map((j) => judgementView(j, full.judges, viewer))
			: null,
		duplicates: full.duplicates.map((d) => ({
			label: d.kind === "winner" ? d.label : `submission ${d.label}`,
			similarity: d.similarity,
			kind: d.kind,
		})),
	};
}

/** One row of the submissions list as `viewer` may see it. */
export function listRow(full: FullSubmission, viewer: Principal) {
	const s = full.submission;
	const accepted = full.versions.filter((v) => v.accepted).at(-1);
	const latest = full.versions.at(-1);
	const base = {
		id: s.id,
		round: s.round,
		versions: full.versions.length,
		accepted: accepted !== undefined,
		scoring: {
			public: scoringState(full.runs.public)?.status ?? null,
			private: scoringState(full.runs.private)?.status ?? null,
		},
	};
	if (viewer.role === "entrant")
		return {
			...base,
			task: latest?.taskName ?? null,
			createdAt: s.createdAt,
			sha256: latest?.sha256 ?? null,
		};
	const judged = full.judgements.length;
	if (viewer.role === "judge")
		return {
			...base,
			blindLabel: s.blindLabel,
			judged,
			mine: full.judgements.some((j) => j.judgeId === viewer.id),
			flagged: full.duplicates.length > 0,
		};
	return {
		...base,
		blindLabel: s.blindLabel,
		task: latest?.taskName ?? null,
		entrant: full.entrant?.name ?? null,
		judged,
		winner: s.winner,
		flagged: full.duplicates.length > 0,
	};
}
