/** @module Sums generation token usage into a backend's counters (for run.json). */
import type { BackendCounters, GenerationCounters, TokenUsage } from "./types.js";

/** Counters of no work yet. */
export function emptyGenerationCounters(): GenerationCounters {
	return { requests: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

/** Adds one request's usage to `counters.generation` (creating it on first use). */
export function addUsage(counters: BackendCounters, usage: TokenUsage): void {
	counters.generation ??= emptyGenerationCounters();
	counters.generation.requests++;
	counters.generation.inputTokens += usage.inputTokens;
	counters.generation.outputTokens += usage.outputTokens;
	counters.generation.reasoningTokens += usage.reasoningTokens ?? 0;
}
