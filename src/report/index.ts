/**
 * @module The report: `writeReport(dir)` reads a task's run directory (or a folder of them),
 * analyses it and writes report.html (self-contained), report.json and the charts as SVG and PNG.
 */

import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type CombinedAnalysis, combineTasks } from "../analysis/combine.js";
import { compareWithReference, type ReferenceResult } from "../analysis/reference.js";
import { analyzeRun } from "../analysis/run.js";
import type { AnalysisOptions, RunAnalysis } from "../analysis/types.js";
import { reasoningTokensCell } from "../generation/rows.js";
import { runFiles } from "../run/manifest.js";
import { version } from "../version.js";
import { buildChartSpec, buildTransposeSpec } from "./chart-spec.js";
import { readGeneratedAnswers } from "./generated-answers.js";
import { renderIndexPage, renderTaskPage, type TaskChart } from "./html.js";
import { toJson } from "./json.js";
import { type LoadedRun, loadRun, RunDirError } from "./load-run.js";
import { addReferenceLayer } from "./reference-chart.js";
import { agreementSummary, referenceSection } from "./reference-html.js";
import { runModelRefs } from "./reference-models.js";
import type { LoadedReference } from "./reference-sources.js";
import { renderSvg, svgToPng } from "./render.js";

export {
	buildChartSpec,
	buildTransposeSpec,
	type ChartOptions,
	type ChartPoint,
	chartPoints,
} from "./chart-spec.js";
export { toJson } from "./json.js";
export { type LoadedRun, loadRun, RunDirError } from "./load-run.js";
export { renderSvg, svgToPng } from "./render.js";

export interface ReportOptions extends AnalysisOptions {
	/** Published results to draw and compare with (see reference-sources.ts). */
	references?: LoadedReference[];
	/** Also write `<metric>_plot.png` beside the SVGs. Default true. */
	png?: boolean;
	/** Timestamp shown in the report; default now (fixed in tests for stable output). */
	generatedAt?: string;
}

export interface TaskReport {
	kind: "task";
	dir: string;
	htmlPath: string;
	jsonPath: string;
	analysis: RunAnalysis;
	/** The comparison with published results, when references were given. */
	reference: ReferenceResult | null;
}

export interface TasksReport {
	kind: "tasks";
	dir: string;
	htmlPath: string;
	jsonPath: string;
	analysis: CombinedAnalysis;
	tasks: TaskReport[];
}

/** Task run directories directly under `dir` (those holding run.json), sorted by name. */
export function findRunDirs(dir: string): string[] {
	return readdirSync(dir)
		.map((name) => join(dir, name))
		.filter((p) => statSync(p).isDirectory() && existsSync(join(p, runFiles.manifest)))
		.sort();
}

/**
 * The charts of a task: each metric along the axis (with the published points, when given); for
 * a size × training grid also the transpose (one line per checkpoint against size, or one per
 * size against training).
 */
async function chartsOf(analysis: RunAnalysis, reference: ReferenceResult | null): Promise<TaskChart[]> {
	const charts: TaskChart[] = [];
	for (const m of analysis.metrics) {
		if (!m.models.some((p) => p.inTrend)) continue;
		const size = m.groups.length > 0 ? { width: 400, height: 260 } : { width: 330, height: 240 };
		const spec = buildChartSpec(m, { xAxis: analysis.options.x, ...size });
		const published = reference?.metrics.find((r) => r.metric === m.metric && !m.inverted)?.points ?? [];
		charts.push({
			metric: m.metric,
			kind: "along",
			file: `${m.metric}_plot`,
			svg: await renderSvg(addReferenceLayer(spec, published)),
		});
		const transpose = buildTransposeSpec(m, size);
		if (transpose)
			charts.push({
				metric: m.metric,
				kind: "transpose",
				file: `${m.metric}_transpose_plot`,
				svg: await renderSvg(transpose),
			});
	}
	return charts;
}

