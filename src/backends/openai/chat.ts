/**
 * @module Chat generation through OpenAI-compatible `/v1/chat/completions`, in the dialects of
 * OPENAI_DIALECTS (the ladder's `dialect:`, by default "openai" on api.openai.com and "vllm"
 * elsewhere); docs/ladders.md has the table:
 * - "openai": `reasoning_effort` and `max_completion_tokens` (what reasoning models take; plain chat
 *   models take it too), no temperature with an effort (reasoning models refuse any but their
 *   own); budgets in tokens and "reasoning off" are refused, since the API has no such controls;
 * - "vllm": `max_tokens`, `reasoning_effort` passed on, a token budget as vLLM's
 *   `thinking_token_budget`, and reasoning off (budget 0) as `chat_template_kwargs:
 *   {enable_thinking: false}` (Qwen3's template switch);
 * - "llama-server" (llama.cpp): `max_tokens`, reasoning off as `chat_template_kwargs:
 *   {enable_thinking: false}`; it has no per-request budget or level, so those are refused.
 * A model the ladder marks `reasoning: false` gets no reasoning field in any dialect (budget 0 is
 * a plain request) and refuses budgets and levels. The answer's reasoning is read from `reasoning`
 * (vLLM) or `reasoning_content` (older vLLM, llama-server); reasoning tokens from
 * `usage.completion_tokens_details.reasoning_tokens`, unknown (null) where the server does not say.
 */
import { OPENAI_DIALECTS, type OpenAIDialect } from "../../ladders/types.js";
import type { Check, HttpClient } from "../http/client.js";
import { refuseReasoning } from "../reasoning.js";
import {
	type BackendCounters,
	BackendError,
	type ChatGenerator,
	type ChatRequest,
	type ChatResult,
	type TokenUsage,
} from "../types.js";
import { addUsage } from "../usage.js";

export type ChatDialect = OpenAIDialect;
export { OPENAI_DIALECTS };

/** The default dialect of a server address: "openai" for OpenAI's own API, "vllm" for every other host. */
export function chatDialectOf(baseUrl: string): ChatDialect {
	try {
		return new URL(baseUrl).hostname === "api.openai.com" ? "openai" : "vllm";
	} catch {
		return "vllm";
	}
}

export class OpenAIChat implements ChatGenerator {
	constructor(
		private readonly client: HttpClient,
		private readonly model: string,
		private readonly dialect: ChatDialect,
		private readonly counters: BackendCounters,
		/** False: the ladder marks the model as not reasoning, so no reasoning control is ever sent. */
		private readonly reasons = true,
	) {}

	async chat(requests: ChatRequest[], signal?: AbortSignal): Promise<ChatResult[]> {
		const bodies = requests.map((request) => chatBody(this.model, this.dialect, request, this.reasons));
		return Promise.all(
			bodies.map(async (body) => {
				this.counters.calls++;
				const result = await this.client.send("chat/completions", readChatAnswer, { body, signal });
				addUsage(this.counters, result.usage);
				return result;
			}),
		);
	}
}

/**
 * The JSON body of one chat request in `dialect`. Throws BackendError for controls it lacks, and
 * for any reasoning asked of a model that does not reason (`reasons` false).
 */
export function chatBody(
	model: string,
	dialect: ChatDialect,
	request: ChatRequest,
	reasons = true,
): Record<string, unknown> {
	const body: Record<string, unknown> = {
		model,
		messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
		temperature: request.temperature,
	};
	body[dialect === "openai" ? "max_completion_tokens" : "max_tokens"] = request.maxTokens;
	if (request.seed !== undefined) body.seed = request.seed;
	if (request.stop && request.stop.length > 0) body.stop = request.stop;
	if (!reasons) {
		// A model without reasoning takes a plain request: "reasoning off" is what it always is.
		refuseReasoning(model, request);
		return body;
	}
	const reasoning = request.reasoning;
	const off = reasoning?.disabled === true || reasoning?.budgetTokens === 0;
	if (dialect === "openai") {
		if (reasoning?.effort !== undefined) {
			body.reasoning_effort = reasoning.effort;
			// Reasoning models refuse any temperature but their own.
			delete body.temperature;
		}
		if (off || reasoning?.budgetTokens !== undefined) {
			throw new BackendError(
				off
					? "OpenAI's chat API cannot turn reasoning off"
					: "OpenAI's chat API takes no reasoning budget in tokens",
				"unsupported",
				'give reasoning levels instead (reasoning_effort: "minimal", "low", "medium", "high"); for a chat model that does not reason, mark it `reasoning: false` in the ladder and use --budgets 0 or no --budgets',
			);
		}
		return body;
	}
	if (
		dialect === "llama-server" &&
		(reasoning?.effort !== undefined || (!off && reasoning?.budgetTokens !== undefined))
	) {
		throw new BackendError(
			`llama-server takes no per-request reasoning ${reasoning?.effort !== undefined ? "level" : "budget in tokens"}; it can only turn reasoning off`,
			"unsupported",
			"use --budgets 0 (reasoning off) here, or run the GGUF file in-process (file: in the ladder) where budgets are forced exactly",
		);
	}
	if (reasoning?.effort !== undefined) body.reasoning_effort = reasoning.effort;
	if (off) body.chat_template_kwargs = { enable_thinking: false };
	else if (reasoning?.budgetTokens !== undefined) body.thinking_token_budget = reasoning.budgetTokens;
	return body;
}

/** Reads one `/v1/chat/completions` answer; a body without a message is another format, refused at once. */
export function readChatAnswer(body: unknown): Check<ChatResult> {
	const choice = (body as { choices?: unknown } | null)?.choices;
	const first = Array.isArray(choice) ? (choice[0] as Record<string, unknown> | undefined) : undefined;
	const message = first?.message as Record<string, unknown> | undefined;
	if (!message || typeof message !== "object") {
		return {
			kind: "fail",
			error: new BackendError(
				"the server answers in another format: the chat answer has no choices[0].message",
				"server",
			),
		};
	}
	const content = typeof message.content === "string" ? message.content : "";
	const reasoningText =
		typeof message.reasoning === "string"
			? message.reasoning
			: typeof message.reasoning_content === "string"
				? message.reasoning_content
				: undefined;
	const result: ChatResult = {
		text: content,
		finishReason: first?.finish_reason === "length" ? "length" : "stop",
		usage: readUsage((body as { usage?: unknown }).usage),
	};
	if (reasoningText !== undefined) result.reasoning = reasoningText;
	return { kind: "ok", value: result };
}

/**
 * OpenAI's `usage` block (`prompt_tokens`, `completion_tokens`, reasoning tokens in its details).
 * A count the answer does not give is null (unknown), never 0. `reasoning`: the request was a chat
 * request, so reasoning tokens are read, and null where not reported (vLLM without
 * `completion_tokens_details`); raw completions leave them out.
 */
export function readUsage(usage: unknown, reasoning = true): TokenUsage {
	const u = (usage ?? {}) as {
		prompt_tokens?: unknown;
		completion_tokens?: unknown;
		completion_tokens_details?: { reasoning_tokens?: unknown } | null;
	};
	const count = (value: unknown) =>
		typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
	const out: TokenUsage = {
		inputTokens: count(u.prompt_tokens),
		outputTokens: count(u.completion_tokens),
	};
	if (reasoning) out.reasoningTokens = count(u.completion_tokens_details?.reasoning_tokens);
	return out;
}
