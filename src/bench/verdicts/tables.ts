/**
 * @module The verdict study as Markdown tables: printed by `npm run bench -- verdicts` and written
 * to bench/verdicts.md, from which docs/statistics.md copies them.
 */
import { EXAMPLE_COUNTS, MODEL_COUNTS, type NullCell, type StudyResult } from "./study.js";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const range = ([lo, hi]: [number, number]) => `${(lo * 100).toFixed(1)}–${(hi * 100).toFixed(1)}`;
const metricName = { correct: "accuracy", loss: "loss" } as const;
const axisName = {
	params: "log10 parameters",
	budget: "log2(1 + budget)",
	step: "log10 step",
	shots: "log2(1 + shots)",
} as const;

function md(head: string[], rows: string[][]): string {
	const line = (r: string[]) => `| ${r.join(" | ")} |`;
	return [line(head), line(head.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

function nullRow(cells: NullCell[], examples: number): string {
	const c = cells.find((x) => x.examples === examples);
	if (!c) return "";
	return `${pct(c.inverse.rate)} (${range(c.inverse.interval)})${c.withinAlpha ? "" : " **over**"} · ${pct(c.anyClaim.rate)}`;
}

/** One row per "no trend" design (metric × axis × models), one column per example count. */
function designTable(
	r: StudyResult,
	cell: (here: NullCell[], examples: number, metric: "correct" | "loss") => string,
): string {
	const rows: string[][] = [];
	const cells = r.nulls.filter((c) => c.kind === "no trend");
	for (const metric of ["correct", "loss"] as const)
		for (const axis of ["params", "budget", "step", "shots"] as const)
			for (const models of MODEL_COUNTS) {
				const here = cells.filter((c) => c.metric === metric && c.axis === axis && c.models === models);
				rows.push([
					`${metricName[metric]}, ${axisName[axis]}, ${models} models`,
					...EXAMPLE_COUNTS.map((n) => cell(here, n, metric)),
				]);
			}
	return md(["design", ...EXAMPLE_COUNTS.map((n) => `${n} examples`)], rows);
}

/** False positives of the "no trend" null: inverse rate with its 95% interval, then any claim, per cell. */
export function nullTable(r: StudyResult): string {
	return designTable(r, nullRow);
}

/** The other nulls: pure noise, near ceiling, and the model-scatter diagnostic. */
export function otherNullTable(r: StudyResult): string {
	const rows: string[][] = [];
	for (const kind of ["pure noise", "near ceiling", "model scatter"] as const) {
		const cells = r.nulls.filter((c) => c.kind === kind);
		const designs = [...new Set(cells.map((c) => `${c.metric}|${c.models}`))];
		for (const d of designs) {
			const [metric, models] = d.split("|");
			const here = cells.filter((c) => c.metric === metric && c.models === Number(models));
			rows.push([
				`${kind}${here[0].target ? "" : " (diagnostic)"}: ${metricName[metric as "correct"]}, ${models} models`,
				...EXAMPLE_COUNTS.map((n) => nullRow(here, n)),
			]);
		}
	}
	return md(["design (log10 parameters)", ...EXAMPLE_COUNTS.map((n) => `${n} examples`)], rows);
}

/** Total change from the first to the last condition detected 80% of the time, per cell (from the runs' power lines). */
export function detectableTable(r: StudyResult): string {
	return designTable(r, (here, n, metric) => {
		const c = here.find((x) => x.examples === n);
		if (!c) return "";
		return metric === "correct"
			? `${(c.detectable80 * 100).toFixed(1)} pts`
			: `${c.detectable80.toFixed(3)} nats`;
	});
}

/** Simulated power of "inverse" at each total change, with the power line's prediction in brackets, and the 80% point. */
export function powerTable(r: StudyResult): string {
	const effects = r.power[0]?.effects.map((e) => e.effect) ?? [];
	const rows = r.power.map((c) => [
		`${metricName[c.metric]}, ${c.models} models, ${c.examples} examples`,
		...c.effects.map(
			(e) =>
				`${Math.round(e.power * 100)}%${e.predicted !== null ? ` (${Math.round(e.predicted * 100)})` : ""}`,
		),
		c.effect80 === null
			? "—"
			: c.metric === "correct"
				? `${(c.effect80 * 100).toFixed(1)} pts`
				: `${c.effect80.toFixed(3)} nats`,
	]);
	return md(["design (log10 parameters)", ...effects.map((e) => `Δ ${e}`), "80% at"], rows);
}

export function shapeTable(r: StudyResult): string {
	const rows = r.shapes.map((c) => [
		`${c.shape === "u" ? "U" : "inverted U"}, ${metricName[c.metric]} depth ${c.depth}, ${c.models} models, ${c.examples} examples`,
		pct(c.right / c.runs),
		pct(c.monotone / c.runs),
		pct(c.other / c.runs),
	]);
	return md(["shape", "right shape", "called monotone", "other (flat, inconclusive)"], rows);
}

export function bhLine(r: StudyResult): string {
	const b = r.bh;
	return `Benjamini–Hochberg at q = ${b.q.toFixed(2)}: ${b.trials} trials of ${b.nullTasks} null and ${b.trueTasks} inverse tasks (accuracy, 6 models, 300 examples, total drop ${b.effect}): mean false discovery proportion ${pct(b.meanFdp)} (largest in one trial ${pct(b.maxFdp)}), ${b.meanDiscoveries.toFixed(1)} discoveries per trial, ${pct(b.truePower)} of the inverse tasks found.`;
}

export function degenerateTable(r: StudyResult): string {
	return md(
		["case", "verdicts", "smallest p", "no claim"],
		r.degenerate.map((d) => [
			d.name,
			d.verdicts.join(", "),
			d.minP === null ? "none" : d.minP.toFixed(3),
			d.ok ? "yes" : "**NO**",
		]),
	);
}

/** Every table, with headings, as one Markdown document. */
export function studyMarkdown(r: StudyResult): string {
	const s = r.size;
	return [
		`Replication: ${s.nullRuns} runs per null cell, ${s.powerRuns} per power point, ${s.shapeRuns} per shape cell, ${s.replicates} bootstrap replicates per run; α = ${r.alpha.toFixed(2)}. Cells read "inverse rate (95% Wilson interval) · rate of any claim (inverse, positive, U or inverted U)"; **over** marks a cell whose interval lies above α.`,
		"### Null ladders: no trend (shared difficulty, per-model noise)",
		nullTable(r),
		"### Null ladders: pure noise, near ceiling, and models that scatter",
		otherNullTable(r),
		'### Power of "inverse" on the parameter axis (simulated; the report\'s prediction in brackets)',
		powerTable(r),
		"### Total change detected 80% of the time, every design",
		detectableTable(r),
		"### U shapes",
		shapeTable(r),
		"### Across tasks",
		bhLine(r),
		"### Degenerate data",
		degenerateTable(r),
	].join("\n\n");
}
