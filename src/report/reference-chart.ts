/**
 * @module Published points drawn beside a run's on its chart: an extra layer of open diamonds with
 * their standard-error bars, added to a spec from chart-spec.ts, whose y range is widened to hold them.
 */
import type { ReferenceChartPoint } from "../analysis/reference.js";

/** The layer's data: each published point with its bar (clipped above zero on a log axis). */
function rows(points: ReferenceChartPoint[], logY: boolean) {
	return points.map((p) => ({
		model: p.model,
		source: p.source,
		x: p.x,
		mean: p.mean,
		lower: p.se === null ? null : logY ? Math.max(p.mean - p.se, p.mean / 100) : p.mean - p.se,
		upper: p.se === null ? null : p.mean + p.se,
		label: `${p.source}`,
	}));
}

// biome-ignore lint/suspicious/noExplicitAny: a Vega-Lite spec is plain JSON.
type Spec = Record<string, any>;

/** Every y encoding of the spec's layers (nested ones included). */
function yEncodings(layers: Spec[]): Spec[] {
	return layers.flatMap((layer) => [
		...(layer.encoding?.y ? [layer.encoding.y] : []),
		...(Array.isArray(layer.layer) ? yEncodings(layer.layer) : []),
	]);
}

/** Adds the published points to `spec` (in place) and returns it. */
export function addReferenceLayer(spec: Spec, points: ReferenceChartPoint[]): Spec {
	if (points.length === 0 || !Array.isArray(spec.layer)) return spec;
	const ys = yEncodings(spec.layer);
	const scale = ys.find((y) => y.scale)?.scale;
	const logY = scale?.type === "log";
	const data = rows(points, logY);
	if (Array.isArray(scale?.domain)) {
		const values = data.flatMap((d) => [d.mean, d.lower ?? d.mean, d.upper ?? d.mean]);
		const f = logY ? Math.log10 : (v: number) => v;
		const g = logY ? (v: number) => 10 ** v : (v: number) => v;
		const [lo, hi] = scale.domain.map(f);
		const low = Math.min(lo, ...values.map(f));
		const high = Math.max(hi, ...values.map(f));
		const pad = (high - low) * 0.04;
		const domain = [g(low < lo ? low - pad : lo), g(high > hi ? high + pad : hi)];
		for (const y of ys) if (Array.isArray(y.scale?.domain)) y.scale.domain = domain;
	}
	const x = spec.layer.find((l: Spec) => l.encoding?.x)?.encoding.x ?? { field: "x", type: "quantitative" };
	const y = { field: "mean", type: "quantitative", ...(scale && { scale }) };
	spec.layer.push({
		name: "published",
		data: { values: data },
		layer: [
			{
				transform: [{ filter: "datum.lower !== null" }],
				mark: { type: "rule", strokeWidth: 1, color: "#444", strokeDash: [2, 2] },
				encoding: { x, y: { ...y, field: "lower" }, y2: { field: "upper" } },
			},
			{
				mark: { type: "point", shape: "diamond", filled: false, size: 90, strokeWidth: 1.6, color: "#222" },
				encoding: {
					x,
					y,
					tooltip: [
						{ field: "model", title: "Model" },
						{ field: "source", title: "Published in" },
						{ field: "mean", title: "Published", format: ".4~f" },
					],
				},
			},
		],
	});
	return spec;
}
