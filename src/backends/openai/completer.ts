/**
 * @module Text generation through `/v1/completions`, for base models and for budget forcing on
 * vLLM. In the "ids" dialect (vLLM) a prompt is tokenized by the server's `/tokenize` (special-token
 * texts such as `<|im_start|>` read as special, as the chat template wrote them), BOS put first
 * where the model wants it, and sent as token ids, so no BOS is doubled; generated ids come back
 * through `return_tokens_as_token_ids`. The chat template is the server's: `/tokenize` with
 * `messages`, then `/detokenize`. In the "text" dialect (OpenAI and others without `/tokenize`)
 * prompts go as text and messages are joined plainly.
 */

import type { Check, HttpClient } from "../http/client.js";
import { plainChat } from "../llama/chat-template.js";
import type {
	BackendCounters,
	ChatMessage,
	CompletionRequest,
	CompletionResult,
	TextCompleter,
} from "../types.js";
import { addUsage } from "../usage.js";
import { readUsage } from "./chat.js";
import { readTokenizeAnswer, type ServerTraits } from "./traits.js";

export class OpenAICompleter implements TextCompleter {
	constructor(
		private readonly client: HttpClient,
		private readonly model: string,
		private readonly traits: ServerTraits,
		private readonly counters: BackendCounters,
	) {}

	async chatPrompt(messages: ChatMessage[], signal?: AbortSignal): Promise<string> {
		if (this.traits.dialect === "text") return plainChat(messages);
		const continueLast = messages.at(-1)?.role === "assistant";
		const ids = await this.client.send("/tokenize", readTokenizeAnswer, {
			body: {
				model: this.model,
				messages,
				add_generation_prompt: !continueLast,
				continue_final_message: continueLast,
				add_special_tokens: false,
			},
			signal,
		});
		// The template's own BOS is left out: `complete` puts BOS first itself.
		const bos = this.traits.bosIds;
		const body = bos.length > 0 && bos.every((id, i) => ids[i] === id) ? ids.slice(bos.length) : ids;
		return this.client.send("/detokenize", readDetokenizeAnswer, {
			body: { model: this.model, tokens: body },
			signal,
		});
	}

	async complete(requests: CompletionRequest[], signal?: AbortSignal): Promise<CompletionResult[]> {
		return Promise.all(requests.map((request) => this.completeOne(request, signal)));
	}

	private async completeOne(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
		const ids =
			this.traits.dialect === "ids"
				? (request.promptIds ?? (await this.promptIds(request.prompt, signal)))
				: undefined;
		const body: Record<string, unknown> = {
			model: this.model,
			prompt: ids ?? request.prompt,
			max_tokens: request.maxTokens,
			temperature: request.temperature,
		};
		if (request.seed !== undefined) body.seed = request.seed;
		if (request.stop && request.stop.length > 0) body.stop = request.stop;
		if (ids) {
			body.logprobs = 0;
			body.return_tokens_as_token_ids = true;
		}
		this.counters.calls++;
		const result = await this.client.send("completions", (answer) => readCompletionAnswer(answer, !!ids), {
			body,
			signal,
		});
		if (ids) result.promptTokenIds = ids;
		addUsage(this.counters, result.usage);
		return result;
	}

	private async promptIds(prompt: string, signal?: AbortSignal): Promise<number[]> {
		const ids =
			prompt === ""
				? []
				: await this.client.send("/tokenize", readTokenizeAnswer, {
						body: { model: this.model, prompt, add_special_tokens: false },
						signal,
					});
		const bos = this.traits.bosIds;
		if (bos.length === 0 || bos.every((id, i) => ids[i] === id)) return ids;
		return [...bos, ...ids];
	}
}

/** `{prompt: string}` from vLLM's `/detokenize`. */
function readDetokenizeAnswer(body: unknown): Check<string> {
	const prompt = (body as { prompt?: unknown } | null)?.prompt;
	if (typeof prompt === "string") return { kind: "ok", value: prompt };
	return { kind: "retry", reason: "the /detokenize answer has no prompt text" };
}

/** Reads one generation answer of `/v1/completions`; with `wantIds`, the ids of `token_id:N` tokens. */
export function readCompletionAnswer(body: unknown, wantIds: boolean): Check<CompletionResult> {
	const choices = (body as { choices?: unknown } | null)?.choices;
	const choice = Array.isArray(choices) ? (choices[0] as Record<string, unknown> | undefined) : undefined;
	if (!choice || typeof choice.text !== "string") {
		return { kind: "retry", reason: "the completion answer has no choices[0].text" };
	}
	const result: CompletionResult = {
		text: choice.text,
		finishReason: choice.finish_reason === "length" ? "length" : "stop",
		usage: readUsage((body as { usage?: unknown }).usage, false),
	};
	if (wantIds) {
		const tokens = (choice.logprobs as { tokens?: unknown } | null | undefined)?.tokens;
		const ids = Array.isArray(tokens)
			? tokens.map((t) => (typeof t === "string" ? /^token_id:(\d+)$/.exec(t)?.[1] : undefined))
			: [];
		if (ids.length > 0 && ids.every((id) => id !== undefined)) result.tokenIds = ids.map(Number);
	}
	return { kind: "ok", value: result };
}
