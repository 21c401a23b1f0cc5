/**
 * @module The verdict in plain words for people who do not read confidence intervals: what happened
 * from one end of the axis to the other (smallest to largest model, earliest to latest checkpoint,
 * fewest to most shots), and how sure the analysis is.
 */
import { axisSpec } from "../analysis/axis.js";
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

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A grouped analysis (one line per size, say): which lines went the inverse way, and the interaction. */
function groupedVerdict(m: MetricAnalysis): string {
	const i = m.interaction;
	const interaction = i
		? ` Across the grid, ${i.estimate < 0 ? "larger models fall further behind as training goes on" : "larger models gain more from training"} (size × training interaction p ${i.p < 0.001 ? "< 0.001" : `= ${i.p.toFixed(3)}`}).`
		: "";
	return `${m.along.statement} Each line in the chart is one group of conditions that differ only in ${axisSpec(m.along.axis).noun}.${interaction}`;
}

/** One or two sentences: the direction in everyday words, then the size of the change. */
export function plainVerdict(m: MetricAnalysis, options: { sizesHidden?: boolean } = {}): string {
	if (m.groups.length > 0) return groupedVerdict(m);
	const axis = axisSpec(m.along.axis);
	const info = metricInfo[m.metric];
	const points = m.models
		.filter((p) => p.inTrend && p.x !== null && p.mean !== null)
		.sort((a, b) => a.x! - b.x!);
	const what = m.inverted ? `inverted ${info.label.toLowerCase()}` : info.label.toLowerCase();
	if (points.length < 2) {
		return axis.dimension === "size"
			? "There are not enough models with a known size to see a trend: run at least two models of different sizes."
			: `There are not enough conditions with a known ${axis.noun} to see a trend: run at least two.`;
	}
	const first = points[0];
	const last = points[points.length - 1];
	// With the sizes hidden, x holds ranks: the conditions are named, never placed.
	const at = (x: number) =>
		options.sizesHidden ? "" : `, ${axis.scale === "log10" ? formatCount(x) : `${x} ${axis.noun}`}`;
	const change = `${what} went from ${valueText(m.metric, first.mean!)} (${first.name}${at(first.x!)}) to ${valueText(m.metric, last.mean!)} (${last.name}${at(last.x!)})`;
	const who = capital(axis.more);
	const better = info.worseSign > 0 ? "lower is better" : "higher is better";
	switch (m.trend.verdict) {
		case "inverse":
			return `${axis.dimension === "size" ? "Bigger models" : who} did worse on this task, and the trend is clear: ${change}; ${better}. This is inverse scaling.`;
		case "positive":
			return `${axis.dimension === "size" ? "Bigger models" : who} did better on this task, as usual: ${change}; ${better}. No inverse scaling here.`;
		case "flat":
			return `${axis.dimension === "size" ? "Model size" : capital(axis.noun)} made no real difference on this task: ${change}.`;
		case "u-shaped":
			return `The middle of the ${axis.noun} range did worst and the ${axis.high} recovered (U-shaped): ${change}.`;
		case "inverted-u":
			return `The middle of the ${axis.noun} range did best (an inverted U): ${change}.`;
		case "inconclusive":
			return `No clear direction yet: ${change}, but the differences are within the noise. More examples or more models would settle it.`;
		case "insufficient":
			return `There are too few models to call a trend: ${change}.`;
	}
}
