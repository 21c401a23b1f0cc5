/**
 * @module Turning a `--ladder` argument into a Ladder: a catalog name (optionally `:sizes`), a
 * user ladder name, or a path to a ladder YAML file.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { builtinLadder, builtinLadderNames } from "./builtin.js";
import { catalogEntries, catalogLadder } from "./catalog.js";
import { LadderError } from "./errors.js";
import { loadLadderFile } from "./ladder-file.js";
import type { Ladder, LadderModel } from "./types.js";
import { loadUserLadders } from "./user-ladders.js";

export interface ResolveLadderOptions {
	/** A ladders config file read after `$INVSCALE_HOME/ladders.yaml` (`--ladders-config`). */
	configFile?: string;
	/** Folder that relative ladder file paths start from (default: the current folder). */
	cwd?: string;
	env?: NodeJS.ProcessEnv;
}

const isYamlPath = (text: string) => /\.ya?ml$/i.test(text);

/**
 * Resolves `spec`: an existing file path first, then `name[:size,size…]` looked up among the
 * user's ladders (which take precedence over catalog ladders of the same name), then the catalog.
 */
export async function resolveLadder(spec: string, options: ResolveLadderOptions = {}): Promise<Ladder> {
	const cwd = options.cwd ?? process.cwd();
	const trimmed = spec.trim();
	if (trimmed.length === 0)
		throw new LadderError("--ladder needs a name or a file", "unknown-ladder", knownLaddersHint(options));
	const asPath = resolve(cwd, trimmed);
	if (existsSync(asPath) && statSync(asPath).isFile()) return loadLadderFile(asPath);

	const colon = trimmed.lastIndexOf(":");
	const name = colon > 0 ? trimmed.slice(0, colon) : trimmed;
	const sizes =
		colon > 0
			? trimmed
					.slice(colon + 1)
					.split(",")
					.map((size) => size.trim())
					.filter(Boolean)
			: [];
	if (colon > 0 && sizes.length === 0)
		throw new LadderError(
			`"${spec}": no sizes after ":"`,
			"unknown-ladder",
			`Write e.g. ${name}:160m,410m, or just ${name} for all sizes.`,
		);

	const ladder =
		findNamedLadder(name, options) ?? (isYamlPath(name) ? loadLadderFile(resolve(cwd, name)) : undefined);
	if (!ladder) {
		const looksLikePath = isYamlPath(trimmed) || trimmed.includes("/") || trimmed.includes("\\");
		throw new LadderError(
			looksLikePath ? `ladder file not found: ${asPath}` : `unknown ladder "${name}"`,
			"unknown-ladder",
			knownLaddersHint(options),
		);
	}
	return sizes.length > 0 ? selectModels(ladder, sizes) : ladder;
}

function findNamedLadder(name: string, options: ResolveLadderOptions): Ladder | undefined {
	const user = loadUserLadders(options.configFile, options.env).find((entry) => entry.ladder.name === name);
	return user?.ladder ?? builtinLadder(name) ?? catalogLadder(name);
}

function knownLaddersHint(options: ResolveLadderOptions): string {
	const catalog = [...builtinLadderNames(), ...catalogEntries().map((entry) => entry.name)];
	let user: string[] = [];
	try {
		user = loadUserLadders(options.configFile, options.env).map((entry) => entry.ladder.name);
	} catch {
		// A broken config is reported when it is used; the hint still lists the catalog.
	}
	const userPart = user.length > 0 ? `; your ladders: ${user.join(", ")}` : "";
	return `Known ladders: ${catalog.join(", ")}${userPart}. Pick sizes with NAME:SIZE,SIZE (e.g. pythia:160m,410m), give a ladder .yaml file, or run \`invscale ladders\` to see them all.`;
}

/** Whether `token` names `model`: its full name, a name ending in `-token`, or a catalog alias. */
export function modelMatches(model: LadderModel, token: string, aliases: readonly string[] = []): boolean {
	const wanted = token.toLowerCase();
	const name = model.name.toLowerCase();
	return (
		name === wanted || name.endsWith(`-${wanted}`) || aliases.some((alias) => alias.toLowerCase() === wanted)
	);
}

/**
 * The models of `ladder` picked by `sizes` (full names, `-suffix`es like `160m`, or catalog
 * aliases), kept in ladder order. Unknown sizes are an error listing the ladder's sizes.
 */
export function selectModels(ladder: Ladder, sizes: string[]): Ladder {
	const catalog = catalogEntries().find((entry) => entry.name === ladder.name);
	const aliasesOf = (model: LadderModel) =>
		catalog?.models.find((entry) => entry.name === model.name)?.aliases ?? [];
	const unknown = sizes.filter(
		(size) => !ladder.models.some((model) => modelMatches(model, size, aliasesOf(model))),
	);
	if (unknown.length > 0) {
		const available = ladder.models.map((model) => {
			const alias = aliasesOf(model)[0];
			return alias ? `${alias} (${model.name})` : model.name;
		});
		throw new LadderError(
			`ladder "${ladder.name}" has no size ${unknown.map((size) => `"${size}"`).join(", ")}`,
			"unknown-ladder",
			`Its sizes: ${available.join(", ")}.`,
		);
	}
	const models = ladder.models.filter((model) =>
		sizes.some((size) => modelMatches(model, size, aliasesOf(model))),
	);
	// The name stays the ladder's own (it may end up in file names); the description says which sizes.
	const picked = `sizes ${models.map((model) => model.name).join(", ")}`;
	return {
		...ladder,
		description: ladder.description ? `${ladder.description} (${picked})` : picked,
		models,
	};
}
