/**
 * @module The capability probe run before scoring: finds the model on the server, its context
 * length, whether `/tokenize` gives ids, whether BOS is added, and refuses servers that cannot
 * return prompt log-probs (echo ignored, no logprobs, null log-probs, no `/v1/completions`).
 */

import { type Check, type OpenAIClient, ServerRefusal } from "../http/client.js";
import { BackendError } from "../types.js";
import { type EchoChoice, echoProblem, parseEcho } from "./echo.js";
import { promptSpans } from "./offsets.js";
import { readTokenizeAnswer, type ServerTraits } from "./traits.js";

/** Non-ASCII on purpose: offsets must be code points, which only text beyond ASCII can show. */
export const PROBE_TEXT = "Once upon a time, Zoë found a café — «naïve» 🙂 and smiled.";

/** Used when the server does not tell its context length. */
export const DEFAULT_CONTEXT_LENGTH = 2048;

/** Tries of each probe request: a transient fault should not refuse a good server. */
const PROBE_ATTEMPTS = 3;

export interface ProbeResult {
	traits: ServerTraits;
	addsBos: boolean;
	contextLength: number;
}

const WHAT_WORKS =
	"invscale needs prompt log-probs from /v1/completions with echo: true, logprobs and max_tokens: 0, as vLLM's OpenAI-compatible server (`vllm serve MODEL`) or OpenAI's davinci-002 / babbage-002 give";

export async function probeServer(
	client: OpenAIClient,
	model: string,
	signal?: AbortSignal,
): Promise<ProbeResult> {
	const listed = await modelLength(client, model, signal);
	const echo = await probeEcho(client, model, signal);
	const ids = await client
		.send("/tokenize", readTokenizeAnswer, {
			body: { model, prompt: PROBE_TEXT, add_special_tokens: false },
			signal,
			maxAttempts: PROBE_ATTEMPTS,
		})
		.catch((error: unknown) => {
			if (error instanceof ServerRefusal) return undefined; // no /tokenize: not vLLM
			throw error;
		});
	const contextLength = listed ?? DEFAULT_CONTEXT_LENGTH;
	if (ids) {
		const leading = echo.tokens.length - ids.length;
		if (leading < 0 || leading > 2) {
			throw new BackendError(
				`the server's /tokenize gave ${ids.length} tokens for a text its echo shows as ${echo.tokens.length}`,
				"unsupported",
			);
		}
		const withSpecial = await client.send("/tokenize", readTokenizeAnswer, {
			body: { model, prompt: PROBE_TEXT, add_special_tokens: true },
			signal,
			maxAttempts: PROBE_ATTEMPTS,
		});
		const bosIds = withSpecial.slice(0, withSpecial.length - ids.length);
		checkLogprobs(echo, leading);
		const promptLogprobs = await acceptsPromptLogprobs(client, model, [...bosIds, ...ids], signal);
		return {
			traits: { dialect: "ids", bosIds, leading, promptLogprobs },
			addsBos: bosIds.length > 0,
			contextLength,
		};
	}
	// Without ids, a first token that is not the prompt's own text is one the server added (BOS).
	const first = echo.tokens[0] ?? "";
	const leading = echo.logprobs[0] === null && first !== "" && !PROBE_TEXT.startsWith(first) ? 1 : 0;
	checkLogprobs(echo, leading);
	return {
		traits: { dialect: "text", bosIds: [], leading, promptLogprobs: false },
		addsBos: leading > 0,
		contextLength,
	};
}

