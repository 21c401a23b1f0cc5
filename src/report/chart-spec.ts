/**
 * @module Vega-Lite specs of the scaling charts, built from an analysis. The same spec is rendered
 * to SVG/PNG here and shown interactively in the web app. A chart is a list of named layers
 * (error bars, lines, points, labels, chance), so more layers can be added to it. For a grid of
 * conditions (sizes × checkpoints) there are two charts: the metric along the analysis' axis with
 * one line per group, and the transpose.
 */
import { type AxisScale, axisSpec, type XAxis, xValue } from "../analysis/axis.js";
import { dimensionValue, type GroupDimension, valueWords } from "../analysis/groups.js";
import { metricInfo } from "../analysis/metric.js";
import type { MetricAnalysis, ModelPoint } from "../analysis/types.js";

export interface ChartOptions {
	xAxis?: XAxis;
	title?: string;
	width?: number;
	height?: number;
	/** Font families for all text; the browser and resvg pick the first one they have. */
	font?: string;
	/** The x values are ranks standing in for hidden sizes: an ordinal axis with this title. */
	xRanks?: string;
}

export const chartFont = "Helvetica Neue, Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif";

/** One row of chart data: a condition's mean with its standard-error bar, and the line it is on. */
export interface ChartPoint {
	model: string;
	family: string;
	/** The line the point is on: its family, or its group when the analysis has groups. */
	series: string;
	x: number;
	mean: number;
	lower: number | null;
	upper: number | null;
	/** Text written beside the point: the model's name, or a line's name at its last point. */
	label: string;
}

const familyColors = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8", "#555555"];

function toChartPoint(p: ModelPoint, x: number, series: string, logY: boolean): ChartPoint {
	const se = p.se;
	const floor = (v: number) => (logY ? Math.max(v, p.mean! / 100) : v);
	return {
		model: p.name,
		family: p.family,
		series,
		x,
		mean: p.mean!,
		lower: se === null ? null : floor(p.mean! - se),
		upper: se === null ? null : p.mean! + se,
		label: p.name,
	};
}

/**
 * With many points per line, only each line's last point is labelled, with the line's name; a
 * label closer than 6% of the y range to one already kept is left out (the legend names it).
 */
function labelLineEnds(points: ChartPoint[], grouped: boolean, logY = false): ChartPoint[] {
	if (!grouped) return points;
	const last = new Map<string, ChartPoint>();
	for (const p of points) if (!last.has(p.series) || last.get(p.series)!.x <= p.x) last.set(p.series, p);
	const y = (p: ChartPoint) => (logY ? Math.log10(p.mean) : p.mean);
	const ys = points.map(y);
	const gap = 0.06 * (Math.max(...ys) - Math.min(...ys));
	const kept = new Set<ChartPoint>();
	let previous = Number.NEGATIVE_INFINITY;
	for (const p of [...last.values()].sort((a, b) => y(a) - y(b))) {
		if (y(p) - previous < gap) continue;
		kept.add(p);
		previous = y(p);
	}
	for (const p of points) p.label = kept.has(p) ? p.series : "";
	return points;
}

/** The conditions in the trend, with mean ± SE (clipped at a tiny positive value on log axes). */
export function chartPoints(m: MetricAnalysis, logY: boolean): ChartPoint[] {
	const grouped = (m.groups ?? []).length > 0;
	const points = m.models
		.filter((p) => p.inTrend && p.x !== null && p.mean !== null)
		.sort((a, b) => a.x! - b.x!)
		.map((p) => toChartPoint(p, p.x!, grouped ? (p.group ?? p.family) : p.family, logY));
	return labelLineEnds(points, grouped, logY);
}

/** A y range holding every bar and the chance line, padded 8% (in log space on a log axis). */
function yDomain(points: ChartPoint[], chance: number | null, log: boolean): [number, number] | undefined {
	const values = points.flatMap((p) => [p.mean, p.lower ?? p.mean, p.upper ?? p.mean]);
	if (chance !== null) values.push(chance);
	if (values.length === 0) return undefined;
	const f = log ? Math.log10 : (v: number) => v;
	const g = log ? (v: number) => 10 ** v : (v: number) => v;
	const lo = Math.min(...values.map(f));
	const hi = Math.max(...values.map(f));
	const pad = Math.max((hi - lo) * 0.08, log ? 0.02 : Math.abs(hi) * 0.02 || 0.01);
	return [g(lo - pad), g(hi + pad)];
}

/** The largest step of 1, 2 or 5 × 10^k at or below `raw`. */
function niceStep(raw: number): number {
	const power = 10 ** Math.floor(Math.log10(raw));
	const mantissa = raw / power;
	return (mantissa >= 5 ? 5 : mantissa >= 2 ? 2 : 1) * power;
}

/**
 * Tick values for a log y axis, each one labelled. Vega's own log ticks blank every label whose
 * mantissa exceeds a count-dependent limit (d3's log tickFormat), which on a narrow domain
 * leaves only the lowest ticks labelled; explicit values with an explicit label avoid that.
 * Under about a decade the ticks are evenly spaced in value; wider domains get 1, 2, 5 × 10^k.
 */
