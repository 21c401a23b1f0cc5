/**
 * @module The YAML form of a ladder and its models (shared by ladder files and the user's
 * ladders config), validated with zod and turned into `Ladder` values.
 */
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { checkpointCoordinates, stepOfRevision } from "./checkpoints.js";
import { hfUriAt, parseHfUri } from "./hf-uri.js";
import { fileStem, inferFamily } from "./names.js";
import { parseCount } from "./numbers.js";
import { type Ladder, type LadderModel, type ModelSource, OPENAI_DIALECTS } from "./types.js";

/** A count written as a number or as text like `160M`, `1.4B`, `300B`, `2T`, `1_000_000`. */
const count = z.union([z.number(), z.string()]).transform((input, ctx) => {
	const parsed = parseCount(input);
	if (parsed.ok) return parsed.value;
	ctx.addIssue({ code: "custom", message: parsed.reason });
	return z.NEVER;
});

/** A training step: a whole number, 0 (the untrained start) included. */
const step = z.union([z.number(), z.string()]).transform((input, ctx) => {
	const text = typeof input === "number" ? String(input) : input.trim().replace(/[_,]/g, "");
	if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
	ctx.addIssue({ code: "custom", message: `"${input}" is not a training step (a whole number, e.g. 64000)` });
	return z.NEVER;
});

const revision = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
	message: "must be a branch, tag or commit name (letters, digits, '.', '_', '-'), e.g. step64000",
});

const httpUrl = z.string().regex(/^https?:\/\/\S+$/, {
	message: "must be an http:// or https:// address, e.g. http://127.0.0.1:8080/v1",
});

const openaiBlock = z.strictObject({
	base_url: z.union([httpUrl, z.array(httpUrl).min(1, { message: "needs at least one address" })]),
	model: z.string().min(1),
	api_key_env: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
			message: "must be the name of an environment variable, e.g. OPENAI_API_KEY",
		})
		.optional(),
	revision: revision.optional(),
	api: z.enum(["completions", "chat"]).optional(),
	dialect: z.enum(OPENAI_DIALECTS, { message: `must be one of ${OPENAI_DIALECTS.join(", ")}` }).optional(),
});

const anthropicBlock = z.strictObject({
	model: z.string().min(1),
	base_url: z.union([httpUrl, z.array(httpUrl).min(1, { message: "needs at least one address" })]).optional(),
	api_key_env: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
			message: "must be the name of an environment variable, e.g. ANTHROPIC_API_KEY",
		})
		.optional(),
});

/** Where Claude is served when a ladder names no base_url. */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";

export const modelEntrySchema = z
	.strictObject({
		name: z.string().min(1).optional(),
		family: z.string().min(1).optional(),
		file: z.string().min(1).optional(),
		uri: z.string().min(1).optional(),
		/** Expected file size in bytes, for `uri` models. */
		size: count.optional(),
		sha256: z
			.string()
			.regex(/^[0-9a-fA-F]{64}$/, { message: "must be 64 hexadecimal digits" })
			.optional(),
		openai: openaiBlock.optional(),
		anthropic: anthropicBlock.optional(),
		parameters: count.optional(),
		non_embedding_parameters: count.optional(),
		training_tokens: count.optional(),
		step: step.optional(),
		revision: revision.optional(),
		reasoning: z
			.boolean({ message: "must be true or false (false: a model that does not reason)" })
			.optional(),
	})
	.superRefine((entry, ctx) => {
		const sources = (["file", "uri", "openai", "anthropic"] as const).filter(
			(key) => entry[key] !== undefined,
		);
		if (sources.length !== 1)
			ctx.addIssue({
				code: "custom",
				message:
					sources.length === 0
						? "needs one of file (a local .gguf path), uri (hf:owner/repo/file.gguf), openai (a server block) or anthropic (a Claude block)"
						: `has ${sources.join(" and ")}; give exactly one of file, uri, openai or anthropic`,
			});
		if (entry.uri !== undefined) {
			const parsed = parseHfUri(entry.uri);
			if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["uri"], message: parsed.reason });
			else if (
				entry.revision !== undefined &&
				parsed.ref.revision !== "main" &&
				parsed.ref.revision !== entry.revision
			)
				ctx.addIssue({
					code: "custom",
					path: ["revision"],
					message: `"${entry.revision}" differs from the uri's revision "${parsed.ref.revision}"; give it once`,
				});
		}
		if (entry.openai?.dialect !== undefined && entry.openai.api !== "chat")
			ctx.addIssue({
				code: "custom",
				path: ["openai", "dialect"],
				message:
					"applies to chat servers only (add api: chat); a /v1/completions server is probed for what it can do",
			});
		const served = entry.openai?.revision;
		if (served !== undefined && entry.revision !== undefined && served !== entry.revision)
			ctx.addIssue({
				code: "custom",
				path: ["revision"],
				message: `"${entry.revision}" differs from openai.revision "${served}"; give it once`,
			});
		const named = stepOfRevision(entry.revision ?? served ?? uriRevision(entry.uri));
		if (entry.step !== undefined && named !== undefined && named !== entry.step)
			ctx.addIssue({
				code: "custom",
				path: ["step"],
				message: `${entry.step} differs from the step the revision names (${named}); fix one`,
			});
		if ((entry.size !== undefined || entry.sha256 !== undefined) && entry.uri === undefined)
			ctx.addIssue({ code: "custom", message: "size and sha256 apply to uri models only" });
	});

export type ModelEntry = z.output<typeof modelEntrySchema>;

function uriRevision(uri: string | undefined): string | undefined {
	const parsed = uri === undefined ? undefined : parseHfUri(uri);
	return parsed?.ok && parsed.ref.revision !== "main" ? parsed.ref.revision : undefined;
}

