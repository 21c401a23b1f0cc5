/** @module The shapes of generation: its options, one generated answer's record in `details/`, and its row. */
import type { TokenUsage } from "../backends/types.js";
import type { BudgetSetting, MechanismChoice, ThinkingMarkers } from "./budget.js";
import type { OptionsMode } from "./question.js";

/** How a run generates: budgets, sampling, how questions are asked and how budgets are forced. */
export interface GenerationOptions {
	/**
	 * One condition per budget and model; budget 0 is no reasoning. Empty: one plain condition per
	 * model, no budget and no reasoning control sent (chat models run without --budgets).
	 */
	budgets: BudgetSetting[];
	/** Answers drawn per example and budget. Default 1. */
	samples?: number;
	/** 0 (default) is greedy decoding. */
	temperature?: number;
	/** Sample s is drawn with seed `seed + s`. Default 0. */
	seed?: number;
	/** Tokens allowed for the final answer, after the reasoning. Default 32. */
	maxAnswerTokens?: number;
	/** Effort levels: the most tokens reasoning and answer together may use. Default 16384. */
	maxTokens?: number;
	markers?: ThinkingMarkers;
	mechanism?: MechanismChoice;
	/** How a classification example's classes are offered. Default "letters". */
	options?: OptionsMode;
	system?: string;
}

/** Which mechanism spent the budget, as recorded per answer; "none": no reasoning control was sent. */
export type MechanismName =
	| "forcing"
	| "budget_tokens"
	| "reasoning_effort"
	| "thinking_token_budget"
	| "none";

/**
 * One generated answer: a line of `details/<condition>.jsonl` (one per example and sample, in that
 * order). Everything a row is computed from, plus what a person reads to see why.
 */
export interface GenerationDetails {
	index: number;
	sample: number;
	/** The seed this sample was drawn with (absent for greedy decoding). */
	seed?: number;
	/** The condition's budget; absent for a plain request (a run without --budgets). */
	budget?: number;
	budgetLabel?: string;
	mechanism: MechanismName;
	reasoning: string;
	/** Reasoning tokens actually used (the completer's count, or what the API reported); null: unknown. */
	reasoningTokens?: number | null;
	/** How reasoningTokens was found where the API does not report it (see TokenUsage); absent: reported or counted. */
	reasoningTokensFrom?: "derived" | "estimated";
	/** Forcing: the ids of the reasoning tokens, as generated. */
	reasoningIds?: number[];
	/** Forcing: the reasoning ended at the end-of-thinking marker, before the budget ran out. */
	stoppedEarly?: boolean;
	/** The final answer as generated, without the reasoning. */
	answer: string;
	/** What was read from the final answer (a letter, a class's text, a number); absent when unreadable. */
	extracted?: string;
	/** Classification: the class the answer names, -1 when none. */
	predicted?: number;
	correct: 0 | 1;
	/** Forcing: the whole text the answer followed (chat prompt, reasoning, markers, answer cue). */
	text?: string;
	usage: TokenUsage;
	/** Where log-probs are read: ℓ_k of each class's scored text right after `text`. */
	classLogprobs?: number[];
	classTokens?: number[];
}

/** The row of `<condition>.csv` for one example: means over its samples. */
export interface GenerationRow {
	index: number;
	/** Share of samples answered right. */
	correct: number;
	/** Share of samples whose answer could be read. */
	parsed: number;
	/** Mean reasoning tokens used (empty when the backend did not say). */
	reasoning_tokens: number | "";
	/** What the first sample answered: the class's text (exact answers: the answer read); "" when unreadable. */
	predicted: string;
	/** Where log-probs were read: the prize's loss after the reasoning, mean over samples. */
	loss?: number;
	/** Where log-probs were read: whether the most probable class after the reasoning is right, mean over samples. */
	logprob_correct?: number;
}

export const generationColumns = ["index", "correct", "parsed", "reasoning_tokens", "predicted"] as const;
export const lossColumns = ["loss", "logprob_correct"] as const;
