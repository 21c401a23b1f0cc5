/**
 * @module The verdict in plain words for people who do not read confidence intervals: what happened
 * from the smallest to the largest model, and how sure the analysis is.
 */
import { metricInfo } from "../analysis/metric.js";
import type { MetricAnalysis } from "../analysis/types.js";
import { formatCount } from "../ladders/index.js";

function number(v: number): string {
	const a = Math.abs(v);
	if (a !== 0 && (a < 0.001 || a >= 1e5)) return v.toExponential(2);
	return Number(v.toPrecision(3)).toString();
}

function valueText(metric: MetricAnalysis["metric"], v: number): string {
	return metric === "correct" ? `${(v * 100).toFixed(1)}%` : number(v);
}

/** One or two sentences: the direction in everyday words, then the size of the change. */
export function plainVerdict(m: MetricAnalysis): string {
	const info = metricInfo[m.metric];
	const points = m.models
		.filter((p) => p.inTrend && p.x !== null && p.mean !== null)
		.sort((a, b) => a.x! - b.x!);
	const what = m.inverted ? `inverted ${info.label.toLowerCase()}` : info.label.toLowerCase();
	if (points.length < 2) {
		return "There are not enough models with a known size to see a trend: run at least two models of different sizes.";
	}
	const first = points[0];
	const last = points[points.length - 1];
	const change = `${what} went from ${valueText(m.metric, first.mean!)} (${first.name}, ${formatCount(first.x!)}) to ${valueText(m.metric, last.mean!)} (${last.name}, ${formatCount(last.x!)})`;
	const better = info.worseSign > 0 ? "lower is better" : "higher is better";
	switch (m.trend.verdict) {
		case "inverse":
			return `Bigger models did worse on this task, and the trend is clear: ${change}; ${better}. This is inverse scaling.`;
		case "positive":
			return `Bigger models did better on this task, as usual: ${change}; ${better}. No inverse scaling here.`;
		case "flat":
			return `Model size made no real difference on this task: ${change}.`;
		case "u-shaped":
			return `Mid-sized models did worst and the largest recovered (U-shaped): ${change}.`;
		case "inverted-u":
			return `Mid-sized models did best (an inverted U): ${change}.`;
		case "inconclusive":
			return `No clear direction yet: ${change}, but the differences are within the noise. More examples or more models would settle it.`;
		case "insufficient":
			return `There are too few models to call a trend: ${change}.`;
	}
}
