/**
 * @module The report that ends an `eval` of several tasks: every task's report, then the index with
 * Benjamini–Hochberg across them, and the table a paper would print on stdout.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ReportOptions } from "../report/index.js";
import { runFiles } from "../run/manifest.js";

/**
 * Writes the reports of the tasks that ran into `outDir` (one task: its own report; several: each
 * task's and the index), with the comparisons with published results; a failure is a warning.
 */
export async function writeCombinedTasksReport(
	outDir: string,
	tasks: { name: string; dir: string }[],
	options: ReportOptions = {},
	stdout: NodeJS.WritableStream = process.stdout,
	stderr: NodeJS.WritableStream = process.stderr,
): Promise<void> {
	const dirs = tasks.map((t) => t.dir).filter((dir) => existsSync(join(dir, runFiles.summary)));
	if (dirs.length === 0) return;
	try {
		const { writeCombinedReport, writeTaskReport } = await import("../report/index.js");
		const { referenceText } = await import("../report/reference-text.js");
		if (dirs.length === 1) {
			const one = await writeTaskReport(dirs[0], options);
			if (one.reference) stdout.write(referenceText(one.analysis.task.name, one.reference));
			stdout.write(`wrote ${one.htmlPath}\n`);
			return;
		}
		const result = await writeCombinedReport(outDir, dirs, options);
		for (const t of result.tasks)
			if (t.reference) stdout.write(referenceText(t.analysis.task.name, t.reference));
		stdout.write(
			`${combinedTable(result.analysis.rows)}\nwrote ${result.htmlPath}\nwrote ${result.jsonPath}\n`,
		);
	} catch (error) {
		stderr.write(`warning: report not written: ${error instanceof Error ? error.message : String(error)}\n`);
	}
}

type Row = Awaited<
	ReturnType<typeof import("../report/index.js").writeCombinedReport>
>["analysis"]["rows"][number];

/** Task, metric, slope with its interval, p, q (BH) and verdict, one line each. */
export function combinedTable(rows: Row[]): string {
	const num = (v: number | null, d = 3) => (v === null || !Number.isFinite(v) ? "—" : v.toFixed(d));
	const table = [["task", "metric", "models", "slope/decade", "95% CI", "p", "q (BH)", "verdict"]];
	for (const r of rows)
		table.push([
			r.task,
			r.metric,
			String(r.models),
			num(r.slope),
			r.interval ? `${num(r.interval.lower)} – ${num(r.interval.upper)}` : "—",
			num(r.p),
			`${num(r.q)}${r.discovery ? " *" : ""}`,
			r.verdict,
		]);
	const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
	const lines = table.map((row) => `  ${row.map((cell, c) => cell.padEnd(widths[c])).join("  ")}`.trimEnd());
	return `${lines.join("\n")}\n  * a discovery at a false discovery rate of 0.05 (Benjamini–Hochberg across ${rows.length} tasks)`;
}
