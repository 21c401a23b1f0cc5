/**
 * @module A local OpenAI/vLLM-compatible completions server for tests and benchmarks, scoring with
 * an in-process llama.cpp model. It speaks the scoring subset of the API (`/v1/models`,
 * `/v1/completions` with echo + logprobs + max_tokens 0, text and token-id prompts,
 * `return_tokens_as_token_ids`, `prompt_logprobs`, vLLM's `/tokenize`) and injects faults, at a
 * seeded random rate or scripted per request. In the "vllm" flavour it also generates
 * (`/v1/completions` without echo, with `max_tokens`, `temperature`, `seed`, `stop`), applies the
 * model's chat template (`/tokenize` with `messages`) and detokenizes (`/detokenize`), as vLLM does.
 *
 * Flavours: "vllm" (BOS shown as `<s>` with a null log-prob and counted in `text_offset`, as vLLM
 * does); "openai" (no `/tokenize`, no BOS shown, the first token's log-prob null, offsets into the
 * prompt, unknown fields refused with 400, like davinci-002); and servers that cannot score:
 * "no-logprobs" (Ollama), "llama-server" (llama.cpp's server: no echo, log-probs of the generated
 * tokens only, as `logprobs: {content: […]}`), "ignore-echo", "chat-only" (404 on /v1/completions).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Token as LlamaToken } from "node-llama-cpp";
import type { LlamaCppBackend } from "../backends/llama/backend.js";
import type { ChatMessage } from "../backends/types.js";
import { codePointLength, sliceCodePoints } from "../util/codepoints.js";
import { type FaultyTestServer, faultPicker, type RandomFaults } from "./faults.js";
import { json, listenLocally, readBody, readPrompts } from "./http.js";

export type FaultKind = "429" | "500" | "slow" | "drop" | "malformed" | "missing-logprobs" | "ignore-echo";

export const FAULT_KINDS: readonly FaultKind[] = [
	"429",
	"500",
	"slow",
	"drop",
	"malformed",
	"missing-logprobs",
	"ignore-echo",
];

export type ServerFlavour = "vllm" | "openai" | "no-logprobs" | "llama-server" | "ignore-echo" | "chat-only";

export interface OpenAITestServerOptions {
	/** Scores every prompt (BOS is prepended by the backend, whatever the flavour shows). */
	backend: LlamaCppBackend;
	/** Served model name. Default "stories260K". */
	model?: string;
	flavour?: ServerFlavour;
	/** `max_model_len` in `/v1/models`; default the backend's context length; null leaves it out. */
	maxModelLen?: number | null;
	/** When set, requests without `Authorization: Bearer <apiKey>` get 401 (with the key they sent echoed, as careless servers do). */
	apiKey?: string;
	/** Random faults (default kinds: all). */
	faults?: RandomFaults<FaultKind>;
	/** `Retry-After` sent with 429. Default "0". */
	retryAfter?: string;
	/** Answer vLLM's `prompt_logprobs` field ("vllm" flavour); false acts like an older vLLM that ignores it. Default true. */
	promptLogprobs?: boolean;
	/** Delay of a "slow" fault in milliseconds. Default 200. */
	slowMs?: number;
	/**
	 * `prompt_logprobs` answers -9999 for the last prompt token, as vLLM does for a token outside the
	 * log-probs it computed ("vllm" flavour).
	 */
	promptLogprobFloor?: boolean;
}

export interface ServerStats {
	/** Every HTTP request received. */
	requests: number;
	/** `/v1/completions` requests answered with scores. */
	completions: number;
	/** Prompts scored. */
	prompts: number;
	faults: Record<FaultKind, number>;
	/** The Authorization header of every request ("" when none). */
	authorizations: string[];
}

export type OpenAITestServer = FaultyTestServer<FaultKind, ServerStats>;

interface Shown {
	strings: string[];
	ids: number[];
	logprobs: Array<number | null>;
	/** Offsets to send, already computed per flavour. */
	offsets: number[];
	text: string;
}

