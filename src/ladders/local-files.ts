/** @module What of a ladder is already on disk: the expected local path of each model and its state. */
import { join } from "node:path";
import { fileSize } from "../util/file-size.js";
import { modelsDir } from "../util/home.js";
import { hfCachePath, hfFileName, parseHfUri } from "./hf-uri.js";
import type { LadderModel } from "./types.js";

export type ModelFileState =
	/** The file is on disk, complete as far as its size says. */
	| { kind: "present"; path: string; bytes: number }
	/** A download was started and broken off; the next one resumes it. */
	| { kind: "partial"; path: string; bytes: number; total?: number }
	/** Not on disk: `path` is where a download puts it (or where a local file was expected). */
	| { kind: "missing"; path: string; total?: number }
	/** Served by a server: nothing to download. */
	| { kind: "remote" }
	/** A file of the wrong size sits where the model should be. */
	| { kind: "wrong-size"; path: string; bytes: number; total: number };

/**
 * Paths where a hub file may be: the cache path `<models>/<owner>/<repo>[@revision]/<file>`, then,
 * for the default revision only, `<models>/<file>` (a file there cannot say which checkpoint it is).
 */
export function hfLocalCandidates(uri: string, env: NodeJS.ProcessEnv = process.env): string[] {
	const parsed = parseHfUri(uri);
	if (!parsed.ok) return [];
	const folder = modelsDir(env);
	const cache = hfCachePath(parsed.ref, folder);
	return parsed.ref.revision === "main" ? [cache, join(folder, hfFileName(parsed.ref))] : [cache];
}

export function modelFileState(model: LadderModel, env: NodeJS.ProcessEnv = process.env): ModelFileState {
	const source = model.source;
	switch (source.kind) {
		case "openai":
		case "anthropic":
			return { kind: "remote" };
		case "file": {
			const bytes = fileSize(source.path);
			return bytes === undefined
				? { kind: "missing", path: source.path }
				: { kind: "present", path: source.path, bytes };
		}
		case "hf": {
			const candidates = hfLocalCandidates(source.uri, env);
			for (const path of candidates) {
				const bytes = fileSize(path);
				if (bytes === undefined) continue;
				if (source.size !== undefined && bytes !== source.size)
					return { kind: "wrong-size", path, bytes, total: source.size };
				return { kind: "present", path, bytes };
			}
			const [cachePath = source.uri] = candidates;
			const partial = fileSize(`${cachePath}.part`);
			if (partial !== undefined)
				return { kind: "partial", path: cachePath, bytes: partial, total: source.size };
			return { kind: "missing", path: cachePath, total: source.size };
		}
	}
}
