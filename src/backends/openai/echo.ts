/**
 * @module Reading `/v1/completions` answers to echo requests (`echo: true, logprobs: 1,
 * max_tokens: 0`): the prompt's tokens as the server wrote them, their log-probs, their
 * `text_offset`s, and vLLM's `prompt_logprobs` when present. Only shape is checked here; what is
 * missing for a given use is decided by the caller. A wrong format (llama-server's `logprobs:
 * {content: …}`, no log-probs at all) is not transient: it is refused at once, never retried.
 */
import type { Check } from "../http/client.js";
import { BackendError } from "../types.js";

/** One echoed prompt, as the server sent it. */
export interface EchoChoice {
	/** Token strings (decoded text, `token_id:<n>` with vLLM's `return_tokens_as_token_ids`, or `bytes:…`). */
	tokens: string[];
	/** One per token; null where the server gives none (the first token, which has no context). */
	logprobs: Array<number | null>;
	/** `text_offset`, when sent: one per token. */
	offsets?: number[];
	/** vLLM's `prompt_logprobs`: per position, log-probs keyed by token id (NaN: listed, marked not computed); null for the first. */
	promptLogprobs?: Array<Record<string, number> | null>;
}

/**
 * `transient`: the answer has the right format but is incomplete (a retry may fix it); otherwise
 * the server answers in another format, which no retry changes.
 */
export type EchoParse =
	| { kind: "ok"; choices: EchoChoice[] }
	| { kind: "problem"; reason: string; transient: boolean };

/** The choices of a completions answer, in prompt order, checking there is one per prompt. */
export function parseEcho(body: unknown, prompts: number): EchoParse {
	if (!isObject(body) || !Array.isArray(body.choices)) return problem("the answer has no choices");
	if (body.choices.length !== prompts) {
		return problem(`the answer has ${body.choices.length} choices for ${prompts} prompts`, true);
	}
	const choices = new Array<EchoChoice | undefined>(prompts);
	for (let k = 0; k < body.choices.length; k++) {
		const raw: unknown = body.choices[k];
		if (!isObject(raw)) return problem("a choice is not an object");
		const index = typeof raw.index === "number" ? raw.index : k;
		if (!Number.isInteger(index) || index < 0 || index >= prompts || choices[index]) {
			return problem(`a choice has index ${String(raw.index)}`);
		}
		const parsed = parseChoice(raw);
		if (typeof parsed === "string") return problem(parsed);
		choices[index] = parsed;
	}
	return { kind: "ok", choices: choices as EchoChoice[] };
}

function parseChoice(raw: Record<string, unknown>): EchoChoice | string {
	const promptLogprobs = parsePromptLogprobs(raw.prompt_logprobs);
	const logprobs = raw.logprobs;
	if (!isObject(logprobs)) {
		if (promptLogprobs) return { tokens: [], logprobs: [], promptLogprobs };
		return "the answer has no log-probabilities (logprobs is missing or null)";
	}
	const tokens = logprobs.tokens;
	const values = logprobs.token_logprobs;
	if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "string"))
		return "logprobs.tokens is not a list of strings";
	if (!Array.isArray(values) || values.length !== tokens.length) {
		return "logprobs.token_logprobs is missing or does not match logprobs.tokens";
	}
	if (!values.every((v) => v === null || (typeof v === "number" && Number.isFinite(v)))) {
		return "logprobs.token_logprobs holds something that is not a number";
	}
	const offsets = logprobs.text_offset;
	const validOffsets =
		Array.isArray(offsets) &&
		offsets.length === tokens.length &&
		offsets.every((o) => Number.isInteger(o) && o >= 0);
	return {
		tokens: tokens as string[],
		logprobs: values as Array<number | null>,
		offsets: validOffsets ? (offsets as number[]) : undefined,
		promptLogprobs,
	};
}

/** vLLM: `[null, {"1234": {"logprob": -1.2, "rank": 1, "decoded_token": "x"}}, …]`. */
function parsePromptLogprobs(raw: unknown): Array<Record<string, number> | null> | undefined {
	if (!Array.isArray(raw)) return undefined;
	const out: Array<Record<string, number> | null> = [];
	for (const entry of raw) {
		if (!isObject(entry)) {
			out.push(null);
			continue;
		}
		const byId: Record<string, number> = {};
		for (const [id, value] of Object.entries(entry)) {
			const logprob = isObject(value) ? value.logprob : value;
			if (typeof logprob === "number" && Number.isFinite(logprob)) byId[id] = logprob;
			// Listed but not a number ("-inf", null): marked not computed, refused by the caller (NaN).
			else byId[id] = Number.NaN;
		}
		out.push(byId);
	}
	return out;
}

function problem(reason: string, transient = false): EchoParse {
	return { kind: "problem", reason, transient };
}

/** A parse problem as the HTTP client's check: retried when transient, refused at once when it is the format. */
export function echoProblem(parsed: Extract<EchoParse, { kind: "problem" }>): Check<never> {
	if (parsed.transient) return { kind: "retry", reason: parsed.reason };
	return {
		kind: "fail",
		error: new BackendError(`the server answers in another format: ${parsed.reason}`, "server"),
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
