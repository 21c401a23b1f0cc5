/**
 * @module Hides the private ladder's sizes from an analysis already computed on them: each
 * condition's x becomes its rank by size (1 = smallest), and every sentence that would place a
 * model at a size is rewritten to name the models only ("from private-1 to private-n"). The
 * verdicts, slopes' p-values and Spearman's ρ stay those of the real sizes.
 */
import { metricInfo } from "../analysis/metric.js";
import { verdictLabel } from "../analysis/trend.js";
import type { MetricAnalysis, ModelPoint, RunAnalysis } from "../analysis/types.js";
import type { Coordinates } from "../run/conditions.js";

function pValue(p: number): string {
	return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

function valueText(metric: MetricAnalysis["metric"], v: number): string {
	return metric === "correct" ? `${(v * 100).toFixed(1)}%` : Number(v.toPrecision(3)).toString();
}

/** Ranks of the placed conditions by size: equal sizes share a rank, 1 is the smallest. */
function ranksOf(models: readonly ModelPoint[]): Map<number, number> {
	const sizes = [...new Set(models.map((p) => p.x).filter((x): x is number => x !== null))].sort(
		(a, b) => a - b,
	);
	return new Map(sizes.map((x, i) => [x, i + 1]));
}

/** The trend in words without the slope's size per decade or a turning point, which would place the models. */
export function rankStatement(m: MetricAnalysis): string {
	const t = m.trend;
	const info = metricInfo[m.metric];
	const what = m.inverted ? `inverted ${info.label.toLowerCase()}` : info.label.toLowerCase();
	const placed = m.models
		.filter((p) => p.inTrend && p.x !== null && p.mean !== null)
		.sort((a, b) => a.x! - b.x!);
	const parts = [`${verdictLabel[t.verdict]}, judged on the models' real sizes, which are not shown.`];
	if (placed.length >= 2) {
		const first = placed[0]!;
		const last = placed.at(-1)!;
		parts.push(
			`${info.label}${m.inverted ? " (inverted)" : ""} went from ${valueText(m.metric, first.mean!)} (${first.name}) to ${valueText(m.metric, last.mean!)} (${last.name}); ${info.worseSign > 0 ? "lower" : "higher"} ${what} is better.`,
		);
	}
	if (t.slope?.p !== null && t.slope?.p !== undefined)
		parts.push(`Slope against size: ${pValue(t.slope.p)}.`);
	if (t.monotonicity === "strictly-inverse")
		parts.push(`Every step up the ladder is worse (strictly monotonic over ${t.n} models).`);
	if (t.monotonicity === "strictly-positive")
		parts.push(`Every step up the ladder is better (strictly monotonic over ${t.n} models).`);
	if (t.spearman && Number.isFinite(t.spearman.rho))
		parts.push(`Spearman ρ = ${t.spearman.rho.toFixed(2)} (${pValue(t.spearman.p)}).`);
	return parts.join(" ");
}

function withoutSizes(coords: Coordinates): Coordinates {
	const { parameters: _p, nonEmbeddingParameters: _n, ...rest } = coords;
	return rest;
}

function rankMetric(m: MetricAnalysis): MetricAnalysis {
	const ranks = ranksOf(m.models);
	const statement = rankStatement(m);
	return {
		...m,
		models: m.models.map((p) => ({
			...p,
			x: p.x === null ? null : ranks.get(p.x)!,
			coords: withoutSizes(p.coords),
		})),
		trend: {
			...m.trend,
			statement,
			quadratic: m.trend.quadratic ? { ...m.trend.quadratic, turningX: null } : null,
		},
		families: m.families.map((f) => ({ ...f, trend: { ...f.trend, statement: "" } })),
		along: { ...m.along, statement },
		// A group's label may be a size ("3.3B parameters"); its position in the list is enough.
		groups: m.groups.map((g, i) => ({
			...g,
			label: `group ${i + 1}`,
			values: {},
			trend: { ...g.trend, statement: "" },
		})),
		// An interaction is estimated per decade of size, which would give the spread of the sizes away.
		interaction: null,
	};
}

/** The analysis with ranks in place of the sizes, for people who may not see the sizes. */
export function rankSizes(analysis: RunAnalysis): RunAnalysis {
	const metrics = analysis.metrics.map(rankMetric);
	const primary = metrics[0]!;
	return {
		...analysis,
		metrics,
		// Ranks are not a size: the changes between the ends name conditions, never sizes.
		rubric: {
			...analysis.rubric,
			strength:
				analysis.metrics[0]!.groups.length > 0
					? { ...analysis.rubric.strength, words: primary.along.statement }
					: analysis.rubric.strength,
		},
	};
}
