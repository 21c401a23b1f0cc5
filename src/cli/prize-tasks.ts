/**
 * @module Turning task arguments into files for `eval` and `pull`: `prize:…` names are fetched from
 * the catalog (with progress on stderr and a plain warning for files that differ from it); other
 * arguments are paths and pass through.
 */
import type { EnsureModelFileOptions } from "../ladders/download.js";
import type { CatalogProvenance } from "../run/manifest.js";
import { isPrizeSpec, PrizeSpecError, type PrizeTask, parsePrizeSpec } from "../tasks/prize-catalog.js";
import { ensurePrizeTask, type PrizeTaskFile, provenanceWarning } from "../tasks/prize-files.js";
import { createDownloadProgress } from "./download-progress.js";
import { CliError, exitCodes } from "./errors.js";

export interface ResolvedTasks {
	files: string[];
	provenance: Record<string, CatalogProvenance>;
	fetched: PrizeTaskFile[];
}

/** The catalog tasks an argument list names, in order (each once); throws a usage error for unknown names. */
export function prizeTasksOf(args: string[]): PrizeTask[] {
	try {
		return [...new Set(args.filter(isPrizeSpec).flatMap(parsePrizeSpec))];
	} catch (error) {
		if (error instanceof PrizeSpecError) throw new CliError(error.message, exitCodes.usage, error.hint);
		throw error;
	}
}

/** Files for `args`, fetching catalog tasks first; warnings go to `stderr`. */
export async function resolveTaskArgs(
	args: string[],
	options: EnsureModelFileOptions = {},
	stderr: NodeJS.WritableStream = process.stderr,
): Promise<ResolvedTasks> {
	prizeTasksOf(args); // every name is checked before anything is fetched
	const display = createDownloadProgress(stderr as never);
	const files: string[] = [];
	const provenance: Record<string, CatalogProvenance> = {};
	const fetched: PrizeTaskFile[] = [];
	try {
		for (const arg of args) {
			if (!isPrizeSpec(arg)) {
				files.push(arg);
				continue;
			}
			for (const task of parsePrizeSpec(arg)) {
				if (fetched.some((f) => f.task.name === task.name)) continue;
				let current: string | undefined;
				try {
					const file = await ensurePrizeTask(task, {
						...options,
						onProgress: (progress) => {
							current = progress.file;
							display.update(progress);
						},
					});
					if (current) display.finish(current);
					const warning = provenanceWarning(file.provenance);
					if (warning) stderr.write(`warning: prize:${task.name}: ${warning}\n`);
					fetched.push(file);
					files.push(file.path);
					provenance[file.path] = file.provenance;
				} catch (error) {
					if (current) display.finish(current, "failed");
					throw error;
				}
			}
		}
	} finally {
		display.close();
	}
	return { files, provenance, fetched };
}
