/**
 * @module Published results beside a run's: which published point stands for each model of the
 * run (same task, metric and model name; same training step when both have one), the difference
 * and its z-score, and the published points to draw on a chart.
 */

import { coordinatesOf } from "../run/conditions.js";
import { prizeTaskName } from "../tasks/prize-catalog.js";
import type { PlottedMetric } from "../tasks/types.js";
import { type XAxis, xValue } from "./axis.js";
import type { RunAnalysis } from "./types.js";

/** One published number: a model's mean on a task's metric, with its standard error when known. */
export interface ReferencePoint {
	model: string;
	family?: string;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	/** Training step of the checkpoint (Pythia: tokens = step × 2,097,152). */
	step?: number;
	/** Hub revision of the checkpoint (`step64000`). */
	revision?: string;
	/** Task name as the catalog spells it (`memo-trap`). */
	task: string;
	metric: PlottedMetric;
	mean: number;
	se?: number;
	n?: number;
	/** Who published it (`Michaelov & Bergen (2023)`). */
	source: string;
}

/** A run's model as matching needs it: its name and, when known, its checkpoint. */
export interface RunModelRef {
	name: string;
	step?: number;
	revision?: string;
}

export interface ReferenceComparison {
	model: string;
	step?: number;
	source: string;
	ours: { mean: number; se: number | null; n: number };
	published: { mean: number; se: number | null; n?: number; revision?: string; step?: number };
	/** Ours minus published. */
	difference: number;
	/** difference / √(se_ours² + se_published²); null when neither has a standard error. */
	z: number | null;
	agrees: boolean | null;
	/** "agrees with the published value" or "differs by 3.1 SE". */
	words: string;
}

/** A published point placed on the chart's x axis. */
export interface ReferenceChartPoint {
	model: string;
	source: string;
	x: number;
	mean: number;
	se: number | null;
	/** Whether the run has this model (then a comparison exists). */
	matched: boolean;
}

export interface MetricReference {
	metric: PlottedMetric;
	comparisons: ReferenceComparison[];
	points: ReferenceChartPoint[];
	/** Published points on the task and metric that no chart can place (no size on this axis). */
	unplaced: number;
}

export interface ReferenceResult {
	/** The catalog name the run's task was matched as. */
	task: string;
	sources: string[];
	/** |z| below this agrees. */
	threshold: number;
	metrics: MetricReference[];
}

/** |z| at or above which a difference is called out. */
export const agreementThreshold = 2;

/** Lowercase, without an `owner/` prefix: `EleutherAI/Pythia-410m` → `pythia-410m`. */
export function normalModelName(name: string): string {
	return name.trim().toLowerCase().split("/").at(-1) ?? name;
}

/** The step a revision names (`step64000` → 64000), or undefined. */
export function stepOfRevision(revision: string | undefined): number | undefined {
	const match = revision ? /^step(\d+)$/.exec(revision.trim()) : null;
	return match ? Number(match[1]) : undefined;
}

/** A run model's name and step, with a `-step64000` / `@step64000` suffix of the name read as the step. */
function runModelKey(model: RunModelRef): { name: string; step?: number } {
	const name = normalModelName(model.name);
	const suffix = /^(.*?)[-@_]step(\d+)$/.exec(name);
	const step = model.step ?? stepOfRevision(model.revision) ?? (suffix ? Number(suffix[2]) : undefined);
	return { name: suffix ? suffix[1] : name, ...(step !== undefined && { step }) };
}

/**
 * The published points that stand for a model: with a step, those at that step (or without any);
 * without one, those without a step, else the last checkpoint (the released model).
 */
function pointsFor(candidates: ReferencePoint[], step: number | undefined): ReferencePoint[] {
	const bySource = new Map<string, ReferencePoint[]>();
	for (const p of candidates) bySource.set(p.source, [...(bySource.get(p.source) ?? []), p]);
	const chosen: ReferencePoint[] = [];
	for (const points of bySource.values()) {
		const stepless = points.filter((p) => p.step === undefined);
		if (step !== undefined) {
			const same = points.filter((p) => p.step === step);
			chosen.push(...(same.length > 0 ? same : stepless).slice(0, 1));
			continue;
		}
		if (stepless.length > 0) chosen.push(stepless[0]);
		else {
			const last = Math.max(...points.map((p) => p.step ?? 0));
			chosen.push(points.find((p) => p.step === last)!);
		}
	}
	return chosen;
}