export function logAxisValues([lo, hi]: [number, number]): number[] {
	const round = (v: number) => Number(v.toPrecision(12));
	if (hi / lo < 15) {
		const step = niceStep((hi - lo) / 5);
		const values: number[] = [];
		for (let k = Math.ceil(lo / step); k * step <= hi * (1 + 1e-12); k++) values.push(round(k * step));
		return values;
	}
	const values: number[] = [];
	for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi; e++) {
		for (const m of [1, 2, 5]) {
			const v = round(m * 10 ** e);
			if (v >= lo && v <= hi) values.push(v);
		}
	}
	return values;
}

interface SpecInput {
	m: MetricAnalysis;
	points: ChartPoint[];
	xAxis: XAxis;
	/** Series in legend order (groups in their order; families as they come). */
	series: string[];
	/** Title of the legend: "Family", "Size", "Checkpoint". */
	seriesTitle: string;
	/** Ordered series (sizes, checkpoints) get a sequential palette; families a categorical one. */
	ordered: boolean;
	/** Labels name lines at their last point (not every point by its model). */
	lineLabels: boolean;
	options: ChartOptions;
}

function xEncoding(flag: XAxis) {
	const spec = axisSpec(flag);
	const scale: AxisScale = spec.scale;
	return {
		field: "x",
		type: "quantitative",
		// log2(1 + x) axes (shots, budgets) hold 0: a symmetric log scale with constant 1 draws log(1 + x).
		scale:
			scale === "log10"
				? { type: "log", nice: false, padding: 24 }
				: { type: "symlog", constant: 1, padding: 24 },
		axis:
			scale === "log10"
				? {
						title: spec.label,
						// SI prefixes, with B (billion) for G as papers write model sizes.
						// Only 1, 2 and 5 × 10^k are labelled, so the log axis never crowds.
						labelExpr:
							"test(/^[125][^0-9]*$|^[125]0+[^0-9]*$/, format(datum.value, '~s')) ? replace(format(datum.value, '~s'), 'G', 'B') : ''",
						grid: true,
						tickCount: 6,
					}
				: { title: spec.label, grid: true, format: "~d" },
	};
}

function scalingSpec(input: SpecInput): Record<string, unknown> {
	const { m, points, options } = input;
	const info = metricInfo[m.metric];
	const positive = m.models.every((p) => p.mean === null || p.mean > 0);
	const logY = info.logScale && positive;
	const font = options.font ?? chartFont;
	const yTitle = `${m.inverted ? `Inverted ${info.label.toLowerCase()}` : info.label}${info.unit ? ` (${info.unit})` : ""}`;
	const x = options.xRanks
		? { field: "x", type: "ordinal", axis: { title: options.xRanks, grid: true, labelAngle: 0 } }
		: xEncoding(input.xAxis);
	const domain = yDomain(points, m.chance, logY);
	const y = {
		field: "mean",
		type: "quantitative",
		scale: logY ? { type: "log", domain, nice: false } : { type: "linear", zero: false, domain, nice: false },
		axis:
			logY && domain
				? { title: yTitle, grid: true, values: logAxisValues(domain), labelExpr: "format(datum.value, '~g')" }
				: { title: yTitle, grid: true, format: "~r" },
	};
	const color = {
		field: "series",
		type: input.ordered ? "ordinal" : "nominal",
		legend:
			input.series.length > 1
				? { title: input.seriesTitle, orient: input.series.length > 4 ? "right" : "bottom" }
				: null,
		scale: input.ordered
			? { domain: input.series, scheme: "viridis" }
			: { domain: input.series, range: familyColors },
	};
	const layers: Record<string, unknown>[] = [
		{
			name: "errorbars",
			transform: [{ filter: "datum.lower !== null" }],
			mark: { type: "rule", strokeWidth: 1.5, opacity: 0.8 },
			encoding: { x, y: { ...y, field: "lower" }, y2: { field: "upper" }, color },
		},
		{
			name: "lines",
			mark: { type: "line", strokeWidth: 2 },
			encoding: { x, y, color, detail: { field: "series" }, order: { field: "x" } },
		},
		{
			name: "points",
			mark: { type: "point", filled: true, size: points.length > 30 ? 40 : 70, opacity: 1 },
			encoding: {
				x,
				y,
				color,
				tooltip: [
					{ field: "model", title: "Condition" },
					{ field: "series", title: input.seriesTitle },
					options.xRanks
						? { field: "x", title: options.xRanks }
						: { field: "x", title: axisSpec(input.xAxis).label, format: ".3~s" },
					{ field: "mean", title: info.label, format: ".4~f" },
				],
			},
		},
		{
			name: "labels",
			transform: [{ filter: "datum.label !== ''" }],
			// A line's name sits above-left of its last point, so it stays inside the plot.
			mark: input.lineLabels
				? { type: "text", align: "right", dx: -6, dy: -9, fontSize: 10, color: "#333" }
				: { type: "text", dy: -12, fontSize: 10, color: "#333" },
			encoding: { x, y, text: { field: "label" } },
		},
	];
	if (m.chance !== null) {
		layers.push({
			name: "chance",
			data: { values: [{ chance: m.chance, label: `chance ${m.chance.toFixed(3)}` }] },
			layer: [
				{
					mark: { type: "rule", strokeDash: [6, 4], color: "#777", strokeWidth: 1.2 },
					encoding: { y: { field: "chance", type: "quantitative" } },
				},
				{
					mark: {
						type: "text",
						align: "right",
						baseline: "bottom",
						dy: -3,
						color: "#777",
						fontSize: 10,
						x: "width",
					},
					encoding: { y: { field: "chance", type: "quantitative" }, text: { field: "label" } },
				},
			],
		});
	}
	return {
		$schema: "https://vega.github.io/schema/vega-lite/v6.json",
		title: options.title
			? { text: options.title, anchor: "start", fontSize: 14, fontWeight: 600 }
			: undefined,
		width: options.width ?? 460,
		height: options.height ?? 300,
		background: "white",
		data: { values: points },
		layer: layers,
		config: {
			font,
			view: { stroke: "#ccc" },
			axis: {
				labelFontSize: 11,
				titleFontSize: 12,
				titleFontWeight: 500,
				gridColor: "#eee",
				domainColor: "#888",
				tickColor: "#888",
			},
			legend: { labelFontSize: 11, titleFontSize: 11 },
		},
	};
}

