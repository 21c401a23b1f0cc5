/** @module Plain-text summaries of analyses for the terminal (`invscale report`, `invscale analyze`). */
import { axisSpec } from "../analysis/axis.js";
import { metricInfo } from "../analysis/metric.js";
import { powerSentence } from "../analysis/power.js";
import type { TablesAnalysis } from "../analysis/tables.js";
import { verdictLabel } from "../analysis/trend.js";
import type { MetricAnalysis } from "../analysis/types.js";
import { decimalsFor, fixed, fmt, fmtP, fmtSize, signed } from "./format.js";

/** The size × training interaction in one line, with what its sign means. */
export function interactionText(m: MetricAnalysis): string {
	const i = m.interaction;
	if (!i) return "";
	const meaning =
		i.estimate < 0
			? "larger models fall further behind as training goes on"
			: "larger models gain more from training";
	return `Size × training interaction (OLS of ${i.response} on z-scored log10 parameters, log10 tokens and their product; ${i.n} conditions, ${i.sizes} sizes × ${i.tokens} token counts): estimate ${fmt(i.estimate)}${i.interval ? ` (${Math.round(i.interval.level * 100)}% bootstrap interval ${fmt(i.interval.lower)} to ${fmt(i.interval.upper)})` : ""}, t = ${fixed(i.t, 2)}, df = ${i.df}, p ${i.p < 0.001 ? "< 0.001" : `= ${fmtP(i.p)}`}${i.q !== null ? `, q (BH) = ${fmtP(i.q)}` : ""}; ${i.estimate < 0 ? "negative" : "positive"}: ${meaning}.`;
}

/** The power of the design for the slope the pooled trend found, in one line; "" when unknown. */
export function powerLine(m: MetricAnalysis): string {
	if (!m.power) return "";
	const axis = axisSpec(m.along.axis);
	return powerSentence(m.power, axis.scale === "log10" ? `decade of ${axis.noun}` : axis.unit);
}

/** A table of conditions with mean ± SE, then the verdict sentence, the groups and the flags. */
export function metricText(m: MetricAnalysis, title: string): string {
	const d = decimalsFor(m.models.map((p) => p.mean ?? 0));
	const grouped = m.groups.length > 0;
	const rows = m.models.map((p) => [
		p.name,
		grouped ? (p.group ?? "") : p.family,
		fmtSize(p.x),
		p.mean === null ? "—" : `${fixed(p.mean, d)}${p.se !== null ? ` ± ${fixed(p.se, d)}` : ""}`,
		p.status === "failed" ? "failed" : p.inTrend ? "" : (p.excluded ?? ""),
	]);
	const head = [
		"model",
		grouped ? "group" : "family",
		m.along.label.toLowerCase().replace(/ \(.*\)$/, ""),
		`${metricInfo[m.metric].label.toLowerCase()} (mean ± SE)`,
		"",
	];
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (r: string[]) =>
		`  ${r.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")}`.trimEnd();
	const families = m.families.map((f) => `  ${f.family}: ${verdictLabel[f.trend.verdict]}`).join("\n");
	const groups = m.groups
		.map(
			(g) =>
				`  ${g.label}: ${verdictLabel[g.trend.verdict]}${g.trend.slope ? `, slope ${signed(g.trend.slope.estimate, 4)} per ${m.along.unit}${g.trend.slope.p !== null ? ` (p ${fmtP(g.trend.slope.p)})` : ""}` : ""}`,
		)
		.join("\n");
	const flags = m.flags.map((f) => `  ! ${f.message}`).join("\n");
	return [
		title,
		line(head),
		...rows.map(line),
		"",
		grouped ? m.along.statement : m.trend.statement,
		grouped ? "" : powerLine(m),
		grouped ? `Per group, along ${m.along.label.toLowerCase()}:\n${groups}` : "",
		grouped ? `Pooled over the groups: ${m.trend.statement}` : "",
		!grouped && families ? `Per family:\n${families}` : "",
		m.generality && m.families.length > 0 && !grouped
			? `Generality: ${m.generality.inverse} of ${m.generality.families} families show inverse scaling.`
			: "",
		interactionText(m),
		flags,
	]
		.filter((s) => s !== "")
		.join("\n");
}

/** Several tasks of one table: a line per task, then the tasks whose inverse scaling grows with training. */
export function tablesText(a: TablesAnalysis, title: string): string {
	const lines = a.tasks.map((t) => {
		const m = t.analysis;
		const i = t.interaction;
		const inter = i
			? `; interaction ${fmt(i.estimate)} (t = ${fixed(i.t, 2)}, p ${fmtP(i.p)}, q ${fmtP(i.q)})`
			: "";
		const verdict =
			m.groups.length > 0 ? m.along.statement.replace(/\.$/, "") : verdictLabel[m.trend.verdict];
		return `  ${t.task}: ${verdict}${inter}`;
	});
	const withInteraction = a.tasks.filter((t) => t.interaction);
	const response = withInteraction[0]?.interaction?.response ?? "performance";
	const verdict =
		withInteraction.length === 0
			? ""
			: a.inverseGrowsWithTraining.length > 0
				? `Inverse scaling grows with training (negative size × training interaction in ${response}, BH q < ${a.fdr}) on ${a.inverseGrowsWithTraining.length} of ${withInteraction.length} tasks: ${a.inverseGrowsWithTraining.join(", ")}.`
				: `On no task does inverse scaling grow with training (no negative size × training interaction in ${response} with BH q < ${a.fdr}, of ${withInteraction.length} tasks).`;
	const shrinks =
		a.inverseShrinksWithTraining.length > 0
			? `Positive interaction (larger models gain more from training), q < ${a.fdr}: ${a.inverseShrinksWithTraining.join(", ")}.`
			: "";
	return [title, ...lines, "", verdict, shrinks, fmtNote(a)].filter((s) => s !== "").join("\n");
}

function fmtNote(a: TablesAnalysis): string {
	if (!a.tasks.some((t) => t.interaction)) return "";
	const response = a.tasks.find((t) => t.interaction)!.interaction!.response;
	return `The interaction is fitted to ${response} (higher is better${response.startsWith("−") ? ": the metric negated" : ""}), so a negative estimate means larger models fall further behind as training goes on. Estimates in ${response} per SD of log10 parameters × SD of log10 tokens; false discovery rate ${a.fdr}.`;
}
