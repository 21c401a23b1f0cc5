/**
 * @module Runs started from the page: a queue (one run at a time: the machine's cores go to one
 * model), each run through `runEval` exactly as `invscale eval` does, its state in the store's run
 * registry (so the list survives reloads and restarts) and its live progress sent to listeners.
 * A resumed run is the same options run again: the score cache makes finished work free.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { EvalSetupError, runEval } from "../engine/run-eval.js";
import type { EvalOutcome } from "../engine/types.js";
import type { RunRecord, RunStatus, Store } from "../store/index.js";
import { finishedRunStatuses } from "../store/index.js";
import { ApiError } from "./api-error.js";
import { applyEvent, initialProgress, type RunProgress } from "./run-progress.js";
import { conditionNames, readStoredRunOptions, type StoredRunOptions } from "./stored-run-options.js";

export type { StoredRunOptions } from "./stored-run-options.js";

export interface RunView {
	id: string;
	title: string;
	status: RunStatus;
	task: string;
	ladder: string;
	models: string[];
	progress: RunProgress | null;
	error: string | null;
	createdAt: string;
	startedAt: string | null;
	endedAt: string | null;
	/** Interrupted, cancelled or failed runs can be run again with the same options. */
	resumable: boolean;
	finished: boolean;
}

export type RunListener = (view: RunView) => void;

export interface RunManagerOptions {
	/** Each run writes into `<runsDir>/<id>/<task name>/`. */
	runsDir: string;
	/** The SQLite file used as the score cache (the same store as the registry). */
	storeFile: string;
	log?: (line: string) => void;
}

const resumableStatuses: readonly RunStatus[] = ["interrupted", "cancelled", "failed", "partial"];
const saveEveryMs = 1000;
const runIdPattern = /^[a-z0-9]{6,16}-[0-9a-f]{6}$/;

export function isRunId(id: string): boolean {
	return runIdPattern.test(id);
}

export class RunManager {
	private readonly queue: string[] = [];
	private active:
		| { id: string; controller: AbortController; stop?: "cancel" | "shutdown"; done: Promise<void> }
		| undefined;
	private readonly progress = new Map<string, RunProgress>();
	private readonly listeners = new Map<string, Set<RunListener>>();
	private readonly lastSaved = new Map<string, number>();
	private closed = false;

	constructor(
		private readonly store: Store,
		private readonly options: RunManagerOptions,
	) {}

	/** Registers a run and queues it. */
	start(options: StoredRunOptions, ladderLabel: string): RunView {
		const id = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
		this.store.runs.createRun({
			id,
			kind: "eval",
			title: `${options.taskName} on ${ladderLabel}`,
			options,
			dir: join(this.options.runsDir, id),
			status: "queued",
		});
		this.progress.set(id, initialProgress(conditionNames(options)));
		this.enqueue(id);
		return this.view(id);
	}

	/** Runs an interrupted, cancelled or failed run again with the same options. */
	resume(id: string): RunView {
		const record = this.record(id);
		if (!resumableStatuses.includes(record.status)) {
			throw new ApiError(409, `this run is ${record.status}; only a run that stopped early can be resumed`);
		}
		const options = readStoredRunOptions(record.options);
		this.progress.set(id, initialProgress(conditionNames(options)));
		this.store.runs.updateRun(id, { status: "queued", error: null, progress: this.progress.get(id) });
		this.enqueue(id);
		return this.view(id);
	}

	cancel(id: string): RunView {
		const record = this.record(id);
		if (this.active?.id === id) {
			this.active.stop = "cancel";
			this.active.controller.abort();
		} else if (record.status === "queued") {
			this.queue.splice(this.queue.indexOf(id), 1);
			this.store.runs.updateRun(id, { status: "cancelled" });
			this.notify(id);
		} else {
			throw new ApiError(409, `this run is ${record.status}; there is nothing to cancel`);
		}
		return this.view(id);
	}

	/** Forgets a finished run and deletes its folder. */
	remove(id: string): void {
		const record = this.record(id);
		if (!finishedRunStatuses.includes(record.status)) {
			throw new ApiError(409, "this run is still going", "cancel it first");
		}
		this.store.runs.deleteRun(id);
		this.progress.delete(id);
		rmSync(record.dir, { recursive: true, force: true });
	}

	list(): RunView[] {
		return this.store.runs.listRuns({ limit: 200 }).map((r) => this.toView(r));
	}

	view(id: string): RunView {
		return this.toView(this.record(id));
	}

	/** The run's record, or undefined when there is no such run. */
	find(id: string): RunRecord | undefined {
		return isRunId(id) ? this.store.runs.getRun(id) : undefined;
	}

