/**
 * @module The evaluation queue of a contest: every accepted version is scored on the public and the
 * private ladder through the app's run manager (so through `runEval`, with the score cache). The
 * links from version to run are in the store; at start, runs a stopped server cut off are resumed
 * and accepted versions without runs are queued, so a restart loses nothing.
 */
import type { Ladder } from "../ladders/types.js";
import type { RunManager, RunView, StoredRunOptions } from "../server/run-manager.js";
import type { UploadStore } from "../server/uploads.js";
import type { ContestConfig } from "./contest-file.js";
import type { ContestStore, LadderKind, Version } from "./contest-store.js";

export const ladderKinds: readonly LadderKind[] = ["public", "private"];

export class ContestEvaluation {
	constructor(
		private readonly config: ContestConfig,
		private readonly store: ContestStore,
		private readonly runs: RunManager,
		private readonly uploads: UploadStore,
	) {}

	private ladder(kind: LadderKind): Ladder {
		return kind === "public" ? this.config.publicLadder : this.config.privateLadder;
	}

	/** Queues the runs a version still lacks. */
	queue(version: Version): void {
		if (!version.accepted) return;
		const upload = this.uploads.get(version.uploadId);
		for (const kind of ladderKinds) {
			if (this.store.runOf(version.submissionId, version.version, kind)) continue;
			const ladder = this.ladder(kind);
			const options: StoredRunOptions = {
				version: 2,
				taskName: version.taskName,
				uploadId: upload.id,
				taskFile: this.uploads.taskFile(upload),
				...(upload.type ? { type: upload.type } : {}),
				choice: { kind: "ladder", name: ladder.name },
				ladderName: ladder.name,
				models: ladder.models,
			};
			const view = this.runs.start(options, `the ${kind} ladder`);
			this.store.linkRun(view.id, version.submissionId, version.version, kind);
		}
	}

	/** After a start: resume what was cut off, queue what was never queued. Returns how many runs. */
	recover(): number {
		let count = 0;
		for (const link of this.store.runs()) {
			// Only the newest accepted version of a submission is worth finishing.
			if (this.store.latestAccepted(link.submissionId)?.version !== link.version) continue;
			const record = this.runs.find(link.runId);
			if (record?.status === "interrupted") {
				this.runs.resume(link.runId);
				count++;
			}
		}
		for (const s of this.store.submissions()) {
			const v = this.store.latestAccepted(s.id);
			if (v && ladderKinds.some((k) => !this.store.runOf(s.id, v.version, k))) {
				this.queue(v);
				count++;
			}
		}
		return count;
	}

	/** Cancels the runs of a submission's earlier versions still waiting or running (a newer one replaces them). */
	supersede(submissionId: string, version: number): void {
		for (const link of this.store.runs()) {
			if (link.submissionId !== submissionId || link.version >= version) continue;
			const status = this.runs.find(link.runId)?.status;
			if (status === "queued" || status === "running") this.runs.cancel(link.runId);
		}
	}

	/** Runs of a version that stopped early (failed, cancelled, cut off) run again; returns how many. */
	resumeStopped(submissionId: string, version: number): number {
		let count = 0;
		for (const kind of ladderKinds) {
			const id = this.store.runOf(submissionId, version, kind);
			const record = id ? this.runs.find(id) : undefined;
			if (record && ["interrupted", "failed", "cancelled", "partial"].includes(record.status)) {
				this.runs.resume(record.id);
				count++;
			}
		}
		return count;
	}

	/** The run of a version on a ladder, if it was queued. */
	run(submissionId: string, version: number, kind: LadderKind): RunView | undefined {
		const id = this.store.runOf(submissionId, version, kind);
		return id && this.runs.find(id) ? this.runs.view(id) : undefined;
	}

	/** The task's run directory, when the run has finished with results. */
	resultDir(submissionId: string, version: number, kind: LadderKind): string | undefined {
		const id = this.store.runOf(submissionId, version, kind);
		const record = id ? this.runs.find(id) : undefined;
		if (!record || (record.status !== "complete" && record.status !== "partial")) return undefined;
		return this.runs.taskDir(record);
	}
}
