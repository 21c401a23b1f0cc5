/**
 * @module The contest file (`CONTEST.yaml`): name, rounds, the public and the private ladder, the
 * rules, the rubric with weights, the people named up front (organisers, judges) by the sha256 of
 * their token, and what is published to entrants. Validated with zod; every problem names its field.
 */
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../ladders/ladder-file.js";
import { describeIssues, ladderEntrySchema, toLadder } from "../ladders/model-schema.js";
import type { Ladder } from "../ladders/types.js";
import { isTaskTypeName, taskTypeNames } from "../tasks/index.js";
import type { TaskTypeName } from "../tasks/types.js";

export const roles = ["entrant", "judge", "organiser"] as const;
export type Role = (typeof roles)[number];

const date = z.union([z.string(), z.date()]).transform((value, ctx) => {
	const parsed = value instanceof Date ? value : new Date(value);
	if (Number.isNaN(parsed.getTime())) {
		ctx.addIssue({
			code: "custom",
			message: `${JSON.stringify(value)} is not a date (write 2027-03-01 or 2027-03-01T12:00:00Z)`,
		});
		return z.NEVER;
	}
	return parsed.toISOString();
});

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, {
	message: "must be lower-case letters, digits and '-', e.g. round-1",
});

const roundSchema = z
	.strictObject({ id: slug, name: z.string().min(1).optional(), opens: date, closes: date })
	.refine((r) => r.opens < r.closes, { message: "closes must come after opens" });

const criterionSchema = z.strictObject({
	id: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, { message: "must be lower-case letters, digits and _" }),
	label: z.string().min(1),
	weight: z.number().positive(),
	help: z.string().optional(),
});

const personSchema = z.strictObject({
	name: z.string().min(1).max(80),
	role: z.enum(roles),
	token_sha256: z.string().regex(/^[0-9a-f]{64}$/, {
		message: "must be the 64 hex digits `invscale contest --new-token` prints",
	}),
});

const fileSchema = z.strictObject({
	name: z.string().min(1).max(120),
	/** The address people use (behind the reverse proxy); requests from any other origin are refused. */
	public_url: z
		.string()
		.regex(/^https?:\/\/[^/\s]+\/?$/, { message: "must be an origin like https://bounty.example.org" })
		.optional(),
	rounds: z.array(roundSchema).min(1, { message: "needs at least one round" }),
	public_ladder: ladderEntrySchema,
	/** Judges see the private models' sizes only when the organisers say so: a size can name a house model. */
	private_ladder: ladderEntrySchema.extend({ show_sizes: z.boolean().default(false) }),
	rules: z
		.strictObject({
			min_examples: z.number().int().min(1).default(300),
			task_types: z.array(z.string()).min(1).optional(),
			require_card: z.boolean().default(true),
			max_upload_mb: z.number().positive().max(1024).default(20),
			submissions_per_hour: z.number().int().min(1).default(10),
		})
		.default({ min_examples: 300, require_card: true, max_upload_mb: 20, submissions_per_hour: 10 }),
	rubric: z.strictObject({
		min: z.number().int().default(1),
		max: z.number().int().default(5),
		criteria: z.array(criterionSchema).min(1),
	}),
	people: z.array(personSchema).default([]),
	publish: z
		.strictObject({
			/** Entrants see their own public-ladder results. */
			public_results: z.boolean().default(true),
			/** Entrants see the verdict (not the numbers or the models) of the private ladder. */
			private_verdict: z.boolean().default(false),
		})
		.default({ public_results: true, private_verdict: false }),
	/** Task files of earlier winners: new submissions too close to one are flagged. */
	previous_winners: z.array(z.string().min(1)).default([]),
	/** Anyone may sign up as an entrant in the page (limited per address); otherwise organisers add everyone. */
	open_registration: z.boolean().default(false),
	/** Two versions count as near-duplicates at this content similarity (0–1). */
	duplicate_threshold: z.number().min(0).max(1).default(0.6),
});

export interface Round {
	id: string;
	name: string;
	opens: string;
	closes: string;
}

export interface Criterion {
	id: string;
	label: string;
	weight: number;
	help?: string;
}

export interface ContestConfig {
	/** Absolute path of the contest file. */
	file: string;
	/** A stable id for the store, from the name. */
	id: string;
	name: string;
	publicUrl?: string;
	rounds: Round[];
	publicLadder: Ladder;
	/** Never sent to a browser: names, endpoints and key variables stay on the server. */
	privateLadder: Ladder;
	/** Judges see the private models' sizes; otherwise ranks 1…n (smallest first). */
	showPrivateSizes: boolean;
	rules: {
		minExamples: number;
		taskTypes?: TaskTypeName[];
		requireCard: boolean;
		maxUploadBytes: number;
		submissionsPerHour: number;
	};
	rubric: { min: number; max: number; criteria: Criterion[] };
	people: { name: string; role: Role; tokenSha256: string }[];
	publish: { publicResults: boolean; privateVerdict: boolean };
	previousWinners: string[];
	duplicateThreshold: number;
	openRegistration: boolean;
}

export class ContestFileError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = "ContestFileError";
	}
}