	record(id: string): RunRecord {
		const record = isRunId(id) ? this.store.runs.getRun(id) : undefined;
		if (!record)
			throw new ApiError(
				404,
				"no such run",
				"it may have been deleted; the list of runs shows what is there",
			);
		return record;
	}

	/** The task's run directory of a run (where the engine writes its files). */
	taskDir(record: RunRecord): string {
		return join(record.dir, readStoredRunOptions(record.options).taskName);
	}

	/** Calls `listener` with the run's view after every change; returns the unsubscribe function. */
	subscribe(id: string, listener: RunListener): () => void {
		let set = this.listeners.get(id);
		if (!set) {
			set = new Set();
			this.listeners.set(id, set);
		}
		set.add(listener);
		return () => {
			set.delete(listener);
			if (set.size === 0) this.listeners.delete(id);
		};
	}

	/** Stops the running run (it becomes `interrupted`, resumable) and marks queued ones interrupted. */
	async shutdown(): Promise<void> {
		this.closed = true;
		for (const id of this.queue.splice(0)) {
			this.store.runs.updateRun(id, { status: "interrupted" });
		}
		const active = this.active;
		if (active) {
			active.stop = "shutdown";
			active.controller.abort();
			await active.done;
		}
	}

	private enqueue(id: string): void {
		this.queue.push(id);
		this.notify(id);
		this.pump();
	}

	private pump(): void {
		if (this.active || this.closed) return;
		const id = this.queue.shift();
		if (!id) return;
		const controller = new AbortController();
		const active = {
			id,
			controller,
			stop: undefined as "cancel" | "shutdown" | undefined,
			done: Promise.resolve(),
		};
		this.active = active;
		active.done = this.execute(id, controller, () => active.stop).finally(() => {
			this.active = undefined;
			this.pump();
		});
	}

	private async execute(
		id: string,
		controller: AbortController,
		stop: () => "cancel" | "shutdown" | undefined,
	) {
		const record = this.record(id);
		const options = readStoredRunOptions(record.options);
		let progress = this.progress.get(id) ?? initialProgress(conditionNames(options));
		this.store.runs.updateRun(id, { status: "running", progress, error: null });
		this.notify(id);
		let status: RunStatus;
		let error: string | null = null;
		try {
			const outcome: EvalOutcome = await runEval(
				{
					tasks: [options.taskFile],
					...(options.catalog && { taskProvenance: { [options.taskFile]: options.catalog } }),
					models: options.models,
					...(options.shots ? { shots: options.shots } : {}),
					ladderName: options.ladderName,
					outDir: record.dir,
					...(options.type ? { type: options.type } : {}),
					...(options.generation ? { generation: options.generation } : {}),
					store: this.options.storeFile,
					signal: controller.signal,
				},
				(event) => {
					progress = applyEvent(progress, event);
					this.progress.set(id, progress);
					const last = this.lastSaved.get(id) ?? 0;
					if (event.type !== "progress" || Date.now() - last >= saveEveryMs) {
						this.lastSaved.set(id, Date.now());
						this.store.runs.updateRun(id, { progress });
					}
					this.notify(id);
				},
			);
			status = outcome.status === "invalid" ? "failed" : outcome.status;
			if (outcome.status === "invalid") error = "the task file has errors; nothing was scored";
			if (outcome.status === "failed")
				error = progress.models.find((m) => m.error)?.error ?? "no model could score the task";
		} catch (caught) {
			status = "failed";
			const hint = (caught as { hint?: unknown }).hint;
			error = caught instanceof Error ? caught.message : String(caught);
			if (typeof hint === "string" && (caught instanceof EvalSetupError || hint))
				error = `${error} (${hint})`;
			this.options.log?.(`run ${id} failed: ${caught instanceof Error ? (caught.stack ?? error) : error}`);
		}
		if (stop() === "shutdown") status = "interrupted";
		else if (stop() === "cancel") status = "cancelled";
		this.store.runs.updateRun(id, { status, progress, error, endedAt: new Date().toISOString() });
		this.notify(id);
	}

	private notify(id: string): void {
		const set = this.listeners.get(id);
		if (!set || set.size === 0) return;
		const view = this.view(id);
		for (const listener of set) listener(view);
	}

	private toView(record: RunRecord): RunView {
		const options = readStoredRunOptions(record.options);
		const finished = finishedRunStatuses.includes(record.status);
		const live = this.progress.get(record.id);
		return {
			id: record.id,
			title: record.title,
			status: record.status,
			task: options.taskName,
			ladder: options.ladderName,
			models: conditionNames(options),
			progress: live ?? (record.progress as RunProgress | null) ?? null,
			error: record.error,
			createdAt: record.createdAt,
			startedAt: record.startedAt,
			endedAt: finished ? record.endedAt : null,
			resumable: resumableStatuses.includes(record.status),
			finished,
		};
	}
}
