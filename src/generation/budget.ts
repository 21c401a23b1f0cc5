/**
 * @module The reasoning budget: parsing `--budgets`, and the one mechanism each kind of backend
 * gets. Where invscale writes the text itself (a completer), the budget is forced (s1, Muennighoff
 * et al. 2025): reasoning stops at the end-of-thinking marker or after B tokens. Where only a chat
 * API is reachable, its own control is used: Anthropic `budget_tokens`, OpenAI `reasoning_effort`
 * levels (an ordinal axis), vLLM `thinking_token_budget`.
 */
import type { Backend, BackendInfo, ChatGenerator, ChatRequest, TextCompleter } from "../backends/types.js";
import type { ConditionSettings } from "../run/conditions.js";

/** OpenAI's `reasoning_effort` levels; a level's place in this list is its budget coordinate. */
export const effortLevels = ["none", "minimal", "low", "medium", "high"] as const;
export type EffortLevel = (typeof effortLevels)[number];

/** A reasoning budget: tokens, or a named effort level with its ordinal as `budget`. */
export type BudgetSetting = Required<Pick<ConditionSettings, "budget">> &
	Pick<ConditionSettings, "budgetLabel">;

/** A `--budgets` value that cannot be read. */
export class BudgetError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = "BudgetError";
	}
}

/** `0,16,64` → token budgets; `low,medium,high` → effort levels. One kind per list, no repeats. */
export function parseBudgets(text: string): BudgetSetting[] {
	const items = text
		.split(",")
		.map((s) => s.trim())
		.filter(Boolean);
	if (items.length === 0)
		throw new BudgetError(
			"--budgets is empty",
			"give token budgets (0,16,64) or effort levels (low,medium,high)",
		);
	const settings = items.map((item): BudgetSetting => {
		if (/^\d+$/.test(item)) return { budget: Number(item) };
		const level = effortLevels.indexOf(item as EffortLevel);
		if (level >= 0) return { budget: level, budgetLabel: item };
		throw new BudgetError(
			`--budgets: ${JSON.stringify(item)} is neither a whole number of tokens nor an effort level`,
			`use token counts (0,16,64) or levels among ${effortLevels.join(", ")}`,
		);
	});
	const labelled = settings.filter((s) => s.budgetLabel !== undefined).length;
	if (labelled > 0 && labelled < settings.length)
		throw new BudgetError(
			"--budgets mixes token counts and effort levels",
			"one axis at a time: either 0,1024,4096 or low,medium,high",
		);
	const seen = new Set<number>();
	for (const s of settings) {
		if (seen.has(s.budget))
			throw new BudgetError(`--budgets lists ${s.budgetLabel ?? s.budget} twice`, "list each budget once");
		seen.add(s.budget);
	}
	return settings.sort((a, b) => a.budget - b.budget);
}

/** Markers of budget forcing; defaults fit Qwen3 and DeepSeek-R1 (`<think>` … `</think>`). */
export interface ThinkingMarkers {
	/** Written after the chat prompt to open the reasoning. */
	open: string;
	/** Written after the reasoning to close it; its text without surrounding space is the stop string. */
	close: string;
	/** Written after the closed reasoning, right before the answer (and before each scored class). */
	answerCue: string;
}

export const defaultMarkers: ThinkingMarkers = {
	open: "<think>\n",
	close: "\n</think>\n\n",
	answerCue: "Answer:",
};

/** How a backend spends a budget. */
export type Mechanism =
	| { kind: "forcing"; completer: TextCompleter }
	| {
			kind: "native";
			chat: ChatGenerator;
			/** "none": no reasoning control is sent (a plain request). */
			control: "budget_tokens" | "reasoning_effort" | "thinking_token_budget" | "none";
	  };

export type MechanismChoice = "auto" | "forcing" | "native";

/**
 * The mechanism for one budget on one backend: forcing where the backend continues text (exact
 * budgets on any open model) and the budget is a token count; the API's control otherwise.
 * `setting` undefined is a plain request (a run without --budgets): no budget, no control sent.
 */
export function chooseMechanism(
	backend: Backend,
	setting: BudgetSetting | undefined,
	choice: MechanismChoice = "auto",
): Mechanism {
	const name = backend.info.name;
	const level = setting?.budgetLabel !== undefined;
	if (backend.info.reasoning === false && setting !== undefined && (level || setting.budget > 0)) {
		throw new BudgetError(
			`${name}: the ladder marks this model as not reasoning (reasoning: false), so it takes no ${level ? "reasoning level" : "reasoning budget above 0"}`,
			"use --budgets 0 (or no --budgets) for it, or drop `reasoning: false` from its ladder entry if it does reason",
		);
	}
	if (choice !== "native" && !level && backend.completer)
		return { kind: "forcing", completer: backend.completer };
	if (choice === "forcing") {
		throw new BudgetError(
			level
				? `${name}: an effort level cannot be forced; forcing needs token budgets`
				: `${name}: budget forcing needs a backend that continues text (llama.cpp or /v1/completions)`,
			level ? "give token budgets (0,16,64)" : "drop --budget-mechanism forcing to use the API's own control",
		);
	}
	if (!backend.chat) {
		throw new BudgetError(
			`${name} can neither continue text nor chat, so it cannot generate`,
			"use a GGUF file, a /v1/completions or /v1/chat/completions server, or the Anthropic API",
		);
	}
	return { kind: "native", chat: backend.chat, control: nativeControl(backend.info, setting) };
}

function nativeControl(
	info: BackendInfo,
	setting: BudgetSetting | undefined,
): Extract<Mechanism, { kind: "native" }>["control"] {
	if (setting === undefined || (info.reasoning === false && setting.budget === 0 && !setting.budgetLabel))
		return "none";
	if (setting.budgetLabel !== undefined) {
		if (info.kind === "anthropic")
			throw new BudgetError(
				`${info.name}: the Anthropic API takes a token budget, not an effort level`,
				"give token budgets, e.g. --budgets 0,1024,4096",
			);
		return "reasoning_effort";
	}
	return info.kind === "anthropic" ? "budget_tokens" : "thinking_token_budget";
}

/** Anthropic's smallest thinking budget; budget 0 turns thinking off instead. */
export const anthropicMinimumBudget = 1024;

/**
 * The `reasoning` field of a chat request for a budget: off at 0, else the API's own control;
 * undefined (nothing sent) for a plain request or a model that does not reason.
 */
export function nativeReasoning(
	mechanism: Extract<Mechanism, { kind: "native" }>,
	setting: BudgetSetting | undefined,
): ChatRequest["reasoning"] {
	if (mechanism.control === "none" || setting === undefined) return undefined;
	// A level is sent as it is, "none" included (the API's own way to skip reasoning).
	if (setting.budgetLabel !== undefined) return { effort: setting.budgetLabel };
	if (setting.budget === 0) return { disabled: true };
	if (mechanism.control === "budget_tokens" && setting.budget < anthropicMinimumBudget) {
		throw new BudgetError(
			`a thinking budget of ${setting.budget} tokens is below the Anthropic API's minimum of ${anthropicMinimumBudget}`,
			`use 0 (no thinking) or budgets of ${anthropicMinimumBudget} tokens or more`,
		);
	}
	return { budgetTokens: setting.budget };
}

/** The closing marker after a reasoning text, without doubling space the reasoning already ends with. */
export function closeAfter(reasoning: string, close: string): string {
	const lead = /^\s*/.exec(close)?.[0] ?? "";
	for (let n = lead.length; n > 0; n--) if (reasoning.endsWith(lead.slice(0, n))) return close.slice(n);
	return close;
}