export const ladderEntrySchema = z.strictObject({
	name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
		message: "must be letters, digits, '.', '_' or '-' (no spaces or ':'), e.g. my-ladder",
	}),
	description: z.string().optional(),
	models: z.array(modelEntrySchema).min(1, { message: "needs at least one model" }),
});

export type LadderEntry = z.output<typeof ladderEntrySchema>;

/** Turns a validated model entry into a LadderModel; `file` paths resolve against `baseDir`. */
export function toLadderModel(entry: ModelEntry, baseDir: string): LadderModel {
	let source: ModelSource;
	let defaultName: string;
	let revision = entry.revision;
	if (entry.file !== undefined) {
		source = { kind: "file", path: isAbsolute(entry.file) ? entry.file : resolve(baseDir, entry.file) };
		defaultName = fileStem(entry.file);
	} else if (entry.uri !== undefined) {
		const parsed = parseHfUri(entry.uri);
		revision ??= uriRevision(entry.uri);
		// A revision given beside the uri becomes part of it: the download and cache path follow it.
		const uri = parsed.ok && revision !== undefined ? hfUriAt(parsed.ref, revision) : entry.uri;
		source = { kind: "hf", uri, size: entry.size, sha256: entry.sha256?.toLowerCase() };
		defaultName = fileStem(entry.uri.split("#")[0]);
	} else if (entry.anthropic !== undefined) {
		const anthropic = entry.anthropic;
		const urls = anthropic.base_url ?? ANTHROPIC_BASE_URL;
		source = dropUndefined({
			kind: "anthropic" as const,
			model: anthropic.model,
			baseUrls: Array.isArray(urls) ? urls : [urls],
			apiKeyEnv: anthropic.api_key_env,
		});
		defaultName = anthropic.model;
	} else {
		const openai = entry.openai!;
		source = {
			kind: "openai",
			baseUrls: Array.isArray(openai.base_url) ? openai.base_url : [openai.base_url],
			model: openai.model,
			apiKeyEnv: openai.api_key_env,
			revision: openai.revision ?? entry.revision,
			...(openai.api !== undefined && { api: openai.api }),
			...(openai.dialect !== undefined && { dialect: openai.dialect }),
		};
		revision ??= openai.revision;
		defaultName = openai.model;
	}
	// Checkpoints of one model share its file name: the revision tells their default names apart
	// (unless the name already says it, as a converted `pythia-410m-step64000.gguf` does).
	const name =
		entry.name ??
		(revision !== undefined && !defaultName.includes(revision) ? `${defaultName}-${revision}` : defaultName);
	const family = entry.family ?? inferFamily(name);
	const checkpoint = checkpointCoordinates({
		name,
		family,
		step: entry.step,
		trainingTokens: entry.training_tokens,
		revision,
	});
	return dropUndefined({
		name,
		family,
		source,
		parameters: entry.parameters,
		nonEmbeddingParameters: entry.non_embedding_parameters,
		trainingTokens: checkpoint.trainingTokens,
		step: checkpoint.step,
		revision,
		reasoning: entry.reasoning === false ? (false as const) : undefined,
	});
}

/** Turns a validated ladder entry into a Ladder, or names the duplicate model names. */
export function toLadder(
	entry: LadderEntry,
	baseDir: string,
): { ok: true; ladder: Ladder } | { ok: false; reason: string } {
	const models = entry.models.map((model) => toLadderModel(model, baseDir));
	const seen = new Set<string>();
	const duplicates = models.map((model) => model.name).filter((name) => seen.has(name) || !seen.add(name));
	if (duplicates.length > 0)
		return {
			ok: false,
			reason: `ladder "${entry.name}" has more than one model named ${[...new Set(duplicates)].map((n) => `"${n}"`).join(", ")}; give each a distinct name:`,
		};
	return { ok: true, ladder: dropUndefined({ name: entry.name, description: entry.description, models }) };
}

function dropUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * One line per zod issue, naming the model entry by position and name:
 * `models[2] "pythia-1b": training_tokens: "3OOB" is not a count …`.
 */
export function describeIssues(
	issues: readonly z.core.$ZodIssue[],
	data: unknown,
	prefix: PropertyKey[] = [],
): string[] {
	return issues.map((issue) => {
		const path = [...prefix, ...issue.path];
		const parts: string[] = [];
		let node: unknown = data;
		for (const [index, key] of path.entries()) {
			node =
				node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
			if (typeof key === "number") {
				const named =
					node !== null && typeof node === "object" && typeof (node as { name?: unknown }).name === "string"
						? ` "${(node as { name: string }).name}"`
						: "";
				const list = index > 0 ? String(path[index - 1]) : "ladders";
				const singular = list === "models" ? "model" : list === "ladders" ? "ladder" : `${list} entry`;
				if (index > 0) parts.pop();
				parts.push(`${singular} ${key + 1}${named}`);
			} else parts.push(String(key));
		}
		const where = parts.length > 0 ? `${parts.join(": ")}: ` : "";
		return `${where}${issueMessage(issue, path)}`;
	});
}

function issueMessage(issue: z.core.$ZodIssue, path: PropertyKey[]): string {
	if (issue.code !== "unrecognized_keys") return issue.message;
	const allowed =
		path.at(-1) === "openai"
			? "an openai block takes base_url, model, api_key_env, revision, api, dialect"
			: path.at(-1) === "anthropic"
				? "an anthropic block takes model, base_url, api_key_env"
				: path.at(-2) === "models"
					? "a model takes name, family, file | uri | openai | anthropic, size, sha256, parameters, non_embedding_parameters, training_tokens, step, revision, reasoning"
					: "a ladder takes name, description, models";
	return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (${allowed})`;
}