export async function startOpenAITestServer(options: OpenAITestServerOptions): Promise<OpenAITestServer> {
	const backend = options.backend;
	const model = options.model ?? "stories260K";
	const flavour = options.flavour ?? "vllm";
	const bos = backend.info.addsBos ? (backend.model.tokens.bos as number | null) : null;
	const faults = faultPicker(options.faults, FAULT_KINDS);
	const stats: ServerStats = {
		requests: 0,
		completions: 0,
		prompts: 0,
		faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
		authorizations: [],
	};

	/**
	 * Scores real (non-BOS) ids given BOS; one log-prob per id. Answers are remembered per backend:
	 * llama.cpp's last digits depend on what its KV cache held before, and a server must give the
	 * same numbers for the same prompt, or no two runs could be compared exactly.
	 */
	const memo = scoreMemo.get(backend) ?? new Map<string, Promise<number[]>>();
	scoreMemo.set(backend, memo);
	const score = (ids: number[], text: string): Promise<number[]> => {
		if (ids.length === 0) return Promise.resolve([]);
		const key = ids.join(",");
		let scored = memo.get(key);
		if (!scored) {
			scored = backend
				.scoreContinuations([{ context: { ids: [], text: "" }, continuations: [{ ids, text }] }])
				.then(([scores]) => scores!.logprobs[0]!);
			memo.set(key, scored);
		}
		return scored.then((values) => [...values]);
	};

	const detokenize = (ids: number[]): string[] => {
		const out: string[] = [];
		let previous = "";
		for (let k = 0; k < ids.length; k++) {
			const current = backend.model.detokenize(ids.slice(0, k + 1) as LlamaToken[]);
			out.push(current.startsWith(previous) ? current.slice(previous.length) : current);
			previous = current;
		}
		return out;
	};

	/**
	 * The echo of one prompt as this flavour shows it. Offsets are code points; tokens that share a
	 * character (UTF-8 byte pieces) share its offset and text, as the llama backend's spans do.
	 */
	const echo = async (prompt: string | number[], asIds: boolean): Promise<Shown> => {
		let ids: number[];
		let strings: string[];
		let starts: number[];
		let text: string;
		if (typeof prompt === "string") {
			const tokens = await backend.tokenize(prompt);
			ids = tokens.map((t) => t.id);
			strings = tokens.map((t) => sliceCodePoints(prompt, t.start, t.end));
			starts = tokens.map((t) => t.start);
			text = prompt;
		} else {
			ids = bos !== null && prompt[0] === bos ? prompt.slice(1) : prompt;
			strings = detokenize(ids);
			starts = cumulative(strings);
			text = strings.join("");
		}
		const logprobs: Array<number | null> = await score(ids, text);
		if (flavour === "openai") {
			logprobs[0] = null; // davinci-002 has no BOS: nothing conditions the first token
			return { strings, ids, logprobs, offsets: starts, text };
		}
		const showBos = bos !== null && (typeof prompt === "string" || prompt[0] === bos);
		if (!showBos) logprobs[0] = null;
		const allIds = showBos ? [bos, ...ids] : ids;
		const allStrings = showBos ? [BOS_TEXT, ...strings] : strings;
		const allLogprobs = showBos ? [null, ...logprobs] : logprobs;
		const shift = showBos ? BOS_TEXT.length : 0;
		// vLLM counts the text of the BOS it added; with token-id strings its offsets count those strings.
		const shownStrings = asIds ? allIds.map((id) => `token_id:${id}`) : allStrings;
		const offsets = asIds
			? cumulative(shownStrings)
			: [...(showBos ? [0] : []), ...starts.map((s) => s + shift)];
		return { strings: shownStrings, ids: allIds as number[], logprobs: allLogprobs, offsets, text };
	};

	const completions = async (body: Record<string, unknown>, fault: FaultKind | null, res: ServerResponse) => {
		if (flavour === "chat-only") {
			return json(res, 404, {
				error: {
					message: "This is a chat model and not supported in the v1/completions endpoint.",
					type: "invalid_request_error",
				},
			});
		}
		if (body.model !== model) {
			return json(res, 404, { error: { message: `The model \`${String(body.model)}\` does not exist.` } });
		}
		if (flavour === "openai") {
			const unknown = Object.keys(body).filter((k) => !OPENAI_FIELDS.has(k));
			if (unknown.length > 0)
				return json(res, 400, {
					error: { message: `Unrecognized request argument supplied: ${unknown.join(", ")}` },
				});
		}
		if (body.echo !== true && flavour === "vllm") return generate(body, res);
		if (body.echo !== true || body.max_tokens !== 0) {
			return json(res, 400, {
				error: { message: "this test server only scores prompts: echo true and max_tokens 0" },
			});
		}
		const prompts = readPrompts(body.prompt);
		if (!prompts)
			return json(res, 400, {
				error: { message: "prompt must be a string, strings, token ids or lists of token ids" },
			});
		const asIds = body.return_tokens_as_token_ids === true;
		const wantPromptLogprobs = typeof body.prompt_logprobs === "number" && options.promptLogprobs !== false;
		const choices = [];
		for (let index = 0; index < prompts.length; index++) {
			const shown = await echo(prompts[index]!, asIds);
			stats.prompts++;
			let logprobs: unknown = {
				tokens: shown.strings,
				token_logprobs: shown.logprobs,
				top_logprobs: shown.logprobs.map((lp, i) => (lp === null ? null : { [shown.strings[i]!]: lp })),
				text_offset: shown.offsets,
			};
			let promptLogprobs: unknown;
			if (wantPromptLogprobs && flavour === "vllm") {
				promptLogprobs = shown.logprobs.map((lp, i) =>
					lp === null
						? null
						: { [String(shown.ids[i])]: { logprob: lp, rank: 1, decoded_token: shown.strings[i] } },
				);
			}
			if (flavour === "no-logprobs") logprobs = null;
			// llama-server: the chat-style list of the generated tokens' log-probs (none at max_tokens 0), no echo.
			if (flavour === "llama-server") logprobs = { content: [] };
			if (flavour === "ignore-echo" || fault === "ignore-echo") {
				logprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
				promptLogprobs = undefined;
			}
			if (options.promptLogprobFloor && Array.isArray(promptLogprobs)) {
				const last = promptLogprobs.length - 1;
				const id = String(shown.ids[last]);
				promptLogprobs[last] = { [id]: { logprob: -9999, rank: 32001, decoded_token: shown.strings[last] } };
			}
			if (fault === "missing-logprobs" && index === 0 && logprobs !== null) {
				const values = (logprobs as { token_logprobs: Array<number | null> }).token_logprobs;
				values[values.length - 1] = null;
				if (Array.isArray(promptLogprobs)) promptLogprobs[promptLogprobs.length - 1] = null;
			}
			choices.push({
				index,
				text:
					flavour === "ignore-echo" || flavour === "llama-server" || fault === "ignore-echo"
						? ""
						: shown.text,
				logprobs,
				finish_reason: "length",
				...(promptLogprobs !== undefined ? { prompt_logprobs: promptLogprobs } : {}),
			});
		}
		stats.completions++;
		json(res, 200, { id: `cmpl-${stats.requests}`, object: "text_completion", created: 0, model, choices });
	};

	/** vLLM's generation: one prompt (text or ids with BOS), the sampled ids as `token_id:N`. */
	const generate = async (body: Record<string, unknown>, res: ServerResponse) => {
		const [prompt, ...more] = readPrompts(body.prompt) ?? [];
		if (prompt === undefined || more.length > 0)
			return json(res, 400, { error: { message: "this test server generates for one prompt at a time" } });
		const completer = backend.completer!;
		// vLLM puts BOS before text prompts itself; id prompts are taken as they are.
		const full = typeof prompt === "string" ? completer.promptIds(prompt) : prompt;
		const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : 16;
		const result = await completer.completeTokens(full, {
			maxTokens,
			temperature: typeof body.temperature === "number" ? body.temperature : 1,
			...(typeof body.seed === "number" && { seed: body.seed }),
			...(Array.isArray(body.stop) && { stop: body.stop as string[] }),
			...(typeof body.stop === "string" && { stop: [body.stop] }),
		});
		const ids = result.tokenIds ?? [];
		const asIds = body.return_tokens_as_token_ids === true;
		stats.completions++;
		json(res, 200, {
			id: `cmpl-${stats.requests}`,
			object: "text_completion",
			created: 0,
			model,
			choices: [
				{
					index: 0,
					text: result.text,
					logprobs:
						typeof body.logprobs === "number"
							? {
									tokens: asIds ? ids.map((id) => `token_id:${id}`) : detokenize(ids),
									token_logprobs: ids.map(() => 0),
								}
							: null,
					finish_reason: result.finishReason,
				},
			],
			usage: {
				prompt_tokens: full.length,
				completion_tokens: result.usage.outputTokens ?? 0,
				total_tokens: full.length + (result.usage.outputTokens ?? 0),
			},
		});
	};

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		stats.requests++;
		stats.authorizations.push(req.headers.authorization ?? "");
		const raw = await readBody(req);
		const url = new URL(req.url ?? "/", "http://localhost");
		if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
			return json(res, 401, {
				error: { message: `Incorrect API key provided: ${req.headers.authorization ?? "(none)"}` },
			});
		}
		const fault = faults.next();
		if (fault) stats.faults[fault]++;
		switch (fault) {
			case "429":
				res.setHeader("retry-after", options.retryAfter ?? "0");
				return json(res, 429, { error: { message: "Too many requests" } });
			case "500":
				return json(res, 500, { error: { message: "Internal server error" } });
			case "drop":
				req.socket.destroy();
				return;
			case "malformed":
				res.writeHead(200, { "content-type": "application/json" });
				res.end('{"choices": [{"index": 0, "text": "Once upon');
				return;
			case "slow":
				await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 200));
				break;
		}
		let body: Record<string, unknown> = {};
		if (req.method === "POST") {
			try {
				body = JSON.parse(raw) as Record<string, unknown>;
			} catch {
				return json(res, 400, { error: { message: "request body is not JSON" } });
			}
		}
		if (req.method === "GET" && url.pathname === "/v1/models") {
			const maxModelLen =
				options.maxModelLen === undefined ? backend.info.contextLength : options.maxModelLen;
			return json(res, 200, {
				object: "list",
				data: [
					{
						id: model,
						object: "model",
						owned_by: "invscale",
						...(maxModelLen !== null ? { max_model_len: maxModelLen } : {}),
					},
				],
			});
		}
		if (req.method === "POST" && url.pathname === "/v1/completions") return completions(body, fault, res);
		if (
			req.method === "POST" &&
			url.pathname === "/tokenize" &&
			flavour === "vllm" &&
			Array.isArray(body.messages)
		) {
			// The chat template applied, as vLLM's tokenizer does; special tokens are not added on top.
			const text = await backend.completer!.chatPrompt(body.messages as ChatMessage[]);
			const ids = backend.completer!.promptIds(text);
			const tokens = bos !== null && ids[0] === bos && body.add_special_tokens === false ? ids.slice(1) : ids;
			return json(res, 200, { tokens, count: tokens.length, max_model_len: backend.info.contextLength });
		}
		if (req.method === "POST" && url.pathname === "/detokenize" && flavour === "vllm") {
			if (!Array.isArray(body.tokens)) return json(res, 400, { error: { message: "tokens must be a list" } });
			return json(res, 200, { prompt: backend.model.detokenize(body.tokens as LlamaToken[], true) });
		}
		if (req.method === "POST" && url.pathname === "/tokenize" && flavour === "vllm") {
			if (typeof body.prompt !== "string")
				return json(res, 400, { error: { message: "prompt must be a string" } });
			const ids = (await backend.tokenize(body.prompt)).map((t) => t.id);
			const tokens = body.add_special_tokens !== false && bos !== null ? [bos, ...ids] : ids;
			return json(res, 200, { tokens, count: tokens.length, max_model_len: backend.info.contextLength });
		}
		json(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
	};

	const server = await listenLocally(handle, (res, message) => json(res, 500, { error: { message } }));
	return {
		baseUrl: server.baseUrl,
		stats,
		script: faults.script,
		close: server.close,
	};
}

const BOS_TEXT = "<s>";

const scoreMemo = new WeakMap<LlamaCppBackend, Map<string, Promise<number[]>>>();

/** Offsets of pieces laid end to end, in code points. */
function cumulative(pieces: string[]): number[] {
	const out: number[] = [];
	let at = 0;
	for (const piece of pieces) {
		out.push(at);
		at += codePointLength(piece);
	}
	return out;
}

const OPENAI_FIELDS = new Set([
	"model",
	"prompt",
	"echo",
	"logprobs",
	"max_tokens",
	"temperature",
	"n",
	"stop",
	"user",
	"seed",
]);
