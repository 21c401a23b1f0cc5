/**
 * @module The live state of one run as the page shows it, folded from the engine's events. Pure: the
 * same events always give the same state, and the state is plain JSON (it is also saved in the store).
 */
import type { EvalEvent } from "../engine/types.js";

export type ModelPhase = "waiting" | "downloading" | "scoring" | "done" | "failed";

export interface ModelProgress {
	name: string;
	phase: ModelPhase;
	done: number;
	total: number;
	/** Examples per second while scoring. */
	rate?: number;
	download?: { bytes: number; total?: number };
	error?: string;
}

export interface RunProgress {
	task?: string;
	examples?: number;
	models: ModelProgress[];
	/** The last few warnings the engine logged, newest last. */
	messages: string[];
}

const maxMessages = 20;

export function initialProgress(models: string[]): RunProgress {
	return { models: models.map((name) => ({ name, phase: "waiting", done: 0, total: 0 })), messages: [] };
}

function withModel(
	progress: RunProgress,
	name: string,
	change: (m: ModelProgress) => ModelProgress,
): RunProgress {
	const exists = progress.models.some((m) => m.name === name);
	const models = exists
		? progress.models.map((m) => (m.name === name ? change(m) : m))
		: [...progress.models, change({ name, phase: "waiting", done: 0, total: 0 })];
	return { ...progress, models };
}

export function applyEvent(progress: RunProgress, event: EvalEvent): RunProgress {
	switch (event.type) {
		case "validated":
			return { ...progress, task: event.task };
		case "task-start": {
			// The engine's order (smallest model first) replaces the order the models were given in.
			const byName = new Map(progress.models.map((m) => [m.name, m]));
			return {
				...progress,
				task: event.task,
				examples: event.examples,
				models: event.models
					.map(
						(name) => byName.get(name) ?? { name, phase: "waiting" as const, done: 0, total: event.examples },
					)
					.map((m) => ({ ...m, total: event.examples })),
			};
		}
		case "model-start":
			return withModel(progress, event.model, (m) => ({
				...m,
				phase: "scoring",
				done: 0,
				total: event.examples,
			}));
		case "download":
			return withModel(progress, event.model, (m) => ({
				...m,
				phase: "downloading",
				download: { bytes: event.bytes, ...(event.total !== undefined ? { total: event.total } : {}) },
			}));
		case "progress":
			return withModel(progress, event.model, (m) => ({
				...m,
				phase: "scoring",
				done: event.done,
				total: event.total,
				rate: event.elapsedMs > 0 ? (event.done / event.elapsedMs) * 1000 : undefined,
			}));
		case "model-end":
			return withModel(progress, event.model, (m) =>
				event.status === "ok"
					? { ...m, phase: "done", done: m.total }
					: { ...m, phase: "failed", ...(event.error ? { error: event.error } : {}) },
			);
		case "log":
			return event.level === "warn"
				? { ...progress, messages: [...progress.messages, event.message].slice(-maxMessages) }
				: progress;
		case "task-end":
			return progress;
	}
}

/** Share of the whole run done, 0–1, counting each model's examples equally. */
export function overallFraction(progress: RunProgress): number {
	const total = progress.models.reduce((s, m) => s + (m.total || progress.examples || 0), 0);
	if (total === 0) return 0;
	const done = progress.models.reduce(
		(s, m) => s + (m.phase === "done" ? m.total || progress.examples || 0 : m.done),
		0,
	);
	return Math.min(1, done / total);
}
