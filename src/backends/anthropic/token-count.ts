/**
 * @module Reasoning tokens of a Claude answer, which the Messages API does not report apart from the
 * answer's (`output_tokens` holds both): `output_tokens` minus the visible answer's tokens, counted
 * by the API's own tokenizer through `POST /v1/messages/count_tokens` ("derived"). That endpoint
 * counts a whole request, framing included, so the framing is measured once, with a one-letter
 * message, and taken off. Where the endpoint cannot be used (a gateway without it), the answer's
 * tokens are guessed from its length, one per 4 characters, and the count is "estimated".
 */
import type { HttpClient } from "../http/client.js";
import { BackendError, type TokenUsage } from "../types.js";

/** Characters per token of the length guess (Anthropic's own rule of thumb for English). */
const CHARS_PER_TOKEN = 4;

export class AnswerTokenCounter {
	/** Tokens `count_tokens` adds around a message's text; undefined until measured, null: unusable. */
	private framing: Promise<number | null> | undefined;

	constructor(
		private readonly client: HttpClient,
		private readonly model: string,
	) {}

	/**
	 * The usage with its reasoning tokens filled in, where they are unknown (thinking happened) and
	 * the output is known. Reasoning tokens are never negative: a count below the answer's is clamped
	 * at 0 and marked estimated.
	 */
	async complete(usage: TokenUsage, answer: string, signal?: AbortSignal): Promise<TokenUsage> {
		if (usage.reasoningTokens !== null || usage.outputTokens === null) return usage;
		const counted = await this.answerTokens(answer, signal);
		const reasoning = usage.outputTokens - counted.tokens;
		return {
			...usage,
			reasoningTokens: Math.max(0, reasoning),
			reasoningTokensFrom: reasoning < 0 ? "estimated" : counted.from,
		};
	}

	/** Tokens of `answer` as the model wrote them. */
	private async answerTokens(
		answer: string,
		signal?: AbortSignal,
	): Promise<{ tokens: number; from: "derived" | "estimated" }> {
		if (answer === "") return { tokens: 0, from: "derived" };
		this.framing ??= this.countMessage("a", signal).then((n) => (n === null ? null : n - 1));
		const framing = await this.framing;
		const whole = framing === null ? null : await this.countMessage(answer, signal);
		if (framing === null || whole === null) {
			return { tokens: Math.ceil(answer.length / CHARS_PER_TOKEN), from: "estimated" };
		}
		return { tokens: Math.max(0, whole - framing), from: "derived" };
	}

	/** `input_tokens` of a request holding one user message `text`; null where the endpoint refuses. */
	private async countMessage(text: string, signal?: AbortSignal): Promise<number | null> {
		try {
			return await this.client.send(
				"messages/count_tokens",
				(body) => {
					const n = (body as { input_tokens?: unknown } | null)?.input_tokens;
					return typeof n === "number" && Number.isInteger(n) && n >= 0
						? { kind: "ok", value: n }
						: {
								kind: "fail",
								error: new BackendError("the count_tokens answer has no input_tokens", "server"),
							};
				},
				{ body: { model: this.model, messages: [{ role: "user", content: text }] }, signal },
			);
		} catch (error) {
			if (error instanceof BackendError && error.code === "aborted") throw error;
			return null;
		}
	}
}
