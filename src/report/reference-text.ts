/** @module The comparison with published results as lines of text, for the command line. */

import { metricInfo } from "../analysis/metric.js";
import type { ReferenceResult } from "../analysis/reference.js";

export function referenceText(task: string, result: ReferenceResult): string {
	const lines: string[] = [];
	for (const m of result.metrics) {
		if (m.comparisons.length === 0) {
			lines.push(
				`  ${task}: no model of the run is in the published ${metricInfo[m.metric].label.toLowerCase()} table`,
			);
			continue;
		}
		for (const c of m.comparisons) {
			const se = (v: number | null) => (v === null ? "" : ` ± ${v.toFixed(3)}`);
			const z = c.z === null ? "" : `, z = ${c.z.toFixed(2)}`;
			lines.push(
				`  ${c.model} gets ${c.ours.mean.toFixed(3)}${se(c.ours.se)} on ${task} (${metricInfo[m.metric].label.toLowerCase()}); ${c.source} report ${c.published.mean.toFixed(3)}${se(c.published.se)}${c.published.revision ? ` at ${c.published.revision}` : ""}: ${c.words}${z}`,
			);
		}
	}
	return lines.length > 0 ? `Published results:\n${lines.join("\n")}\n\n` : "";
}
