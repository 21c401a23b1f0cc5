/** @module The prize's judging criteria, filled in from an analysis where numbers can speak to them. */
import { verdictLabel } from "./trend.js";
import type { MetricAnalysis, ModelInput, ResolvedOptions, Rubric, RunInput } from "./types.js";

export function rubricOf(input: RunInput, primary: MetricAnalysis, options: ResolvedOptions): Rubric {
	const t = primary.trend;
	const mono =
		t.monotonicity === "strictly-inverse"
			? "clear, strictly monotonic inverse scaling"
			: t.monotonicity === "non-strictly-inverse" && t.verdict === "inverse"
				? "monotonic (not strictly: some steps are ties) inverse scaling"
				: t.spearman &&
						t.verdict === "inverse" &&
						t.spearman.rho * (primary.metric === "correct" ? -1 : 1) >= 0.8
					? "approximately monotonic inverse scaling"
					: t.verdict === "inverse"
						? "an inverse trend that is not monotonic"
						: `no inverse trend (${verdictLabel[t.verdict].toLowerCase()})`;
	const inverseGroups = primary.groups.filter((g) => g.trend.verdict === "inverse").length;
	// With groups (one line per size, say), the strength is how many lines scale inversely.
	const strength =
		primary.groups.length > 0
			? {
					verdict: inverseGroups > 0 ? ("inverse" as const) : t.verdict,
					words: `${primary.along.statement} Pooled over the ${t.n} conditions: ${mono}.`,
				}
			: { verdict: t.verdict, words: `${mono} over ${t.n} model${t.n === 1 ? "" : "s"}.` };

	const g = primary.generality;
	const generality = {
		words: !g
			? "No family has two sized models: generality cannot be judged."
			: primary.families.length === 0
				? `One family (${primary.models.find((p) => p.inTrend)?.family ?? "?"}): run a second family to judge generality.`
				: `${g.inverse} of ${g.families} families show inverse scaling.`,
	};

	const cov = primary.models.map((p) => p.coverage).filter((c): c is number => c !== null);
	const minimum = cov.length > 0 ? Math.min(...cov) : null;
	const coverage = {
		minimum,
		words:
			minimum === null
				? "Not applicable to this task type (no probability mass on classes)."
				: `The classes got at least ${(minimum * 100).toFixed(1)}% of the probability mass for every model${minimum < 0.5 ? ": under 50%, so some models do not treat the task as multiple choice" : ""}.`,
	};

	const n = input.task.examples;
	const size = {
		examples: n,
		words:
			n >= 1000
				? `${n} examples (the prize recommended about 1000).`
				: n >= 300
					? `${n} examples (meets the prize's minimum of 300; about 1000 recommended).`
					: `${n} examples: below the prize's minimum of 300.`,
	};

	const identity = (m: ModelInput) => ({ name: m.name, identity: m.identity, source: m.source });
	const models = input.models.filter((m) => m.status !== "failed").map(identity);
	const reproducibility = {
		sha256: input.task.sha256,
		seed: options.seed,
		replicates: options.replicates,
		models,
		words: `Task data sha256 ${input.task.sha256 ? input.task.sha256.slice(0, 12) : "unknown"}…; bootstrap seed ${options.seed}, ${options.replicates} replicates; ${models.filter((m) => m.identity).length} of ${models.length} models with a recorded identity.`,
	};
	return { strength, generality, coverage, size, reproducibility };
}
