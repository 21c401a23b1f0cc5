/**
 * @module The prize task catalog in the app: the list for the task step, and taking a catalog task
 * (downloaded on first use through the hub downloader, with its card) as an upload, so it is
 * validated and run exactly like a file the user dropped.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { LadderError } from "../ladders/errors.js";
import { prizeTask, prizeTasks } from "../tasks/prize-catalog.js";
import { ensurePrizeTask } from "../tasks/prize-files.js";
import { listPrizeTasks } from "../tasks/prize-listing.js";
import { ApiError } from "./api-error.js";
import type { UploadStore } from "./uploads.js";

/** The catalog with what is on disk, as the task step shows it. */
export function prizeTaskList() {
	return {
		tasks: listPrizeTasks().map((t) => ({
			name: t.name,
			title: t.title,
			file: t.file,
			bytes: t.bytes,
			type: t.type,
			metric: t.metric,
			round: t.round,
			cause: t.cause,
			shots: t.shots,
			authors: t.authors,
			description: t.description,
			licence: t.licence,
			onDisk: t.state.kind === "present",
			...(t.matchesCatalog !== undefined && { matchesCatalog: t.matchesCatalog }),
		})),
	};
}

/** Fetches the task when needed and makes an upload of it (file and card); LadderError becomes an ApiError. */
export async function uploadPrizeTask(uploads: UploadStore, name: string, signal?: AbortSignal) {
	const task = prizeTask(name);
	if (!task)
		throw new ApiError(
			404,
			`no prize task named ${JSON.stringify(name)}`,
			`the prize tasks are ${prizeTasks.map((t) => t.name).join(", ")}`,
		);
	let file: Awaited<ReturnType<typeof ensurePrizeTask>>;
	try {
		file = await ensurePrizeTask(task, { signal });
	} catch (error) {
		if (error instanceof LadderError)
			throw new ApiError(error.code === "network" ? 504 : 502, error.message, error.hint);
		throw error;
	}
	const created = uploads.create(task.file, readFileSync(file.path));
	const upload = uploads.setCatalog(
		uploads.setCard(created.id, basename(file.cardPath), readFileSync(file.cardPath)).id,
		file.provenance,
	);
	return {
		upload,
		validation: await uploads.validate(upload),
		downloaded: file.downloaded,
		cardText: readFileSync(file.cardPath, "utf8"),
	};
}