/** `max_model_len` of the model in `/v1/models`; refuses a model the server does not list. */
export async function modelLength(
	client: OpenAIClient,
	model: string,
	signal?: AbortSignal,
): Promise<number | undefined> {
	type Listing = Array<{ id: string; maxModelLen?: number }>;
	const read = (body: unknown): Check<Listing> => {
		const data = (body as { data?: unknown } | null)?.data;
		if (!Array.isArray(data)) return { kind: "retry", reason: "the /models answer has no data list" };
		return {
			kind: "ok",
			value: data
				.filter((m): m is { id: string; max_model_len?: unknown } => typeof m?.id === "string")
				.map((m) => ({
					id: m.id,
					maxModelLen: typeof m.max_model_len === "number" ? m.max_model_len : undefined,
				})),
		};
	};
	const listing = await client
		.send("models", read, { method: "GET", signal, maxAttempts: PROBE_ATTEMPTS })
		.catch((error: unknown) => {
			if (error instanceof ServerRefusal && error.status === 404) return undefined; // no listing: fine
			throw error;
		});
	if (!listing || listing.length === 0) return undefined;
	const entry = listing.find((m) => m.id === model);
	if (!entry) {
		throw new BackendError(
			`the server does not serve the model ${JSON.stringify(model)}; it serves ${listing.map((m) => JSON.stringify(m.id)).join(", ")}`,
			"model-missing",
			"set the ladder's openai.model to one of the served names",
		);
	}
	return entry.maxModelLen;
}

/** One echo of PROBE_TEXT; anything but prompt tokens with offsets is a refusal. */
async function probeEcho(client: OpenAIClient, model: string, signal?: AbortSignal): Promise<EchoChoice> {
	const body = { model, prompt: [PROBE_TEXT], echo: true, logprobs: 1, max_tokens: 0, temperature: 0 };
	try {
		return await client.send(
			"completions",
			(answer): Check<EchoChoice> => {
				const parsed = parseEcho(answer, 1);
				if (parsed.kind === "problem") return echoProblem(parsed);
				const choice = parsed.choices[0]!;
				if (choice.tokens.length === 0)
					return { kind: "retry", reason: "the answer echoes no prompt tokens (echo ignored)" };
				return { kind: "ok", value: choice };
			},
			{ body, signal, maxAttempts: PROBE_ATTEMPTS },
		);
	} catch (error) {
		if (error instanceof ServerRefusal) {
			const why =
				error.status === 404
					? "it has no /v1/completions endpoint or does not know the model there (a chat-only API?)"
					: `it refused an echo request (${error.message})`;
			throw new BackendError(`cannot score on this server: ${why}`, "unsupported", WHAT_WORKS);
		}
		if (error instanceof BackendError && error.code === "server") {
			throw new BackendError(
				`cannot score on this server: it does not return prompt log-probs (${error.message})`,
				"unsupported",
				WHAT_WORKS,
			);
		}
		throw error;
	}
}

/** Every prompt token after the first must have a log-prob, and the tokens must line up with the text. */
function checkLogprobs(echo: EchoChoice, leading: number): void {
	const spans = promptSpans(PROBE_TEXT, echo, leading);
	if (spans.kind === "problem") {
		throw new BackendError(`cannot score on this server: ${spans.reason}`, "unsupported", WHAT_WORKS);
	}
	const needed = echo.logprobs.slice(Math.max(1, leading), leading + spans.spans.length);
	const missing = needed.indexOf(null);
	if (missing >= 0) {
		throw new BackendError(
			`cannot score on this server: it returns null log-probs for prompt tokens (token ${missing + Math.max(1, leading)} of the probe)`,
			"unsupported",
			WHAT_WORKS,
		);
	}
}

/** vLLM takes `prompt_logprobs` on completions; others may refuse the unknown field, which is fine. */
async function acceptsPromptLogprobs(
	client: OpenAIClient,
	model: string,
	ids: number[],
	signal?: AbortSignal,
): Promise<boolean> {
	const body = {
		model,
		prompt: [ids],
		echo: true,
		logprobs: 1,
		max_tokens: 0,
		temperature: 0,
		prompt_logprobs: 0,
	};
	return client
		.send(
			"completions",
			(answer): Check<boolean> => {
				const parsed = parseEcho(answer, 1);
				if (parsed.kind === "problem") return echoProblem(parsed);
				const values = parsed.choices[0]!.promptLogprobs;
				return { kind: "ok", value: values !== undefined && values.length === ids.length };
			},
			{ body, signal, maxAttempts: PROBE_ATTEMPTS },
		)
		.catch((error: unknown) => {
			if (error instanceof BackendError && error.code !== "aborted") return false;
			throw error;
		});
}