const seriesTitles: Record<GroupDimension, string> = {
	size: "Size",
	training: "Checkpoint",
	shots: "Shots",
	budget: "Budget",
	model: "Model",
};

/** The chart of one metric along its axis: a line per family (or per group), SE bars, names, dashed chance line. */
// biome-ignore lint/suspicious/noExplicitAny: a Vega-Lite spec is plain JSON; its full type is not needed here.
export function buildChartSpec(m: MetricAnalysis, options: ChartOptions = {}): Record<string, any> {
	const info = metricInfo[m.metric];
	const logY = info.logScale && m.models.every((p) => p.mean === null || p.mean > 0);
	const points = chartPoints(m, logY);
	// Analyses built by hand (tests, older callers) may lack the grouping fields.
	const groups = m.groups ?? [];
	const grouped = groups.length > 0;
	const by = m.along?.groupBy ?? [];
	return scalingSpec({
		m,
		points,
		xAxis: options.xAxis ?? m.along?.axis ?? "params",
		series: grouped ? groups.map((g) => g.label) : [...new Set(points.map((p) => p.series))],
		seriesTitle: grouped ? (by.length === 1 ? seriesTitles[by[0]] : "Group") : "Family",
		ordered: grouped && new Set(groups.map((g) => g.family)).size === 1,
		lineLabels: grouped,
		options,
	});
}

/**
 * The transpose of a size × training grid: when the analysis is along training (one line per
 * size), the metric against parameters with one line per checkpoint; and the other way round.
 * Null when the conditions are not such a grid.
 */
export function buildTransposeSpec(
	m: MetricAnalysis,
	options: ChartOptions = {},
): Record<string, unknown> | null {
	const axis = axisSpec(m.along.axis);
	const by = m.along.groupBy;
	if (by.length !== 1) return null;
	let other: XAxis;
	let lineBy: GroupDimension;
	if (axis.dimension === "training" && by[0] === "size") {
		const anyParams = m.models.some((p) => p.coords.parameters !== undefined);
		other = anyParams ? "params" : "nonembedding";
		lineBy = "training";
	} else if (axis.dimension === "size" && by[0] === "training") {
		other = m.models.some((p) => p.coords.trainingTokens !== undefined) ? "tokens" : "step";
		lineBy = "size";
	} else return null;
	const info = metricInfo[m.metric];
	const logY = info.logScale && m.models.every((p) => p.mean === null || p.mean > 0);
	const lineOf = (p: ModelPoint) =>
		lineBy === "size" && p.model !== undefined ? p.model : valueWords(lineBy, p.coords);
	const placed = m.models
		.filter((p) => p.inTrend && p.mean !== null)
		.map((p) => ({ p, xv: xValue(p.coords, other) }))
		.filter((e) => e.xv.ok)
		.sort((a, b) => (a.xv as { x: number }).x - (b.xv as { x: number }).x);
	const points = labelLineEnds(
		placed.map((e) => toChartPoint(e.p, (e.xv as { x: number }).x, lineOf(e.p), logY)),
		true,
		logY,
	);
	const order = new Map<string, number>();
	for (const e of placed) order.set(lineOf(e.p), dimensionValue(e.p.coords, lineBy) ?? 0);
	const series = [...order.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
	return scalingSpec({
		m,
		points,
		xAxis: other,
		series,
		seriesTitle: seriesTitles[lineBy],
		ordered: true,
		lineLabels: true,
		options,
	});
}
