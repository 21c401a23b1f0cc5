/**
 * @module Vega-Lite specs of the scaling charts, built from an analysis. The same spec is rendered
 * to SVG/PNG here and shown interactively in the web app.
 */
import { type XAxis, xAxisLabel } from "../analysis/axis.js";
import { metricInfo } from "../analysis/metric.js";
import type { MetricAnalysis } from "../analysis/types.js";

export interface ChartOptions {
	xAxis?: XAxis;
	title?: string;
	width?: number;
	height?: number;
	/** Font families for all text; the browser and resvg pick the first one they have. */
	font?: string;
}

export const chartFont = "Helvetica Neue, Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif";

/** One row of chart data: a model's mean with its standard-error bar. */
export interface ChartPoint {
	model: string;
	family: string;
	x: number;
	mean: number;
	lower: number | null;
	upper: number | null;
}

/** The models in the trend, with mean ± SE (clipped at a tiny positive value on log axes). */
export function chartPoints(m: MetricAnalysis, logY: boolean): ChartPoint[] {
	return m.models
		.filter((p) => p.inTrend && p.x !== null && p.mean !== null)
		.sort((a, b) => a.x! - b.x!)
		.map((p) => {
			const se = p.se;
			const floor = (v: number) => (logY ? Math.max(v, p.mean! / 100) : v);
			return {
				model: p.name,
				family: p.family,
				x: p.x!,
				mean: p.mean!,
				lower: se === null ? null : floor(p.mean! - se),
				upper: se === null ? null : p.mean! + se,
			};
		});
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

/** The chart of one metric against size: a line per family, SE bars, model names, dashed chance line. */
// biome-ignore lint/suspicious/noExplicitAny: a Vega-Lite spec is plain JSON; its full type is not needed here.
export function buildChartSpec(m: MetricAnalysis, options: ChartOptions = {}): Record<string, any> {
	const info = metricInfo[m.metric];
	const positive = m.models.every((p) => p.mean === null || p.mean > 0);
	const logY = info.logScale && positive;
	const points = chartPoints(m, logY);
	const font = options.font ?? chartFont;
	const yTitle = `${m.inverted ? `Inverted ${info.label.toLowerCase()}` : info.label}${info.unit ? ` (${info.unit})` : ""}`;
	const x = {
		field: "x",
		type: "quantitative",
		scale: { type: "log", nice: false, padding: 24 },
		axis: {
			title: xAxisLabel[options.xAxis ?? "params"],
			// SI prefixes, with B (billion) for G as papers write model sizes.
			// Only 1, 2 and 5 × 10^k are labelled, so the log axis never crowds.
			labelExpr:
				"test(/^[125][^0-9]*$|^[125]0+[^0-9]*$/, format(datum.value, '~s')) ? replace(format(datum.value, '~s'), 'G', 'B') : ''",
			grid: true,
			tickCount: 6,
		},
	};
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
	const families = [...new Set(points.map((p) => p.family))];
	const color = {
		field: "family",
		type: "nominal",
		legend: families.length > 1 ? { title: "Family", orient: "bottom" } : null,
		scale: { range: ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8", "#555555"] },
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
			encoding: { x, y, color, detail: { field: "family" }, order: { field: "x" } },
		},
		{
			name: "points",
			mark: { type: "point", filled: true, size: 70, opacity: 1 },
			encoding: {
				x,
				y,
				color,
				tooltip: [
					{ field: "model", title: "Model" },
					{ field: "family", title: "Family" },
					{ field: "x", title: xAxisLabel[options.xAxis ?? "params"], format: ".3~s" },
					{ field: "mean", title: info.label, format: ".4~f" },
				],
			},
		},
		{
			name: "labels",
			mark: { type: "text", dy: -12, fontSize: 10, color: "#333" },
			encoding: { x, y, text: { field: "model" } },
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
