/**
 * @module The user's own ladders: `$INVSCALE_HOME/ladders.yaml` and/or a `--ladders-config FILE`,
 * each a list of ladders in the ladder-file form (a top-level list, or `ladders:` holding one).
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { invscaleHome } from "../util/home.js";
import { LadderError } from "./errors.js";
import { readYamlFile } from "./ladder-file.js";
import { describeIssues, ladderEntrySchema, toLadder } from "./model-schema.js";
import type { Ladder } from "./types.js";

export interface UserLadder {
	ladder: Ladder;
	/** The config file it was read from. */
	file: string;
}

/** The default user config file, `$INVSCALE_HOME/ladders.yaml`. */
export function defaultLaddersConfig(env: NodeJS.ProcessEnv = process.env): string {
	return join(invscaleHome(env), "ladders.yaml");
}

/** Reads one ladders config file; ladder names must be unique within it. */
export function loadLaddersConfig(path: string): UserLadder[] {
	const file = resolve(path);
	const data = readYamlFile(file);
	const list =
		data !== null && typeof data === "object" && !Array.isArray(data) && "ladders" in data
			? (data as { ladders: unknown }).ladders
			: data;
	if (data === null || data === undefined) return [];
	if (!Array.isArray(list))
		throw new LadderError(
			`${file}: a ladders config holds a list of ladders (each with a name and models)`,
			"invalid-ladder",
			"Write `ladders:` followed by items like `- name: my-ladder` with `models:` below each.",
		);
	const problems: string[] = [];
	const ladders: UserLadder[] = [];
	for (const [index, item] of list.entries()) {
		const parsed = ladderEntrySchema.safeParse(item);
		if (!parsed.success) {
			problems.push(...describeIssues(parsed.error.issues, list, [index]));
			continue;
		}
		const built = toLadder(parsed.data, dirname(file));
		if (!built.ok) problems.push(built.reason);
		else if (ladders.some((earlier) => earlier.ladder.name === built.ladder.name))
			problems.push(
				`ladder ${index + 1}: the name "${built.ladder.name}" is used twice; names must be unique`,
			);
		else ladders.push({ ladder: built.ladder, file });
	}
	if (problems.length > 0)
		throw new LadderError(
			`${file}: invalid ladders config:\n${problems.map((line) => `  - ${line}`).join("\n")}`,
			"invalid-ladder",
			"Numbers may be written as 160M, 1.4B, 300B, 2T or 1_000_000; each model needs one of file, uri or openai.",
		);
	return ladders;
}

/**
 * All user ladders: the default config (when it exists) then `configFile` (which must exist);
 * a ladder in `configFile` replaces one of the same name in the default config.
 */
export function loadUserLadders(configFile?: string, env: NodeJS.ProcessEnv = process.env): UserLadder[] {
	const byName = new Map<string, UserLadder>();
	const defaultFile = defaultLaddersConfig(env);
	const files = existsSync(defaultFile) ? [defaultFile] : [];
	if (configFile !== undefined && resolve(configFile) !== resolve(defaultFile)) files.push(configFile);
	for (const file of files) for (const entry of loadLaddersConfig(file)) byName.set(entry.ladder.name, entry);
	return [...byName.values()];
}
