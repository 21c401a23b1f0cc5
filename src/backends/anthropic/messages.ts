/**
 * @module The Anthropic Messages API (`POST /v1/messages`): request bodies and answers. A reasoning
 * budget is sent as `thinking: {type: "enabled", budget_tokens}` (at least 1024 tokens, and below
 * `max_tokens`, which counts thinking too); budget 0 or "reasoning off" leaves `thinking` out.
 * With thinking on no temperature is sent, since the API allows none but its own. System messages
 * go into the top-level `system` field. Thinking blocks (`thinking`, `redacted_thinking`) are the
 * reasoning, `text` blocks the answer. The API has no seed, and its usage does not count thinking
 * tokens apart from the answer's (`output_tokens` holds both): they are derived in token-count.ts.
 */
import type { Check } from "../http/client.js";
import { refuseReasoning } from "../reasoning.js";
import { BackendError, type ChatRequest, type ChatResult } from "../types.js";

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

/** The `anthropic-version` header this client speaks. */
export const ANTHROPIC_VERSION = "2023-06-01";

/**
 * The JSON body of one request. Throws BackendError for budgets the API cannot take, and for any
 * reasoning asked of a model the ladder marks as not reasoning (`reasons` false).
 */
export function messagesBody(model: string, request: ChatRequest, reasons = true): Record<string, unknown> {
	const system = request.messages.filter((m) => m.role === "system").map((m) => m.content);
	const body: Record<string, unknown> = {
		model,
		max_tokens: request.maxTokens,
		messages: request.messages
			.filter((m) => m.role !== "system")
			.map((m) => ({ role: m.role, content: m.content })),
	};
	if (system.length > 0) body.system = system.join("\n\n");
	if (request.stop && request.stop.length > 0) body.stop_sequences = request.stop;
	const reasoning = request.reasoning;
	if (!reasons) refuseReasoning(model, request);
	if (reasoning?.effort !== undefined) {
		throw new BackendError(
			"the Anthropic API takes a thinking budget in tokens, not a reasoning level",
			"unsupported",
			"give budgets in tokens (e.g. 0, 1024, 4096, 16384)",
		);
	}
	const budget = reasoning?.disabled ? 0 : (reasoning?.budgetTokens ?? 0);
	if (budget > 0) {
		if (budget < MIN_THINKING_BUDGET) {
			throw new BackendError(
				`a thinking budget of ${budget} tokens is below Anthropic's smallest, ${MIN_THINKING_BUDGET}`,
				"unsupported",
				`use 0 (no thinking) or a budget of at least ${MIN_THINKING_BUDGET} tokens`,
			);
		}
		if (request.maxTokens <= budget) {
			throw new BackendError(
				`max tokens (${request.maxTokens}) must exceed the thinking budget (${budget}): Anthropic counts thinking in max_tokens`,
				"unsupported",
				"raise the token limit above the budget, leaving room for the answer",
			);
		}
		body.thinking = { type: "enabled", budget_tokens: budget };
	} else {
		body.temperature = request.temperature;
	}
	return body;
}

/** Reads one Messages answer; an answer without a content list is another format, refused at once. */
export function readMessagesAnswer(body: unknown): Check<ChatResult> {
	const answer = body as {
		content?: unknown;
		stop_reason?: unknown;
		usage?: { input_tokens?: unknown; output_tokens?: unknown };
	} | null;
	if (!answer || !Array.isArray(answer.content)) {
		return {
			kind: "fail",
			error: new BackendError(
				"the server answers in another format: the Messages answer has no content list",
				"server",
			),
		};
	}
	const text: string[] = [];
	const thinking: string[] = [];
	let redacted = 0;
	for (const block of answer.content as Array<Record<string, unknown>>) {
		if (block?.type === "text" && typeof block.text === "string") text.push(block.text);
		else if (block?.type === "thinking" && typeof block.thinking === "string") thinking.push(block.thinking);
		else if (block?.type === "redacted_thinking") redacted++;
	}
	const usage = answer.usage ?? {};
	const count = (value: unknown) =>
		typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
	const thought = thinking.length > 0 || redacted > 0;
	const result: ChatResult = {
		text: text.join(""),
		finishReason: answer.stop_reason === "max_tokens" ? "length" : "stop",
		usage: {
			// A count the answer does not give is unknown (null), never 0.
			inputTokens: count(usage.input_tokens),
			outputTokens: count(usage.output_tokens),
			// No thinking block: nothing was spent thinking. Otherwise unknown until derived (token-count.ts).
			reasoningTokens: thought ? null : 0,
			...(thought ? {} : { reasoningTokensFrom: "derived" as const }),
		},
	};
	// Redacted thinking is encrypted: its presence is recorded, its text is not readable.
	if (thought) {
		result.reasoning = [...thinking, ...Array<string>(redacted).fill("[redacted thinking]")].join("\n\n");
	}
	return { kind: "ok", value: result };
}
