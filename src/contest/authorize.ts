/**
 * @module Who may do what in a contest: one `authorize(principal, action, resource)` that every
 * contest route calls before it reads or changes anything. A refusal is a 403 naming the action;
 * the dispatcher writes it to the audit log.
 */
import { ApiError } from "../server/api-error.js";
import type { Role } from "./contest-file.js";

export interface Principal {
	id: string;
	name: string;
	role: Role;
}

export type Action =
	| "contest.view"
	| "submission.create"
	| "submission.revise"
	| "submission.view"
	| "submission.data"
	| "results.public"
	| "results.private"
	| "judgement.write"
	| "judgement.others"
	| "ranking.view"
	| "round.publish"
	| "winner.set"
	| "export"
	| "people.manage"
	| "audit.view"
	| "runs.manage";

/** What the decision may depend on; each action reads only the fields it needs. */
export interface Resource {
	/** Entrant who owns the submission. */
	ownerId?: string;
	/** Judge whose judgement is written. */
	judgeId?: string;
	/** Whether the principal (a judge) has scored this submission. */
	hasScored?: boolean;
	/** Whether the organisers published the round's results. */
	published?: boolean;
	/** Whether entrants may see their own public-ladder results. */
	publicResultsPublished?: boolean;
	/** A winner of a round whose results are published: its report is for everyone. */
	publishedWinner?: boolean;
}

export class Forbidden extends ApiError {
	constructor(
		readonly action: Action,
		message: string,
	) {
		super(403, message, "this account's role does not allow it; ask the organisers if you think it should");
		this.name = "Forbidden";
	}
}

type Rule = (p: Principal, r: Resource) => true | string;

const organiserOnly: Rule = (p) => p.role === "organiser" || "only organisers may do this";

const rules: Record<Action, Rule> = {
	"contest.view": () => true,
	"submission.create": (p) => p.role === "entrant" || "only entrants submit tasks",
	"submission.revise": (p, r) =>
		(p.role === "entrant" && r.ownerId === p.id) || "only the entrant who made a submission may revise it",
	"submission.view": (p, r) =>
		p.role !== "entrant" || r.ownerId === p.id || "entrants see only their own submissions",
	"submission.data": (p, r) =>
		p.role !== "entrant" || r.ownerId === p.id || "entrants see only their own submissions",
	"results.public": (p, r) =>
		p.role !== "entrant" ||
		(r.ownerId === p.id && r.publicResultsPublished === true) ||
		r.publishedWinner === true ||
		"these results are not published to entrants",
	"results.private": (p) =>
		p.role !== "entrant" || "private-ladder results are for judges and organisers only",
	"judgement.write": (p, r) =>
		(p.role === "judge" && r.judgeId === p.id) || "a judge may write only their own scores",
	"judgement.others": (p, r) => {
		if (p.role === "organiser") return true;
		if (p.role === "judge")
			return (
				r.hasScored === true || "other judges' scores are shown only after you have scored this submission"
			);
		if (r.ownerId !== p.id) return "entrants see only their own submissions";
		return (
			r.published === true ||
			"the judges' scores and comments on your submission are shown to you when the organisers publish the round's results"
		);
	},
	"ranking.view": (p, r) =>
		p.role === "organiser" || r.published === true || "the ranking is shown once the organisers publish it",
	"round.publish": organiserOnly,
	"winner.set": organiserOnly,
	export: organiserOnly,
	"people.manage": organiserOnly,
	"audit.view": organiserOnly,
	"runs.manage": organiserOnly,
};

/** Throws Forbidden (403) unless `principal` may do `action` on `resource`. */
export function authorize(principal: Principal, action: Action, resource: Resource = {}): void {
	const verdict = rules[action](principal, resource);
	if (verdict !== true) throw new Forbidden(action, verdict);
}

/** The same decision as a boolean, for views that show or hide a part. */
export function allowed(principal: Principal, action: Action, resource: Resource = {}): boolean {
	return rules[action](principal, resource) === true;
}