export const contestExample = `name: Inverse Scaling Bounty
rounds:
  - { id: round-1, opens: 2027-01-01, closes: 2027-03-01 }
public_ladder:
  name: public
  models:
    - { name: pythia-70m, file: models/pythia-70m.gguf, parameters: 70M }
private_ladder:
  name: private
  show_sizes: false
  models:
    - name: big
      parameters: 70B
      openai: { base_url: http://10.0.0.5:8000/v1, model: big, api_key_env: PRIVATE_KEY }
rubric:
  criteria:
    - { id: strength, label: Strength, weight: 2 }
people:
  - { name: Olive, role: organiser, token_sha256: <64 hex digits> }`;

/** Reads and checks a contest file; throws ContestFileError naming the file and the field. */
export function loadContestFile(path: string): ContestConfig {
	const file = resolve(path);
	let data: unknown;
	try {
		data = readYamlFile(file);
	} catch (error) {
		throw new ContestFileError((error as Error).message, `a contest file looks like:\n${contestExample}`);
	}
	return parseContest(data, file);
}

/** Checks contest data already read from YAML (file paths resolve against the file's folder). */
export function parseContest(data: unknown, file: string): ContestConfig {
	const parsed = fileSchema.safeParse(data);
	if (!parsed.success) {
		const lines = describeIssues(parsed.error.issues, data);
		throw new ContestFileError(
			`${file}: invalid contest file:\n${lines.map((l) => `  - ${l}`).join("\n")}`,
			`a contest file looks like:\n${contestExample}`,
		);
	}
	const c = parsed.data;
	const base = dirname(file);
	const ladder = (entry: z.output<typeof ladderEntrySchema>, key: string): Ladder => {
		const result = toLadder(entry, base);
		if (!result.ok) throw new ContestFileError(`${file}: ${key}: ${result.reason}`);
		return result.ladder;
	};
	const types = c.rules.task_types;
	const unknown = types?.filter((t) => !isTaskTypeName(t)) ?? [];
	if (unknown.length > 0)
		throw new ContestFileError(
			`${file}: rules: task_types: unknown type ${unknown.map((t) => JSON.stringify(t)).join(", ")}`,
			`use some of: ${taskTypeNames.join(", ")}`,
		);
	const ids = new Set<string>();
	for (const r of c.rounds) {
		if (ids.has(r.id)) throw new ContestFileError(`${file}: rounds: two rounds have the id ${r.id}`);
		ids.add(r.id);
	}
	const criteria = new Set<string>();
	for (const k of c.rubric.criteria) {
		if (criteria.has(k.id)) throw new ContestFileError(`${file}: rubric: two criteria have the id ${k.id}`);
		criteria.add(k.id);
	}
	if (c.rubric.min >= c.rubric.max)
		throw new ContestFileError(`${file}: rubric: min (${c.rubric.min}) must be below max (${c.rubric.max})`);
	const hashes = new Set<string>();
	for (const p of c.people) {
		if (hashes.has(p.token_sha256))
			throw new ContestFileError(
				`${file}: people: ${p.name} shares a token with someone else`,
				"give each person their own token",
			);
		hashes.add(p.token_sha256);
	}
	return {
		file,
		id:
			c.name
				.toLowerCase()
				.replace(/[^a-z0-9]+/g, "-")
				.replace(/^-|-$/g, "") || "contest",
		name: c.name,
		...(c.public_url ? { publicUrl: c.public_url.replace(/\/$/, "") } : {}),
		rounds: c.rounds.map((r) => ({ id: r.id, name: r.name ?? r.id, opens: r.opens, closes: r.closes })),
		publicLadder: ladder(c.public_ladder, "public_ladder"),
		privateLadder: ladder((({ show_sizes: _show, ...entry }) => entry)(c.private_ladder), "private_ladder"),
		showPrivateSizes: c.private_ladder.show_sizes,
		rules: {
			minExamples: c.rules.min_examples,
			...(types ? { taskTypes: types as TaskTypeName[] } : {}),
			requireCard: c.rules.require_card,
			maxUploadBytes: Math.round(c.rules.max_upload_mb * 1024 * 1024),
			submissionsPerHour: c.rules.submissions_per_hour,
		},
		rubric: c.rubric,
		people: c.people.map((p) => ({ name: p.name, role: p.role, tokenSha256: p.token_sha256 })),
		publish: { publicResults: c.publish.public_results, privateVerdict: c.publish.private_verdict },
		previousWinners: c.previous_winners.map((p) => resolve(base, p)),
		duplicateThreshold: c.duplicate_threshold,
		openRegistration: c.open_registration,
	};
}

/** The round open at `now`, if any. */
export function openRound(config: ContestConfig, now = new Date()): Round | undefined {
	const t = now.toISOString();
	return config.rounds.find((r) => r.opens <= t && t < r.closes);
}

/** Every string that would identify the private ladder: names, families, model ids, endpoints, hosts. */
export function privateStrings(config: ContestConfig): string[] {
	const out = new Set<string>();
	out.add(config.privateLadder.name);
	for (const m of config.privateLadder.models) {
		out.add(m.name);
		if (m.source.kind === "openai" || m.source.kind === "anthropic") {
			out.add(m.source.model);
			for (const url of m.source.baseUrls) {
				out.add(url);
				out.add(new URL(url).host);
			}
			if (m.source.apiKeyEnv) out.add(m.source.apiKeyEnv);
		} else if (m.source.kind === "file") out.add(m.source.path);
		else out.add(m.source.uri);
	}
	return [...out];
}
