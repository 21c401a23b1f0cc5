/** @module Ladder files (`ladder.yaml`): one named ladder, model paths relative to the file. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { LadderError } from "./errors.js";
import { describeIssues, ladderEntrySchema, toLadder } from "./model-schema.js";
import { fileStem } from "./names.js";
import type { Ladder } from "./types.js";

const example = `name: my-ladder
models:
  - name: small
    file: models/small.gguf
    parameters: 160M
  - name: large
    uri: hf:owner/repo/large.Q8_0.gguf
    parameters: 1.4B
    training_tokens: 300B`;

/** Reads a YAML file, or throws a LadderError naming the file, line and column. */
export function readYamlFile(path: string): unknown {
	let text: string;
	try {
		text = readFileSync(path, "utf8");
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new LadderError(
			`cannot read ${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
			"invalid-ladder",
		);
	}
	try {
		return parseYaml(text);
	} catch (error) {
		if (error instanceof YAMLParseError) {
			const at = error.linePos?.[0];
			const where = at ? `${path}:${at.line}:${at.col}` : path;
			throw new LadderError(`${where}: not valid YAML: ${error.message.split("\n")[0]}`, "invalid-ladder");
		}
		throw error;
	}
}

/** Loads and validates one ladder file; the ladder's name defaults to the file name. */
export function loadLadderFile(path: string): Ladder {
	const absolute = resolve(path);
	const data = readYamlFile(absolute);
	const withName =
		data !== null && typeof data === "object" && !Array.isArray(data) && !("name" in data)
			? { name: fileStem(absolute), ...data }
			: data;
	if (withName === null || typeof withName !== "object" || Array.isArray(withName))
		throw new LadderError(
			`${absolute}: a ladder file holds a name and a list of models`,
			"invalid-ladder",
			`For example:\n${example}`,
		);
	const parsed = ladderEntrySchema.safeParse(withName);
	if (!parsed.success) {
		const lines = describeIssues(parsed.error.issues, withName);
		throw new LadderError(
			`${absolute}: invalid ladder:\n${lines.map((line) => `  - ${line}`).join("\n")}`,
			"invalid-ladder",
			"Numbers may be written as 160M, 1.4B, 300B, 2T or 1_000_000; each model needs one of file, uri or openai.",
		);
	}
	const ladder = toLadder(parsed.data, dirname(absolute));
	if (!ladder.ok) throw new LadderError(`${absolute}: ${ladder.reason}`, "invalid-ladder");
	return ladder.ladder;
}
