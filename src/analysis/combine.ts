/**
 * @module Several tasks side by side, with Benjamini–Hochberg across their slope p-values and,
 * for size × training grids, across their interaction p-values.
 */
import { benjaminiHochberg } from "./multiple.js";
import type { Interval, VerdictKind } from "./trend.js";
import type { RunAnalysis } from "./types.js";

export interface TaskRow {
	task: string;
	metric: string;
	examples: number;
	models: number;
	verdict: VerdictKind;
	slope: number | null;
	interval: Interval | null;
	/** Two-sided bootstrap p of the slope. */
	p: number | null;
	/** BH-adjusted p across the tasks in the table. */
	q: number | null;
	/** Significant at the false discovery rate after BH. */
	discovery: boolean;
	/** The size × training interaction of the plotted metric, with its BH q across the tasks that have one. */
	interaction: { estimate: number; t: number; p: number; q: number | null } | null;
}

export interface CombinedAnalysis {
	fdr: number;
	rows: TaskRow[];
}

export function combineTasks(analyses: RunAnalysis[], fdr = 0.05): CombinedAnalysis {
	const ps = analyses.map((a) => a.metrics[0].trend.slope?.p ?? Number.NaN);
	const qs = benjaminiHochberg(ps);
	const interactionQs = benjaminiHochberg(analyses.map((a) => a.metrics[0].interaction?.p ?? Number.NaN));
	const rows = analyses.map((a, i): TaskRow => {
		const t = a.metrics[0].trend;
		const q = Number.isFinite(qs[i]) ? qs[i] : null;
		return {
			task: a.task.name,
			metric: a.metrics[0].metric,
			examples: a.task.examples,
			models: t.n,
			verdict: t.verdict,
			slope: t.slope?.estimate ?? null,
			interval: t.slope?.interval ?? null,
			p: t.slope?.p ?? null,
			q,
			discovery: q !== null && q <= fdr,
			interaction: interactionOf(a, interactionQs[i]),
		};
	});
	return { fdr, rows };
}

function interactionOf(a: RunAnalysis, q: number): TaskRow["interaction"] {
	const i = a.metrics[0].interaction;
	if (!i) return null;
	return { estimate: i.estimate, t: i.t, p: i.p, q: Number.isFinite(q) ? q : null };
}
