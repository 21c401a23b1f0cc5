/** @module `--models a.gguf,b.gguf`: an unnamed ladder of local files, in the order given. */
import { resolve } from "node:path";
import { LadderError } from "./errors.js";
import { fileStem, inferFamily } from "./names.js";
import type { Ladder } from "./types.js";

/**
 * A ladder of local GGUF files (a comma-separated list or an array). Each model is named after
 * its file without extension; its family is the name's known prefix (`pythia-…`), else "default".
 * Files are not opened here; `ensureModelFile` checks that they exist.
 */
export function ladderFromModelPaths(paths: string | string[], cwd: string = process.cwd()): Ladder {
	const list = (Array.isArray(paths) ? paths : paths.split(","))
		.map((path) => path.trim())
		.filter((path) => path.length > 0);
	if (list.length === 0)
		throw new LadderError(
			"--models needs at least one model file",
			"invalid-ladder",
			"For example: --models small.gguf,large.gguf",
		);
	const models = list.map((path) => {
		const name = fileStem(path);
		return { name, family: inferFamily(name), source: { kind: "file" as const, path: resolve(cwd, path) } };
	});
	const seen = new Map<string, string>();
	for (const [index, model] of models.entries()) {
		const earlier = seen.get(model.name);
		if (earlier !== undefined)
			throw new LadderError(
				`--models: "${list[index]}" and "${earlier}" would both be named "${model.name}"`,
				"invalid-ladder",
				"Rename one of the files, or write a ladder file that gives each model a name.",
			);
		seen.set(model.name, list[index]);
	}
	return { name: "models", models };
}
