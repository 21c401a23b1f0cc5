/**
 * @module Sums generation token usage (a backend's counters, a condition's totals in run.json),
 * keeping unknown counts unknown: a total some answers lacked is null, with how many lacked it.
 */
import type { BackendCounters, GenerationCounters, TokenUsage, UsageTotals } from "./types.js";

/** Totals of no generation yet. */
export function emptyUsageTotals(): UsageTotals {
	return {
		inputTokens: 0,
		outputTokens: 0,
		reasoningTokens: 0,
		missing: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
		reasoningTokensDerived: 0,
		reasoningTokensEstimated: 0,
	};
}

/** Counters of no work yet. */
export function emptyGenerationCounters(): GenerationCounters {
	return { requests: 0, ...emptyUsageTotals() };
}

/**
 * Adds one generation's usage to `totals`: a count it lacks (null) makes that total null for good.
 * Absent reasoning tokens (a request that does not reason, such as a raw completion) add 0.
 */
export function addToTotals(totals: UsageTotals, usage: TokenUsage): void {
	for (const key of ["inputTokens", "outputTokens", "reasoningTokens"] as const) {
		// No reasoning count at all (a raw completion, not a reasoning request) adds 0; null is unknown.
		const value = key === "reasoningTokens" && usage[key] === undefined ? 0 : usage[key];
		if (typeof value === "number" && Number.isFinite(value)) {
			if (totals[key] !== null) totals[key] += value;
		} else {
			totals[key] = null;
			totals.missing[key]++;
		}
	}
	if (typeof usage.reasoningTokens === "number") {
		if (usage.reasoningTokensFrom === "derived") totals.reasoningTokensDerived++;
		if (usage.reasoningTokensFrom === "estimated") totals.reasoningTokensEstimated++;
	}
}

/** Adds one request's usage to `counters.generation` (creating it on first use). */
export function addUsage(counters: BackendCounters, usage: TokenUsage): void {
	counters.generation ??= emptyGenerationCounters();
	counters.generation.requests++;
	addToTotals(counters.generation, usage);
}

/** The usage of two requests made for one answer (reasoning, then the answer): unknown if either is. */
export function combineUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
	const sum = (x: number | null | undefined, y: number | null | undefined) =>
		typeof x === "number" && typeof y === "number" ? x + y : null;
	const out: TokenUsage = {
		inputTokens: sum(a.inputTokens, b.inputTokens),
		outputTokens: sum(a.outputTokens, b.outputTokens),
	};
	// Absent on both: nobody spoke of reasoning; absent on one only: that request did not reason.
	if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined)
		out.reasoningTokens = sum(
			a.reasoningTokens === undefined ? 0 : a.reasoningTokens,
			b.reasoningTokens === undefined ? 0 : b.reasoningTokens,
		);
	return out;
}
