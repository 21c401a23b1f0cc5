/**
 * @module Prize catalog tasks on disk: where each file lives under INVSCALE_HOME/tasks, what of it is
 * there, and fetching it through the models' resumable, offline-aware hub downloader. A file whose
 * sha256 differs from the catalog is used, and the difference is reported with both hashes.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { downloadHubFile, type EnsureModelFileOptions } from "../ladders/download.js";
import { LadderError } from "../ladders/errors.js";
import { hfDatasetFileUrl } from "../ladders/hf-uri.js";
import { hubSettings } from "../ladders/hub-settings.js";
import type { CatalogProvenance } from "../run/manifest.js";
import { fileSize } from "../util/file-size.js";
import { sha256File } from "../util/hash.js";
import { tasksDir } from "../util/home.js";
import { prizeCardYaml } from "./prize-card.js";
import { type PrizeTask, prizeDataset, prizeTaskUri } from "./prize-catalog.js";

export type PrizeTaskState =
	| { kind: "present"; path: string; bytes: number }
	/** A download was broken off; the next one resumes it. */
	| { kind: "partial"; path: string; bytes: number }
	| { kind: "missing"; path: string };

/** Where a catalog task's file is kept: `<INVSCALE_HOME>/tasks/<owner>/<dataset>/<file>`. */
export function prizeTaskPath(task: PrizeTask, env: NodeJS.ProcessEnv = process.env): string {
	return join(tasksDir(env), ...prizeDataset.split("/"), task.file);
}

/** The card path beside a task file: `<stem>.card.yaml`. */
export function prizeCardPath(taskPath: string): string {
	return taskPath.replace(/\.jsonl$/, ".card.yaml");
}

export function prizeTaskState(task: PrizeTask, env: NodeJS.ProcessEnv = process.env): PrizeTaskState {
	const path = prizeTaskPath(task, env);
	const bytes = fileSize(path);
	if (bytes !== undefined) return { kind: "present", path, bytes };
	const partial = fileSize(`${path}.part`);
	if (partial !== undefined) return { kind: "partial", path, bytes: partial };
	return { kind: "missing", path };
}

export interface PrizeTaskFile {
	task: PrizeTask;
	path: string;
	cardPath: string;
	/** Whether this call downloaded it. */
	downloaded: boolean;
	provenance: CatalogProvenance;
}

/** The words said when a file differs from the catalog, or undefined when it matches. */
export function provenanceWarning(provenance: CatalogProvenance): string | undefined {
	if (provenance.matches) return undefined;
	return `${provenance.file} differs from the catalog's copy: sha256 ${provenance.sha256} (${provenance.bytes} bytes), catalog ${provenance.expectedSha256} (${provenance.expectedBytes} bytes). It is used as it is; results may not be comparable with published ones.`;
}

/**
 * The catalog task's file on disk, downloaded first when missing (offline: only what is on disk),
 * with its card written beside it from the catalog. Throws LadderError (`model-missing` offline,
 * `network`, `hub-error`, `busy`, `aborted`).
 */
export async function ensurePrizeTask(
	task: PrizeTask,
	options: EnsureModelFileOptions = {},
): Promise<PrizeTaskFile> {
	const env = options.env ?? process.env;
	const settings = hubSettings(env);
	const state = prizeTaskState(task, env);
	const uri = prizeTaskUri(task);
	let downloaded = false;
	if (state.kind !== "present") {
		if (options.offline || settings.offline)
			throw new LadderError(
				`offline, and prize:${task.name} is not on disk: ${state.path} is missing`,
				"model-missing",
				`Run \`invscale pull prize:${task.name}\` where there is network and copy ${tasksDir(env)} here, or give the task file itself (${task.file}) as a path.`,
			);
		await downloadHubFile(
			{
				url: hfDatasetFileUrl(prizeDataset, task.file, settings.endpoint),
				destination: state.path,
				fileName: task.file,
				uri,
				// No size or hash here: a file that differs from the catalog is kept and reported.
				expected: {},
				withoutNetwork: `Without network: run \`invscale pull prize:${task.name}\` on a machine with network and copy ${tasksDir(env)} here, or give the task file itself (${task.file}) as a path.`,
			},
			options,
		);
		downloaded = true;
	}
	const path = state.path;
	const cardPath = prizeCardPath(path);
	const card = prizeCardYaml(task);
	if (!existsSync(cardPath) || readFileSync(cardPath, "utf8") !== card) writeFileSync(cardPath, card);
	const sha256 = await sha256File(path);
	const bytes = statSync(path).size;
	return {
		task,
		path,
		cardPath,
		downloaded,
		provenance: {
			catalog: "inverse-scaling-prize",
			name: task.name,
			file: task.file,
			uri,
			sha256,
			bytes,
			expectedSha256: task.sha256,
			expectedBytes: task.bytes,
			matches: sha256 === task.sha256 && bytes === task.bytes,
		},
	};
}