/** Analyses and writes one task's report into its run directory. */
export async function writeTaskReport(runDir: string, options: ReportOptions = {}): Promise<TaskReport> {
	const loaded: LoadedRun = loadRun(runDir);
	const analysis = analyzeRun(loaded.input, options);
	const reference = options.references?.length
		? compareWithReference(
				analysis,
				runModelRefs(loaded.manifest),
				options.references.flatMap((r) => r.points),
				loaded.manifest.task.catalog?.name ?? analysis.task.name,
			)
		: null;
	const charts = await chartsOf(analysis, reference);
	const generatedAt = options.generatedAt ?? new Date().toISOString();
	for (const c of charts) {
		writeFileSync(join(runDir, `${c.file}.svg`), c.svg);
		if (options.png !== false) writeFileSync(join(runDir, `${c.file}.png`), svgToPng(c.svg));
	}
	const answers =
		loaded.manifest.options.generation !== undefined
			? readGeneratedAnswers(
					runDir,
					analysis.changes.flatMap((c) => [c.low.model, c.high.model]),
					new Set(analysis.changes.map((c) => c.index)),
				)
			: undefined;
	const html = renderTaskPage({
		analysis,
		manifest: loaded.manifest,
		card: loaded.card,
		charts,
		version,
		generatedAt,
		...(answers ? { answers } : {}),
		...(answers && loaded.summary
			? {
					generation: new Map(
						loaded.summary.models.map((m) => [
							m.name,
							{ parseRate: m.parseRate, reasoningTokens: reasoningTokensCell(m) },
						]),
					),
				}
			: {}),
		extraSections: referenceSection(reference),
	});
	const htmlPath = join(runDir, runFiles.report);
	const jsonPath = join(runDir, runFiles.reportJson);
	writeFileSync(htmlPath, html);
	writeFileSync(
		jsonPath,
		toJson({
			...analysis,
			...(loaded.manifest.task.catalog && { catalog: loaded.manifest.task.catalog }),
			...(reference && { reference }),
			generatedAt,
			invscaleVersion: version,
			nanPolicy: "non-finite numbers are written as null",
		}),
	);
	return { kind: "task", dir: runDir, htmlPath, jsonPath, analysis, reference };
}

/**
 * Writes the report of `runDir`: a task's run directory (has run.json), or a folder of task run
 * directories (each gets its own report, plus an index with Benjamini–Hochberg across tasks).
 */
export async function writeReport(
	runDir: string,
	options: ReportOptions = {},
): Promise<TaskReport | TasksReport> {
	if (!existsSync(runDir))
		throw new RunDirError(
			`${runDir}: no such folder`,
			"Give the run directory `invscale run` wrote (or its parent).",
		);
	if (existsSync(join(runDir, runFiles.manifest))) return writeTaskReport(runDir, options);
	const dirs = findRunDirs(runDir);
	if (dirs.length === 0) {
		throw new RunDirError(
			`${runDir}: neither a run directory (no run.json) nor a folder of run directories`,
			"Point the report at the folder `invscale run` wrote for a task, or at its parent.",
		);
	}
	return writeCombinedReport(runDir, dirs, options);
}

/**
 * Writes the report of each task run directory in `dirs`, then the index in `runDir` (their
 * parent) with Benjamini–Hochberg across the tasks.
 */
export async function writeCombinedReport(
	runDir: string,
	dirs: string[],
	options: ReportOptions = {},
): Promise<TasksReport> {
	const generatedAt = options.generatedAt ?? new Date().toISOString();
	const tasks: TaskReport[] = [];
	for (const dir of dirs) tasks.push(await writeTaskReport(dir, { ...options, generatedAt }));
	const combined = combineTasks(tasks.map((t) => t.analysis));
	const index = [];
	for (const t of tasks) {
		index.push({
			analysis: t.analysis,
			href: `${relative(runDir, t.dir)}/${runFiles.report}`,
			chartSvg: await renderSvg(
				addReferenceLayer(
					buildChartSpec(t.analysis.metrics[0], { xAxis: t.analysis.options.x, width: 420, height: 240 }),
					publishedPoints(t),
				),
			),
			...(t.reference && { published: agreementSummary(t.reference) }),
		});
	}
	const htmlPath = join(runDir, runFiles.report);
	const jsonPath = join(runDir, runFiles.reportJson);
	writeFileSync(htmlPath, renderIndexPage(combined, index, version, generatedAt));
	writeFileSync(
		jsonPath,
		toJson({
			combined,
			tasks: tasks.map((t) => ({ dir: relative(runDir, t.dir), report: relative(runDir, t.jsonPath) })),
			generatedAt,
			invscaleVersion: version,
		}),
	);
	return { kind: "tasks", dir: runDir, htmlPath, jsonPath, analysis: combined, tasks };
}

/** The published points of a task's plotted metric (none for an inverted one). */
function publishedPoints(t: TaskReport) {
	const plotted = t.analysis.metrics[0];
	if (plotted.inverted) return [];
	return t.reference?.metrics.find((m) => m.metric === plotted.metric)?.points ?? [];
}
