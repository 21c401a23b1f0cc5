/** @module The one refusal of reasoning controls for a model the ladder marks as not reasoning (`reasoning: false`). */
import { BackendError, type ChatRequest } from "./types.js";

/** Throws when `request` asks for a budget or a level; "reasoning off" is fine (nothing is sent for it). */
export function refuseReasoning(model: string, request: ChatRequest): void {
	const reasoning = request.reasoning;
	const asked =
		reasoning?.effort !== undefined
			? `reasoning level "${reasoning.effort}"`
			: reasoning?.budgetTokens !== undefined && reasoning.budgetTokens > 0
				? `reasoning budget of ${reasoning.budgetTokens} tokens`
				: undefined;
	if (asked === undefined) return;
	throw new BackendError(
		`${model}: the ladder marks this model as not reasoning (reasoning: false), so a ${asked} cannot be sent`,
		"unsupported",
		"use --budgets 0 (or no --budgets) for it, or drop `reasoning: false` from its ladder entry if it does reason",
	);
}
