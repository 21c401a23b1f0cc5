/**
 * @module `analyzeAlong`: the trends of one metric along one axis, for runs and summary tables
 * alike — the pooled trend, one per family, one per group of the other varying coordinates
 * (one line per size when x is training tokens), the verdict naming the axis and the groups, and
 * the flags about placing conditions on the axis.
 */
import type { PlottedMetric } from "../tasks/types.js";
import type { AxisSpec } from "./axis.js";
import type { ReplicateMeans } from "./bootstrap.js";
import { familyTrends } from "./families.js";
import { autoGroupBy, type GroupDimension, groupMembers } from "./groups.js";
import { analyzeTrend, type TrendResult, type VerdictKind, verdictLabel } from "./trend.js";
import type { AlongView, Flag, GroupTrend, MetricAnalysis, ModelPoint } from "./types.js";

export interface AlongInput {
	metric: PlottedMetric;
	/** Every condition, with x and inTrend already decided; `group` is filled in here. */
	points: ModelPoint[];
	/** The mean each point enters the trend with (by point index; only in-trend points are read). */
	means: readonly number[];
	replicates: ReplicateMeans | null;
	/** The replicate column of each point (by point index; only in-trend points are read). */
	columns: readonly number[];
	flatBand: number;
	axis: AxisSpec;
	/** Dimensions to draw one line per value of; default: those crossed with the axis (see groups.ts). */
	groupBy?: GroupDimension[];
	level: number;
	seed: number;
	/** Monte Carlo permutations of Spearman's test; default that of spearmanTest. */
	permutations?: number;
}

export type AlongResult = Pick<MetricAnalysis, "trend" | "families" | "generality" | "groups" | "along"> & {
	flags: Flag[];
};

const groupNouns: Record<GroupDimension, string> = {
	size: "sizes",
	training: "checkpoints",
	shots: "shot counts",
	budget: "budgets",
	model: "models",
};
const upWords: Record<GroupDimension, [string, string]> = {
	size: ["and larger", "and smaller"],
	training: ["and later", "and earlier"],
	shots: ["and more", "and fewer"],
	budget: ["and larger", "and smaller"],
	model: ["", ""],
};

/** Which groups are inverse, in words: "pythia-1b and larger", "all 8 sizes", or a list. */
export function inverseGroupsWords(groups: readonly GroupTrend[], by: readonly GroupDimension[]): string {
	const inverse = groups.map((g, i) => (g.trend.verdict === "inverse" ? i : -1)).filter((i) => i >= 0);
	const measured = groups.filter((g) => g.trend.verdict !== "insufficient").length;
	const noun = by.length === 1 ? groupNouns[by[0]] : "groups";
	const oneFamily = new Set(groups.map((g) => g.family)).size === 1;
	const k = inverse.length;
	if (k === groups.length) return k === 2 ? `both ${noun}` : `all ${k} ${noun}`;
	const contiguous = inverse.every((v, j) => j === 0 || v === inverse[j - 1] + 1);
	// Models of unknown size have no order to describe as a range.
	const words = by.length === 1 && oneFamily && by[0] !== "model" ? upWords[by[0]] : null;
	let who = inverse.map((i) => groups[i].label).join(", ");
	if (words && k >= 2 && contiguous && inverse[k - 1] === groups.length - 1)
		who = `${groups[inverse[0]].label} ${words[0]}`;
	else if (words && k >= 2 && contiguous && inverse[0] === 0)
		who = `${groups[inverse[k - 1]].label} ${words[1]}`;
	return `${who} (${k} of ${measured} ${noun})`;
}

/** The verdict of a grouped analysis in one sentence, naming the axis and the groups. */
export function alongStatement(
	axis: AxisSpec,
	groups: readonly GroupTrend[],
	by: readonly GroupDimension[],
): string {
	const noun = by.length === 1 ? groupNouns[by[0]] : "groups";
	const counts = new Map<VerdictKind, number>();
	for (const g of groups) counts.set(g.trend.verdict, (counts.get(g.trend.verdict) ?? 0) + 1);
	const others = [...counts]
		.filter(([v]) => v !== "inverse")
		.map(([v, n]) => `${n} ${verdictLabel[v].toLowerCase()}`)
		.join(", ");
	const k = counts.get("inverse") ?? 0;
	if (k === 0)
		return `Not inverse in ${axis.noun} for any of the ${groups.length} ${noun}${others ? ` (${others})` : ""}.`;
	return `Inverse in ${axis.noun} for ${inverseGroupsWords(groups, by)}${others ? `; the others: ${others}` : ""}.`;
}

export function analyzeAlong(input: AlongInput): AlongResult {
	const { axis, points, metric } = input;
	const flags: Flag[] = [];
	const inTrend = points.map((p, i) => (p.inTrend ? i : -1)).filter((i) => i >= 0);
	const trendOf = (subset: number[]): TrendResult =>
		analyzeTrend({
			metric,
			names: subset.map((i) => points[i].name),
			x: subset.map((i) => points[i].x!),
			means: subset.map((i) => input.means[i]),
			replicates: input.replicates,
			columns: subset.map((i) => input.columns[i]),
			flatBand: input.flatBand,
			level: input.level,
			seed: input.seed,
			permutations: input.permutations,
			xName: axis.noun,
			scale: axis.scale,
			unit: axis.unit,
			per: axis.scale === "log10" ? `decade of ${axis.noun}` : axis.unit,
			more: axis.more,
			placedBy: axis.dimension === "size" ? "size" : axis.noun,
		});
	const trend = trendOf(inTrend);
	const { families, generality } = familyTrends(inTrend, (i) => points[i].family, trend, trendOf);

	const members = inTrend.map((i) => ({
		family: points[i].family,
		coords: points[i].coords,
		x: points[i].x!,
		model: points[i].model,
	}));
	const by = input.groupBy ?? autoGroupBy(axis, members);
	let groups: GroupTrend[] = [];
	if (by.length > 0) {
		groups = groupMembers(members, by).map((g) => {
			const subset = g.members.map((k) => inTrend[k]);
			for (const i of subset) points[i].group = g.label;
			return { label: g.label, family: g.family, values: g.values, trend: trendOf(subset) };
		});
	}
	const along: AlongView = {
		axis: axis.flag,
		label: axis.label,
		scale: axis.scale,
		unit: axis.unit,
		groupBy: by,
		statement: groups.length > 0 ? alongStatement(axis, groups, by) : trend.statement,
	};

	const unplaced = points.filter((p) => p.status !== "failed" && p.x === null);
	if (unplaced.length > 0) {
		flags.push({
			code: "size-unknown",
			message: `${unplaced.map((p) => `${p.name} (${p.excluded})`).join(", ")}: not placed on the ${axis.noun} axis.`,
		});
	}
	const sp = trend.spearman;
	if (sp && sp.minP >= 0.05) {
		flags.push({
			code: "spearman-floor",
			message: `With ${sp.n} conditions even a perfectly monotone trend has Spearman p ≥ ${sp.minP.toFixed(3)}: the rank test cannot reach 0.05; the verdict rests on the bootstrap of the slope.`,
		});
	}
	return { trend, families, generality, groups, along, flags };
}
