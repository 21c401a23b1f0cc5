/**
 * @module The weighted ranking: a judge's score of a submission is the weighted mean of their rubric
 * scores, Σ wᵢ·sᵢ / Σ wᵢ; a submission's score is the mean over its judges. Unjudged submissions come
 * last, without a rank. Equal scores share a rank (1, 2, 2, 4).
 */
import type { Criterion } from "./contest-file.js";
import type { Judgement } from "./contest-store.js";

export interface Ranked {
	submissionId: string;
	/** Mean over judges of each judge's weighted score; null when nobody has judged it. */
	score: number | null;
	judges: number;
	/** Mean score per criterion over judges. */
	criteria: Record<string, number>;
	rank: number | null;
}

/** A judge's weighted score; throws when a criterion is missing (a judgement is saved whole). */
export function weightedScore(criteria: readonly Criterion[], scores: Judgement["scores"]): number {
	let sum = 0;
	let weights = 0;
	for (const c of criteria) {
		const s = scores[c.id];
		if (!s) throw new Error(`the judgement has no score for ${c.id}`);
		sum += c.weight * s.score;
		weights += c.weight;
	}
	return sum / weights;
}

export function rank(
	criteria: readonly Criterion[],
	entries: { submissionId: string; judgements: readonly Judgement[] }[],
): Ranked[] {
	const rows: Ranked[] = entries.map(({ submissionId, judgements }) => {
		const per = judgements.map((j) => weightedScore(criteria, j.scores));
		const byCriterion: Record<string, number> = {};
		if (judgements.length > 0)
			for (const c of criteria)
				byCriterion[c.id] = judgements.reduce((s, j) => s + j.scores[c.id]!.score, 0) / judgements.length;
		return {
			submissionId,
			score: per.length > 0 ? per.reduce((a, b) => a + b, 0) / per.length : null,
			judges: per.length,
			criteria: byCriterion,
			rank: null,
		};
	});
	rows.sort((a, b) => (b.score ?? Number.NEGATIVE_INFINITY) - (a.score ?? Number.NEGATIVE_INFINITY) || 0);
	let previous: number | null = null;
	let previousRank = 0;
	rows.forEach((row, i) => {
		if (row.score === null) return;
		row.rank = previous !== null && Math.abs(row.score - previous) < 1e-12 ? previousRank : i + 1;
		previous = row.score;
		previousRank = row.rank;
	});
	return rows;
}
