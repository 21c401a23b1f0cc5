/**
 * @module The examples whose plotted metric changed most between the two ends of the axis: the
 * smallest and largest model on a size ladder, the earliest and latest checkpoint, the fewest and
 * most shots. With groups, the ends are taken within the last group (the largest size, the
 * latest checkpoint), so the two conditions differ along the axis only.
 */

import { metricInfo } from "./metric.js";
import { metricValues } from "./metric-analysis.js";
import type { ExampleChange, GroupTrend, MetricAnalysis, RunInput } from "./types.js";

/**
 * The group the changes are taken in: the last one (the largest size, the latest checkpoint); when
 * the groups are models, which have no order, the one that gets worse fastest among those inverse.
 */
export function changesGroup(analysis: MetricAnalysis): GroupTrend | undefined {
	const groups = analysis.groups;
	if (analysis.along?.groupBy.length !== 1 || analysis.along.groupBy[0] !== "model") return groups.at(-1);
	const sign = metricInfo[analysis.metric].worseSign;
	const worsening = (g: GroupTrend) => sign * (g.trend.slope?.estimate ?? 0);
	const inverse = groups
		.filter((g) => g.trend.verdict === "inverse")
		.sort((a, b) => worsening(b) - worsening(a));
	return inverse[0] ?? groups.at(-1);
}

/** Top `count` examples by worsening (metric × worse sign) from the low to the high end of the axis. */
export function largestChanges(
	input: RunInput,
	analysis: MetricAnalysis,
	invert: boolean,
	count: number,
): ExampleChange[] {
	const lastGroup = changesGroup(analysis)?.label;
	const sized = analysis.models
		.filter((p) => p.inTrend && p.x !== null && (lastGroup === undefined || p.group === lastGroup))
		.sort((a, b) => a.x! - b.x!);
	if (sized.length < 2 || count <= 0) return [];
	const small = sized[0];
	const large = sized[sized.length - 1];
	const modelOf = (name: string) => input.models.find((m) => m.name === name)!;
	const a = metricValues(modelOf(small.name), analysis.metric, invert);
	const b = metricValues(modelOf(large.name), analysis.metric, invert);
	if (!a || !b) return [];
	const predictedOf = (name: string): Map<number, string> => {
		const cols = modelOf(name).columns;
		const out = new Map<number, string>();
		if (cols?.predicted)
			for (let i = 0; i < cols.index.length; i++) out.set(Number(cols.index[i]), cols.predicted[i]);
		return out;
	};
	const pa = predictedOf(small.name);
	const pb = predictedOf(large.name);
	const sign = metricInfo[analysis.metric].worseSign;
	const changes: ExampleChange[] = [];
	for (const [index, va] of a) {
		const vb = b.get(index);
		if (vb === undefined || !Number.isFinite(va) || !Number.isFinite(vb)) continue;
		changes.push({
			index,
			worsening: sign * (vb - va),
			low: { model: small.name, value: va, predicted: pa.get(index) },
			high: { model: large.name, value: vb, predicted: pb.get(index) },
			text: input.examples?.get(index),
		});
	}
	// Ties broken by index so the list is stable.
	changes.sort((x, y) => y.worsening - x.worsening || x.index - y.index);
	return changes.slice(0, count);
}
