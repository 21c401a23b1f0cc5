/**
 * @module Several tasks of one summary table analysed together: each task along the chosen axis,
 * and the size × training interaction with Benjamini–Hochberg q across the tasks.
 */
import type { PlottedMetric } from "../tasks/types.js";
import { defaultXAxis, type XAxis } from "./axis.js";
import type { InteractionResult } from "./interaction.js";
import { benjaminiHochberg } from "./multiple.js";
import { analyzeSummaryTable, rowCoords, type SummaryRow } from "./table.js";
import type { AnalysisOptions, MetricAnalysis } from "./types.js";

export interface TableTask {
	task: string;
	/** The interaction with its q across the tasks (null when the task's rows are not a size × tokens grid). */
	interaction: InteractionResult | null;
	analysis: MetricAnalysis;
}

export interface TablesAnalysis {
	schema: "invscale.table-analysis/1";
	metric: PlottedMetric;
	axis: XAxis;
	/** False discovery rate of the interaction test. */
	fdr: number;
	tasks: TableTask[];
	/** Tasks whose interaction is negative with q < fdr: inverse scaling in size grows with training. */
	inverseGrowsWithTraining: string[];
	/** Tasks whose interaction is positive with q < fdr. */
	inverseShrinksWithTraining: string[];
}

export function analyzeTables(
	tasks: readonly { task: string; rows: SummaryRow[] }[],
	metric: PlottedMetric,
	options: AnalysisOptions = {},
	fdr = 0.05,
): TablesAnalysis {
	const axis = options.x ?? defaultXAxis(tasks.flatMap((t) => t.rows.map(rowCoords)));
	const analysed: TableTask[] = tasks.map((t) => {
		const analysis = analyzeSummaryTable(t.rows, metric, { ...options, x: axis });
		return { task: t.task, interaction: analysis.interaction, analysis };
	});
	const qs = benjaminiHochberg(analysed.map((t) => t.interaction?.p ?? Number.NaN));
	analysed.forEach((t, i) => {
		if (t.interaction) t.interaction.q = Number.isFinite(qs[i]) ? qs[i] : null;
	});
	const significant = (sign: number) =>
		analysed
			.filter((t) => t.interaction && t.interaction.q !== null && t.interaction.q < fdr)
			.filter((t) => Math.sign(t.interaction!.estimate) === sign)
			.map((t) => t.task);
	return {
		schema: "invscale.table-analysis/1",
		metric,
		axis,
		fdr,
		tasks: analysed,
		inverseGrowsWithTraining: significant(-1),
		inverseShrinksWithTraining: significant(1),
	};
}
