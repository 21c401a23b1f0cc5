/** @module The prize catalog with what of it is on disk, for `invscale tasks`, its JSON and the web app. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type PrizeTask, prizeTasks, prizeTaskUri } from "./prize-catalog.js";
import { type PrizeTaskState, prizeTaskState } from "./prize-files.js";

export interface ListedPrizeTask extends PrizeTask {
	uri: string;
	state: PrizeTaskState;
	/** For a file on disk: whether its sha256 is the catalog's. */
	matchesCatalog?: boolean;
	/** For a file on disk that differs: its own sha256. */
	sha256OnDisk?: string;
}

/** Every catalog task, in catalog order, with its state on disk (files on disk are hashed). */
export function listPrizeTasks(env: NodeJS.ProcessEnv = process.env): ListedPrizeTask[] {
	return prizeTasks.map((task) => {
		const state = prizeTaskState(task, env);
		const listed: ListedPrizeTask = { ...task, uri: prizeTaskUri(task), state };
		if (state.kind === "present") {
			const digest = createHash("sha256").update(readFileSync(state.path)).digest("hex");
			listed.matchesCatalog = digest === task.sha256;
			if (!listed.matchesCatalog) listed.sha256OnDisk = digest;
		}
		return listed;
	});
}
