/**
 * @module What the capability probe found out about an OpenAI-compatible server, and how its
 * `/tokenize` answer is read: shared by the probe, the scoring backend and the completer.
 */
import type { Check } from "../http/client.js";

/** What the probe found out about the server. */
export interface ServerTraits {
	dialect: "ids" | "text";
	/** Ids the server puts before a text prompt (BOS), in "ids" dialect. */
	bosIds: number[];
	/** Tokens the server shows before a text prompt's own tokens in an echo. */
	leading: number;
	/** vLLM's `prompt_logprobs` is accepted: ask for it (unclamped values keyed by id). */
	promptLogprobs: boolean;
}

/** `{tokens: number[]}` from vLLM's `/tokenize`. */
export function readTokenizeAnswer(body: unknown): Check<number[]> {
	const tokens = (body as { tokens?: unknown } | null)?.tokens;
	if (Array.isArray(tokens) && tokens.every((t) => Number.isInteger(t) && t >= 0))
		return { kind: "ok", value: tokens };
	return { kind: "retry", reason: "the /tokenize answer has no list of token ids" };
}
