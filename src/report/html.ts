/** @module The HTML of report.html: one self-contained page per task, and an index for several tasks. */
import { axisSpec, xAxisLabel } from "../analysis/axis.js";
import { changesGroup } from "../analysis/changes.js";
import type { CombinedAnalysis } from "../analysis/combine.js";
import { metricInfo } from "../analysis/metric.js";
import { type TrendResult, verdictLabel } from "../analysis/trend.js";
import type { ExampleChange, MetricAnalysis, RunAnalysis } from "../analysis/types.js";
import type { RunManifest } from "../run/manifest.js";
import { catalogProvenanceHtml } from "./catalog-html.js";
import { decimalsFor, escapeHtml as e, fixed, fmt, fmtP, fmtPercent, fmtSize, signed } from "./format.js";
import type { GeneratedAnswers, ShownAnswer } from "./generated-answers.js";
import { reportCss } from "./style.js";
import { powerLine } from "./text.js";

/** One rendered chart: a metric along the analysis' axis, or the transpose of a size × training grid. */
export interface TaskChart {
	metric: string;
	kind: "along" | "transpose";
	/** File name without extension (`loss_plot`, `loss_transpose_plot`). */
	file: string;
	svg: string;
}

export interface TaskPage {
	analysis: RunAnalysis;
	manifest: RunManifest;
	card: { file: string; text: string } | null;
	/** Rendered charts, in the order of analysis.metrics (a grid's transpose after its metric's chart). */
	charts: TaskChart[];
	version: string;
	generatedAt: string;
	/** Generation runs: the answers of the conditions at both ends, for the examples shown. */
	answers?: GeneratedAnswers;
	/** Generation runs: per condition, the share of answers read and the mean reasoning tokens used (a `reasoningTokensCell`). */
	generation?: ReadonlyMap<string, { parseRate?: number; reasoningTokens: string }>;
	/** HTML of further sections (published results), placed after the models table. */
	extraSections?: string;
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="invscale">
<title>${e(title)}</title>
<style>${reportCss}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const tag = (t: TrendResult) => `<span class="tag ${t.verdict}">${e(verdictLabel[t.verdict])}</span>`;

function metricName(m: MetricAnalysis): string {
	const label = metricInfo[m.metric].label;
	return m.inverted ? `Inverted ${label.toLowerCase()}` : label;
}

function verdictBlock(m: MetricAnalysis): string {
	const flags = m.flags.map((f) => `<li data-flag="${f.code}">${e(f.message)}</li>`).join("");
	const grouped = m.groups.length > 0;
	const headline = grouped
		? `<p id="along-verdict"><strong>${e(m.along.statement)}</strong></p><p class="muted">Pooled over the groups: ${e(m.trend.statement)}</p>`
		: `<p><strong>${e(verdictLabel[m.trend.verdict])}.</strong> ${e(capitalize(m.trend.verdict === "insufficient" ? m.trend.statement : m.trend.statement.replace(/^[^:]*: /, "")))}</p>`;
	const kind = grouped
		? m.groups.some((g) => g.trend.verdict === "inverse")
			? "inverse"
			: "flat"
		: m.trend.verdict;
	return `<section class="verdict ${kind}" id="verdict">
<div class="label">Verdict · ${e(metricName(m))} along ${e(m.along.label.toLowerCase())}</div>
${headline}
${!grouped && m.power ? `<p class="power" id="power">${e(powerLine(m))}</p>` : ""}
${flags ? `<ul class="flags">${flags}</ul>` : ""}
</section>`;
}

const lineWords: Record<string, string> = {
	size: "one line per size",
	training: "one line per checkpoint",
	shots: "one line per number of shots",
	budget: "one line per budget",
};

function chartsBlock(p: TaskPage): string {
	const axis = axisSpec(p.analysis.options.x);
	const figs = p.charts.map((c, i) => {
		const m = p.analysis.metrics.find((x) => x.metric === c.metric)!;
		const chance = m.chance !== null ? ` Dashed line: chance (${fixed(m.chance, 3)}).` : "";
		const xLog = axis.scale === "log10" ? "log" : "log(1 + x)";
		const scale = metricInfo[m.metric].logScale
			? `Log y axis, ${xLog} x axis.`
			: `${capitalize(xLog)} x axis.`;
		const by = m.along.groupBy;
		let what: string;
		if (c.kind === "transpose") {
			const other = axis.dimension === "size" ? "training" : "parameters";
			what = `${metricName(m)} against ${other}, ${by[0] === "size" ? "one line per checkpoint" : "one line per size"} (the transpose of the chart before)`;
		} else {
			const lines =
				by.length === 1 ? lineWords[by[0]] : by.length > 1 ? "one line per group" : "one line per family";
			what = `${metricName(m)} against ${axis.label.toLowerCase()}, ${lines}`;
		}
		return `<figure class="chart" data-metric="${c.metric}" data-chart="${c.kind}">${c.svg}<figcaption>Figure ${i + 1}. ${e(what)}. Error bars: ±1 standard error.${chance} ${scale}</figcaption></figure>`;
	});
	return `<h2>Scaling</h2><div class="charts">${figs.join("\n")}</div>`;
}

function modelsTable(
	a: RunAnalysis,
	generation?: ReadonlyMap<string, { parseRate?: number; reasoningTokens: string }>,
): string {
	const first = a.metrics[0];
	const xName = a.options.x;
	const head = a.metrics
		.map(
			(m) =>
				`<th class="num">${e(metricName(m))}<br><span class="muted">mean ± SE</span></th><th class="num">${Math.round(a.options.level * 100)}% CI</th>`,
		)
		.join("");
	const hasCoverage = first.models.some((p) => p.coverage !== null);
	const decimals = a.metrics.map((m) => decimalsFor(m.models.map((p) => p.mean ?? 0)));
	const rows = first.models.map((p, i) => {
		const cells = a.metrics
			.map((m, k) => {
				const q = m.models[i];
				const d = decimals[k];
				const ms =
					q.mean === null ? "—" : `${fixed(q.mean, d)}${q.se !== null ? ` ± ${fixed(q.se, d)}` : ""}`;
				const ci = q.interval ? `${fixed(q.interval.lower, d)} – ${fixed(q.interval.upper, d)}` : "—";
				return `<td class="num">${ms}</td><td class="num muted">${ci}</td>`;
			})
			.join("");
		const status =
			p.status === "failed"
				? `<td class="failed" title="${e(p.error ?? "")}">failed</td>`
				: `<td>${p.inTrend ? "ok" : e(p.excluded ?? "")}</td>`;
		const g = generation?.get(p.name);
		const generated = generation
			? `<td class="num">${g?.parseRate === undefined ? "—" : fmtPercent(g.parseRate)}</td><td class="num">${e(g?.reasoningTokens ?? "—")}</td>`
			: "";
		return `<tr data-model="${e(p.name)}"><td>${e(p.name)}</td><td>${e(p.family)}</td><td class="num">${fmtSize(p.x)}</td><td class="num">${p.n || "—"}</td>${cells}${hasCoverage ? `<td class="num">${fmtPercent(p.coverage)}</td>` : ""}${generated}${status}</tr>`;
	});
	const xHead =
		xName === "params"
			? "Parameters"
			: xName === "nonembedding"
				? "Non-emb. params"
				: xName === "flops"
					? "FLOPs"
					: axisSpec(xName).label;
	return `<h2>Models</h2>
<table class="models"><thead><tr><th>Model</th><th>Family</th><th class="num">${xHead}</th><th class="num">n</th>${head}${hasCoverage ? '<th class="num">Coverage</th>' : ""}${generation ? '<th class="num">Answers read</th><th class="num">Reasoning tokens</th>' : ""}<th>Status</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<p class="muted">Standard error: population standard deviation / √n, as the prize (blank for n &lt; 2). Intervals: paired percentile bootstrap over the ${first.examplesUsed} examples every model answered. Coverage: the share of probability mass on the classes.</p>`;
}

function trendRow(label: string, t: TrendResult, sub: boolean): string {
	const d = 3;
	const s = t.slope;
	const q = t.quadratic;
	const sp = t.spearman;
	return `<tr class="${sub ? "sub" : ""}" data-verdict="${t.verdict}"><td>${e(label)}</td><td class="num">${t.n}</td><td class="num">${s ? signed(s.estimate, d) : "—"}</td><td class="num muted">${s?.interval ? `${fixed(s.interval.lower, d)} – ${fixed(s.interval.upper, d)}` : "—"}</td><td class="num">${fmtP(s?.p)}</td><td class="num">${q ? fmt(q.curvature) : "—"}</td><td class="num">${sp && Number.isFinite(sp.rho) ? fixed(sp.rho, 2) : "—"}</td><td class="num">${sp ? fmtP(sp.p) : "—"}</td><td>${tag(t)}</td></tr>`;
}

/** The size × training interaction of a grid, with what its sign means. */
function interactionBlock(a: RunAnalysis): string {
	const rows = a.metrics
		.filter((m) => m.interaction)
		.map((m) => {
			const i = m.interaction!;
			const meaning =
				i.estimate < 0
					? "negative: larger models fall further behind as training goes on (inverse scaling grows with training)"
					: "positive: larger models gain more from training";
			return `<tr data-metric="${m.metric}"><td>${e(metricName(m))}</td><td class="num">${i.n}</td><td class="num">${signed(i.estimate, 4)}</td><td class="num muted">${i.interval ? `${fixed(i.interval.lower, 4)} – ${fixed(i.interval.upper, 4)}` : "—"}</td><td class="num">${fixed(i.t, 2)}</td><td class="num">${i.df}</td><td class="num">${fmtP(i.p)}</td><td>${e(meaning)}</td></tr>`;
		});
	if (rows.length === 0) return "";
	const response = a.metrics.find((m) => m.interaction)!.interaction!.response;
	return `<h3>Size × training interaction</h3>
<table class="verdicts" id="interaction-table"><thead><tr><th>Metric</th><th class="num">Conditions</th><th class="num">Estimate</th><th class="num">${Math.round(a.options.level * 100)}% bootstrap interval</th><th class="num">t</th><th class="num">df</th><th class="num">p</th><th>Meaning</th></tr></thead><tbody>${rows.join("")}</tbody></table>
<p class="muted">As Michaelov &amp; Bergen (2023): ordinary least squares of performance (here ${e(response)}; loss and log-odds difference are negated so that higher is better) on z-scored log<sub>10</sub> parameters, z-scored log<sub>10</sub> training tokens and their product, over the conditions' means; the product's t has the residual degrees of freedom. The bootstrap interval applies the same fit to every bootstrap replicate of the means, so it reflects their sampling noise only, while the t test also counts how far the means are from the fitted surface.</p>`;
}

function trendTable(a: RunAnalysis): string {
	const rows = a.metrics.flatMap((m) => [
		trendRow(
			`${metricName(m)}${m.groups.length > 0 ? ", pooled" : m.families.length > 0 ? ", all" : ""}`,
			m.trend,
			false,
		),
		...(m.groups.length > 0
			? m.groups.map((g) => trendRow(g.label, g.trend, true))
			: m.families.map((f) => trendRow(f.family, f.trend, true))),
	]);
	const spec = axisSpec(a.options.x);
	const axis = spec.label.toLowerCase().replace(/ \(.*\)$/, "");
	const scaleText =
		spec.scale === "log10"
			? `log<sub>10</sub>(${e(axis)}), in metric units per tenfold increase`
			: `log<sub>2</sub>(1 + ${e(axis)}), in metric units per doubling of 1 + x (so 0 has a place: 0, 1, 3, 7 are one unit apart)`;
	return `<h2>Trend and verdict</h2>
<table class="verdicts" id="verdict-table"><thead><tr><th>Metric / ${a.metrics[0].groups.length > 0 ? "group" : "family"}</th><th class="num">Models</th><th class="num">Slope per ${e(spec.unit)}</th><th class="num">${Math.round(a.options.level * 100)}% CI</th><th class="num">p (slope)</th><th class="num">Curvature</th><th class="num">Spearman ρ</th><th class="num">p (ρ)</th><th>Verdict</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<p class="muted">Slope: least squares of the metric on ${scaleText}. Curvature: the quadratic coefficient of the same fit. Spearman p: exact permutation test (all n! orders) up to 9 models.</p>
${a.metrics
	.filter((m) => m.generality && m.families.length > 0)
	.map(
		(m) =>
			`<p>Generality (${e(metricName(m).toLowerCase())}): ${m.generality!.inverse} of ${m.generality!.families} families show inverse scaling.</p>`,
	)
	.join("")}
${interactionBlock(a)}`;
}

function rubricBlock(a: RunAnalysis, manifest: RunManifest): string {
	const r = a.rubric;
	const models = r.reproducibility.models
		.map(
			(m) =>
				`<tr><td>${e(m.name)}</td><td class="mono">${e(m.identity ?? "not recorded")}</td><td class="mono">${e(m.source ?? "")}</td></tr>`,
		)
		.join("");
	return `<h2>In the prize's terms</h2>
<dl class="rubric">
<dt>Strength</dt><dd>${e(capitalize(r.strength.words))}</dd>
<dt>Generality</dt><dd>${e(r.generality.words)}</dd>
<dt>Coverage</dt><dd>${e(r.coverage.words)}</dd>
<dt>Dataset size</dt><dd>${e(r.size.words)}</dd>
<dt>Reproducibility</dt><dd>${e(r.reproducibility.words)}${r.reproducibility.sha256 ? `<br><span class="mono">sha256 ${e(r.reproducibility.sha256)}</span>` : ""}${catalogProvenanceHtml(manifest)}</dd>
</dl>
<table class="identities"><thead><tr><th>Model</th><th>Identity</th><th>Source</th></tr></thead><tbody>${models}</tbody></table>
<p class="muted">Task importance and novelty are for the author to argue; the numbers above speak to the rest.</p>`;
}

/** " (N tokens)", labelled where derived or estimated, " (token count unknown)" where the API did not say. */
function reasoningCount(
	tokens: number | null | undefined,
	from: "derived" | "estimated" | undefined,
): string {
	if (tokens === undefined) return "";
	if (tokens === null) return " (token count unknown: the API did not report it)";
	return from === "estimated"
		? ` (about ${tokens} tokens, estimated)`
		: from === "derived"
			? ` (${tokens} tokens, derived)`
			: ` (${tokens} tokens)`;
}

/** One condition's generated answer to an example: what was read, the final answer, the reasoning folded. */
function answerBlock(model: string, shown: ShownAnswer | undefined): string {
	if (!shown) return "";
	const read =
		shown.extracted !== undefined
			? `answered <code>${e(JSON.stringify(shown.extracted))}</code>`
			: "answer not readable";
	const tokens = reasoningCount(shown.reasoningTokens, shown.reasoningTokensFrom);
	const reasoning = shown.reasoning
		? `<details><summary>Reasoning${tokens}</summary><pre>${e(shown.reasoning)}</pre></details>`
		: `<div class="muted">No reasoning${tokens}.</div>`;
	return `<div class="generated"><div>${e(model)}: ${read}</div>${reasoning}<div class="muted">Final answer:</div><pre>${e(shown.answer)}</pre></div>`;
}

function exampleBlock(c: ExampleChange, metric: MetricAnalysis, answers?: GeneratedAnswers): string {
	const t = c.text;
	const d = decimalsFor([c.low.value, c.high.value]);
	const label = metricName(metric).toLowerCase();
	const classes = t?.classes
		? `<div class="classes">Classes: ${t.classes.map((k, i) => `<code class="${i === t.answerIndex ? "answer" : ""}">${e(JSON.stringify(k))}</code>${i === t.answerIndex ? " (answer)" : ""}`).join(", ")}</div>`
		: "";
	const pred = (p?: string) => (p !== undefined ? `, predicted <code>${e(JSON.stringify(p))}</code>` : "");
	return `<div class="example" data-index="${c.index}">
<div class="head"><span>Example ${c.index}</span><span>${e(label)}: ${e(c.low.model)} ${fixed(c.low.value, d)}${pred(c.low.predicted)} → ${e(c.high.model)} ${fixed(c.high.value, d)}${pred(c.high.predicted)}</span></div>
${t?.prompt !== undefined ? `<div class="prompt mono">${e(t.prompt)}</div>` : '<div class="muted">Prompt not available (no labelled data or data copy in the run directory).</div>'}
${t?.otherPrompt !== undefined ? `<div class="muted">Other prompt:</div><div class="prompt mono">${e(t.otherPrompt)}</div>` : ""}
${t?.completion !== undefined ? `<div class="classes">Completion: <code>${e(JSON.stringify(t.completion))}</code></div>` : ""}
${classes}
${answerBlock(c.low.model, answers?.get(c.low.model)?.get(c.index))}${answerBlock(c.high.model, answers?.get(c.high.model)?.get(c.index))}
</div>`;
}

function changesBlock(a: RunAnalysis, answers?: GeneratedAnswers): string {
	if (a.changes.length === 0) return "";
	const m = a.metrics[0];
	const axis = axisSpec(a.options.x);
	const group = changesGroup(m);
	const within = group ? ` (within ${e(group.label)})` : "";
	return `<h2>Examples that got worse most along ${e(axis.noun)}</h2>
<p class="muted">Ranked by the change of ${e(metricName(m).toLowerCase())} from the ${e(a.ends.low)} to the ${e(a.ends.high)} in the trend${within} (in the "worse" direction).</p>
${a.changes.map((c) => exampleBlock(c, m, answers)).join("\n")}`;
}

function methodsBlock(a: RunAnalysis): string {
	const o = a.options;
	const m = a.metrics[0];
	const dir =
		metricInfo[m.metric].worseSign > 0
			? "higher is worse, so a rising line is inverse scaling"
			: "higher is better, so a falling line is inverse scaling";
	return `<h2>Methods</h2>
<p class="methods">Per-example metrics follow the Inverse Scaling Prize (${e(m.metric)}; ${dir}${o.invert ? "; values inverted as the prize allowed: loss → −ln(1 − e<sup>−loss</sup>), accuracy → 1 − correct" : ""}). Each model's mean and standard error (population SD / √n) are over its own examples. The trend is the least-squares slope of the per-model means on ${axisSpec(o.x).scale === "log10" ? "log<sub>10</sub>" : "log<sub>2</sub>(1 + x) of"} ${e(xAxisLabel[o.x].toLowerCase())}${m.groups.length > 0 ? ", one trend per group of conditions sharing their other coordinates" : ""}, with a ${Math.round(o.level * 100)}% percentile interval from a paired bootstrap (${o.replicates.toLocaleString("en-US")} replicates, seed ${o.seed}): every replicate resamples the example indices once and applies them to all models, over the examples every model answered. The verdict is <em>U-shaped</em> (performance worsens then recovers, as in Wei et al. 2022) or <em>inverted U</em> when a quadratic in log x has a curvature interval excluding zero, a turning point inside the observed sizes and slopes of opposite sign on its two sides; otherwise <em>inverse</em> or <em>positive</em> when the slope interval excludes zero; <em>flat</em> when the slope interval lies within ±${fmt(m.trend.flatBand)} per ${e(axisSpec(o.x).unit)} (or includes zero and stays within twice that); <em>inconclusive</em> otherwise. Spearman's ρ is tested by exact permutation for up to 9 models; with n models its smallest possible two-sided p is 2/n!, so four models can never reach p &lt; 0.05. Non-finite statistics are written as null in report.json.</p>`;
}

export function renderTaskPage(p: TaskPage): string {
	const a = p.analysis;
	const m = a.metrics[0];
	const failed = p.manifest.models.filter((x) => x.status === "failed").length;
	const meta = [
		`${e(a.task.typeName)}`,
		`${a.task.examples.toLocaleString("en-US")} examples`,
		`${p.manifest.models.length} model${p.manifest.models.length === 1 ? "" : "s"}${failed ? ` (${failed} failed)` : ""}`,
		`run ${e(p.manifest.status)}`,
		p.manifest.ladder ? `ladder ${e(p.manifest.ladder)}` : "",
		`${e(p.manifest.startedAt.slice(0, 10))}`,
	].filter(Boolean);
	const card = p.card
		? `<h2>Task card</h2><p class="muted">${e(p.card.file)}</p><pre>${e(p.card.text)}</pre>`
		: "";
	const body = `<header><h1>${e(a.task.name)}</h1><p class="meta">${meta.map((x) => `<span>${x}</span>`).join("")}</p></header>
${verdictBlock(m)}
${chartsBlock(p)}
${trendTable(a)}
${modelsTable(a, p.generation)}
${p.extraSections ?? ""}
${rubricBlock(a, p.manifest)}
${changesBlock(a, p.answers)}
${card}
${methodsBlock(a)}
<footer>Generated by invscale ${e(p.version)} on ${e(p.generatedAt)} from <code>${e(p.manifest.task.file)}</code>. Every number is in report.json.</footer>`;
	return page(`${a.task.name} — invscale report`, body);
}

export interface IndexTask {
	analysis: RunAnalysis;
	/** How the task's models compare with published results ("3 of 4 agree"), when references were given. */
	published?: string;
	/** Link to the task's own report, relative to the index. */
	href: string;
	chartSvg: string;
}

export function renderIndexPage(
	combined: CombinedAnalysis,
	tasks: IndexTask[],
	version: string,
	generatedAt: string,
): string {
	const hasInteraction = combined.rows.some((r) => r.interaction);
	const withPublished = tasks.some((t) => t.published !== undefined);
	const rows = combined.rows.map((r, i) => {
		const t = tasks[i].analysis.metrics[0].trend;
		return `<tr data-task="${e(r.task)}"><td><a href="${e(tasks[i].href)}">${e(r.task)}</a></td><td>${e(r.metric)}</td><td class="num">${r.examples}</td><td class="num">${r.models}</td><td class="num">${signed(r.slope)}</td><td class="num muted">${r.interval ? `${fixed(r.interval.lower)} – ${fixed(r.interval.upper)}` : "—"}</td><td class="num">${fmtP(r.p)}</td><td class="num">${fmtP(r.q)}${r.discovery ? " *" : ""}</td>${hasInteraction ? `<td class="num">${r.interaction ? `${signed(r.interaction.estimate, 4)} (q ${fmtP(r.interaction.q)})` : "—"}</td>` : ""}<td>${tag(t)}</td>${withPublished ? `<td>${e(tasks[i].published ?? "—")}</td>` : ""}</tr>`;
	});
	const figs = tasks.map(
		(t) =>
			`<figure class="chart" data-task="${e(t.analysis.task.name)}"><h3>${e(t.analysis.task.name)}</h3>${t.chartSvg}<figcaption>${e(t.analysis.metrics[0].trend.statement)}</figcaption></figure>`,
	);
	const body = `<header><h1>Inverse scaling across ${tasks.length} tasks</h1><p class="meta"><span>invscale ${e(version)}</span><span>${e(generatedAt)}</span></p></header>
<h2>Summary</h2>
<table class="verdicts" id="verdict-table"><thead><tr><th>Task</th><th>Metric</th><th class="num">Examples</th><th class="num">Models</th><th class="num">Slope per ${e(tasks[0]?.analysis.metrics[0].along.unit ?? "decade")}</th><th class="num">95% CI</th><th class="num">p</th><th class="num">q (BH)</th>${hasInteraction ? '<th class="num">Size × training</th>' : ""}<th>Verdict</th>${withPublished ? "<th>Published</th>" : ""}</tr></thead><tbody>${rows.join("\n")}</tbody></table>
<p class="muted">p: two-sided paired-bootstrap p-value of the slope. q: Benjamini–Hochberg adjusted across the ${tasks.length} tasks; * marks a discovery at a false discovery rate of ${combined.fdr}.${hasInteraction ? " Size × training: the interaction of Michaelov &amp; Bergen (performance on z-scored log parameters, log tokens and their product; negative: inverse scaling grows with training), with its BH q across the tasks that are grids." : ""}</p>
<h2>Charts</h2>
${figs.join("\n")}`;
	return page("invscale report", body);
}
