/** @module Per-family trends of a ladder and its generality: the share of families that scale inversely. */
import type { TrendResult } from "./trend.js";
import type { FamilyTrend, MetricAnalysis } from "./types.js";

/**
 * One trend per family when the ladder has several (none otherwise), and generality counted over
 * the families (or the one ladder) with enough models to have a verdict.
 */
export function familyTrends(
	inTrend: readonly number[],
	familyOf: (index: number) => string,
	overall: TrendResult,
	trendOf: (indices: number[]) => TrendResult,
): Pick<MetricAnalysis, "families" | "generality"> {
	const names = [...new Set(inTrend.map(familyOf))];
	const families: FamilyTrend[] =
		names.length > 1
			? names.map((family) => ({ family, trend: trendOf(inTrend.filter((i) => familyOf(i) === family)) }))
			: [];
	const measured = (names.length > 1 ? families : [{ family: names[0], trend: overall }]).filter(
		(f) => f.trend.verdict !== "insufficient",
	);
	const generality =
		measured.length > 0
			? { inverse: measured.filter((f) => f.trend.verdict === "inverse").length, families: measured.length }
			: null;
	return { families, generality };
}