export function zScore(
	ours: { mean: number; se: number | null },
	published: { mean: number; se?: number | null },
): number | null {
	const variance = (ours.se ?? 0) ** 2 + (published.se ?? 0) ** 2;
	if (!(variance > 0)) return null;
	return (ours.mean - published.mean) / Math.sqrt(variance);
}

export function agreementWords(z: number | null, difference: number): string {
	if (z === null) return `differs by ${difference.toPrecision(3)} (no standard error to judge by)`;
	return Math.abs(z) < agreementThreshold
		? "agrees with the published value"
		: `differs by ${Math.abs(z).toFixed(1)} SE`;
}

/**
 * Compares an analysis with published points. `task` is the run's task name (a catalog name, a
 * release file stem, or anything `prizeTaskName` maps); `models` gives the run's checkpoints.
 */
export function compareWithReference(
	analysis: RunAnalysis,
	models: RunModelRef[],
	points: ReferencePoint[],
	task: string = analysis.task.name,
): ReferenceResult {
	const taskName = prizeTaskName(task);
	const onTask = points.filter((p) => prizeTaskName(p.task) === taskName);
	const keys = new Map(models.map((m) => [m.name, runModelKey(m)]));
	const axis: XAxis = analysis.options.x;
	const metrics: MetricReference[] = [];
	for (const m of analysis.metrics) {
		if (m.inverted) continue; // published numbers are never inverted
		const published = onTask.filter((p) => p.metric === m.metric);
		if (published.length === 0) continue;
		const comparisons: ReferenceComparison[] = [];
		const drawn: ReferenceChartPoint[] = [];
		const matchedNames = new Set<string>();
		for (const point of m.models) {
			const key = keys.get(point.name) ?? runModelKey({ name: point.name });
			const candidates = published.filter((p) => normalModelName(p.model) === key.name);
			if (candidates.length === 0 || point.mean === null) continue;
			matchedNames.add(key.name);
			for (const ref of pointsFor(candidates, key.step)) {
				const ours = { mean: point.mean, se: point.se, n: point.n };
				const difference = ours.mean - ref.mean;
				const z = zScore(ours, ref);
				comparisons.push({
					model: point.name,
					...(key.step !== undefined && { step: key.step }),
					source: ref.source,
					ours,
					published: {
						mean: ref.mean,
						se: ref.se ?? null,
						...(ref.n !== undefined && { n: ref.n }),
						...(ref.revision !== undefined && { revision: ref.revision }),
						...(ref.step !== undefined && { step: ref.step }),
					},
					difference,
					z,
					agrees: z === null ? null : Math.abs(z) < agreementThreshold,
					words: agreementWords(z, difference),
				});
				// A matched point sits at the run model's x, so the two are side by side.
				const x = point.x ?? placed(ref, axis);
				if (x !== undefined)
					drawn.push({
						model: ref.model,
						source: ref.source,
						x,
						mean: ref.mean,
						se: ref.se ?? null,
						matched: true,
					});
			}
		}
		// The published models the run lacks, at their own sizes (same checkpoint rule, no step).
		const steps = [...keys.values()].map((k) => k.step).filter((s) => s !== undefined);
		const commonStep = steps.length > 0 && steps.every((s) => s === steps[0]) ? steps[0] : undefined;
		const others = new Map<string, ReferencePoint[]>();
		for (const p of published) {
			const name = normalModelName(p.model);
			if (!matchedNames.has(name)) others.set(name, [...(others.get(name) ?? []), p]);
		}
		let unplaced = 0;
		for (const candidates of others.values()) {
			for (const ref of pointsFor(candidates, commonStep)) {
				const x = placed(ref, axis);
				if (x === undefined) unplaced++;
				else
					drawn.push({
						model: ref.model,
						source: ref.source,
						x,
						mean: ref.mean,
						se: ref.se ?? null,
						matched: false,
					});
			}
		}
		metrics.push({ metric: m.metric, comparisons, points: drawn, unplaced });
	}
	return {
		task: taskName,
		sources: [...new Set(onTask.map((p) => p.source))],
		threshold: agreementThreshold,
		metrics,
	};
}

function placed(ref: ReferencePoint, axis: XAxis): number | undefined {
	// Coordinates as a run has them, so compute (6·N·D) places a published point too.
	const x = xValue(coordinatesOf(ref), axis);
	return x.ok ? x.x : undefined;
}
