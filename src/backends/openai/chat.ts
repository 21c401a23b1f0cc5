/**
 * @module Chat generation through OpenAI-compatible `/v1/chat/completions`, in two dialects:
 * - "openai" (api.openai.com): `reasoning_effort` and `max_completion_tokens` (what reasoning
 *   models take; plain chat models take it too), no temperature with an effort (reasoning models
 *   refuse any but their own); budgets in tokens and "reasoning off" are refused, since the API
 *   has no such controls;
 * - "vllm" (any other server): `max_tokens`, `reasoning_effort` passed on, a token budget as vLLM's
 *   `thinking_token_budget`, and reasoning off (budget 0) as `chat_template_kwargs:
 *   {enable_thinking: false}` (Qwen3's template switch).
 * The answer's reasoning is read from vLLM's `reasoning` (older servers: `reasoning_content`);
 * reasoning tokens from `usage.completion_tokens_details.reasoning_tokens`.
 */
import type { Check, HttpClient } from "../http/client.js";
import {
	type BackendCounters,
	BackendError,
	type ChatGenerator,
	type ChatRequest,
	type ChatResult,
	type TokenUsage,
} from "../types.js";
import { addUsage } from "../usage.js";

export type ChatDialect = "openai" | "vllm";

/** "openai" for OpenAI's own API, "vllm" for every other server. */
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
	) {}

	async chat(requests: ChatRequest[], signal?: AbortSignal): Promise<ChatResult[]> {
		const bodies = requests.map((request) => chatBody(this.model, this.dialect, request));
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

/** The JSON body of one chat request in `dialect`. Throws BackendError for controls it lacks. */
export function chatBody(model: string, dialect: ChatDialect, request: ChatRequest): Record<string, unknown> {
	const body: Record<string, unknown> = {
		model,
		messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
		temperature: request.temperature,
	};
	body[dialect === "openai" ? "max_completion_tokens" : "max_tokens"] = request.maxTokens;
	if (request.seed !== undefined) body.seed = request.seed;
	if (request.stop && request.stop.length > 0) body.stop = request.stop;
	const reasoning = request.reasoning;
	if (reasoning?.effort !== undefined) body.reasoning_effort = reasoning.effort;
	const off = reasoning?.disabled === true || reasoning?.budgetTokens === 0;
	if (dialect === "openai") {
		// Reasoning models refuse any temperature but their own.
		if (reasoning?.effort !== undefined) delete body.temperature;
		if (off || reasoning?.budgetTokens !== undefined) {
			throw new BackendError(
				"OpenAI's chat API takes no reasoning budget in tokens and cannot turn reasoning off",
				"unsupported",
				'give reasoning levels instead (reasoning_effort: "minimal", "low", "medium", "high")',
			);
		}
	} else if (off) {
		body.chat_template_kwargs = { enable_thinking: false };
	} else if (reasoning?.budgetTokens !== undefined) {
		body.thinking_token_budget = reasoning.budgetTokens;
	}
	return body;
}

/** Reads one `/v1/chat/completions` answer; a body without a message is retried. */
export function readChatAnswer(body: unknown): Check<ChatResult> {
	const choice = (body as { choices?: unknown } | null)?.choices;
	const first = Array.isArray(choice) ? (choice[0] as Record<string, unknown> | undefined) : undefined;
	const message = first?.message as Record<string, unknown> | undefined;
	if (!message || typeof message !== "object") {
		return { kind: "retry", reason: "the chat answer has no choices[0].message" };
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

/** OpenAI's `usage` block (`prompt_tokens`, `completion_tokens`, reasoning tokens in its details). */
export function readUsage(usage: unknown): TokenUsage {
	const u = (usage ?? {}) as {
		prompt_tokens?: unknown;
		completion_tokens?: unknown;
		completion_tokens_details?: { reasoning_tokens?: unknown } | null;
	};
	const out: TokenUsage = {
		inputTokens: typeof u.prompt_tokens === "number" ? u.prompt_tokens : 0,
		outputTokens: typeof u.completion_tokens === "number" ? u.completion_tokens : 0,
	};
	const reasoning = u.completion_tokens_details?.reasoning_tokens;
	if (typeof reasoning === "number") out.reasoningTokens = reasoning;
	return out;
}
