/** @module The report's "Published results" section: each model beside its published value, with difference and z-score. */

import { metricInfo } from "../analysis/metric.js";
import type { MetricReference, ReferenceResult } from "../analysis/reference.js";
import { escapeHtml as e, fixed, signed } from "./format.js";

function metricTable(m: MetricReference): string {
	const label = metricInfo[m.metric].label;
	if (m.comparisons.length === 0)
		return `<p data-reference-metric="${m.metric}">${e(label)}: no model of this run is in the published table (models match by name, and by training step when both have one).</p>`;
	const rows = m.comparisons.map((c) => {
		const checkpoint =
			c.published.revision ?? (c.published.step !== undefined ? `step ${c.published.step}` : "");
		return `<tr data-model="${e(c.model)}" data-agrees="${c.agrees === null ? "unknown" : String(c.agrees)}"><td>${e(c.model)}</td><td class="num">${fixed(c.ours.mean, 3)}${c.ours.se !== null ? ` ± ${fixed(c.ours.se, 3)}` : ""}</td><td class="num">${fixed(c.published.mean, 3)}${c.published.se !== null ? ` ± ${fixed(c.published.se, 3)}` : ""}</td><td>${e(c.source)}${checkpoint ? ` <span class="muted">${e(checkpoint)}</span>` : ""}</td><td class="num">${signed(c.difference, 3)}</td><td class="num">${c.z === null ? "—" : signed(c.z, 2)}</td><td>${e(c.words)}</td></tr>`;
	});
	return `<table class="reference" data-reference-metric="${m.metric}"><thead><tr><th>Model</th><th class="num">${e(label)} (this run)</th><th class="num">Published</th><th>Source</th><th class="num">Difference</th><th class="num">z</th><th></th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

/** The section, or "" when no published table has the run's task. */
export function referenceSection(result: ReferenceResult | null): string {
	if (!result || result.metrics.length === 0) return "";
	const unplaced = result.metrics.reduce((sum, m) => sum + m.unplaced, 0);
	return `<h2 id="published">Published results</h2>
<p class="muted">Published values for ${e(result.task)} from ${result.sources.map(e).join("; ")}, drawn as open diamonds on the charts. z = difference / √(SE<sub>run</sub>² + SE<sub>published</sub>²); below ${result.threshold} in size it agrees with the published value. A model without a training step is compared with the published final checkpoint.${unplaced ? ` ${unplaced} published point${unplaced === 1 ? " has" : "s have"} no size on this axis and ${unplaced === 1 ? "is" : "are"} not drawn.` : ""}</p>
${result.metrics.map(metricTable).join("\n")}`;
}

/** "3 of 4 agree" over every comparison of a task, for the combined table; "—" when there are none. */
export function agreementSummary(result: ReferenceResult): string {
	const all = result.metrics.flatMap((m) => m.comparisons).filter((c) => c.agrees !== null);
	if (all.length === 0) return "—";
	return `${all.filter((c) => c.agrees).length} of ${all.length} agree`;
}
