/** @module Plain-text summaries of analyses for the terminal (`invscale report`, `invscale analyze`). */
import { metricInfo } from "../analysis/metric.js";
import { verdictLabel } from "../analysis/trend.js";
import type { MetricAnalysis } from "../analysis/types.js";
import { decimalsFor, fixed, fmtSize } from "./format.js";

/** A table of models with mean ± SE, then the verdict sentence and the flags. */
export function metricText(m: MetricAnalysis, title: string): string {
	const d = decimalsFor(m.models.map((p) => p.mean ?? 0));
	const rows = m.models.map((p) => [
		p.name,
		p.family,
		fmtSize(p.x),
		p.mean === null ? "—" : `${fixed(p.mean, d)}${p.se !== null ? ` ± ${fixed(p.se, d)}` : ""}`,
		p.status === "failed" ? "failed" : p.inTrend ? "" : (p.excluded ?? ""),
	]);
	const head = ["model", "family", "size", `${metricInfo[m.metric].label.toLowerCase()} (mean ± SE)`, ""];
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (r: string[]) =>
		`  ${r.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")}`.trimEnd();
	const families = m.families.map((f) => `  ${f.family}: ${verdictLabel[f.trend.verdict]}`).join("\n");
	const flags = m.flags.map((f) => `  ! ${f.message}`).join("\n");
	return [
		title,
		line(head),
		...rows.map(line),
		"",
		`${m.trend.statement}`,
		families ? `Per family:\n${families}` : "",
		m.generality && m.families.length > 0
			? `Generality: ${m.generality.inverse} of ${m.generality.families} families show inverse scaling.`
			: "",
		flags,
	]
		.filter((s) => s !== "")
		.join("\n");
}
