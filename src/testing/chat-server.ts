/**
 * @module A local chat server for tests, speaking one of three wire dialects exactly, with
 * answers scripted by a function of the request (so a test can script "worse with more
 * reasoning") and faults injected per request:
 * - "openai": `/v1/chat/completions` as OpenAI serves reasoning models: `reasoning_effort`,
 *   `max_completion_tokens` (`max_tokens` and a temperature refused when an effort is given),
 *   unknown fields refused, `usage.completion_tokens_details.reasoning_tokens`, no reasoning text;
 * - "vllm" / "vllm-old": vLLM's chat endpoint: the reasoning text in `message.reasoning` (older
 *   servers: `reasoning_content`), `chat_template_kwargs: {enable_thinking: false}` turning it
 *   off, `thinking_token_budget` read as a budget;
 * - "llama-server": llama.cpp's chat endpoint: `max_tokens`, `chat_template_kwargs:
 *   {enable_thinking: false}` turning reasoning off, no per-request budget or level (ignored, as
 *   the real server ignores fields it does not know), the reasoning text in `reasoning_content`,
 *   no reasoning-token count;
 * - "anthropic": `/v1/messages` with `x-api-key` and `anthropic-version`, `thinking` blocks (and
 *   `redacted_thinking`), `usage.input_tokens/output_tokens`, `stop_reason`, Anthropic's error
 *   bodies and 529 "overloaded"; `/v1/messages/count_tokens` counts a request's input tokens
 *   (its words plus COUNT_FRAMING tokens of message framing).
 * Tokens are counted as whitespace-separated words. Output beyond the token limit is cut, with
 * finish reason "length". Every request body is kept byte for byte, for wire-format tests.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatMessage } from "../backends/types.js";
import { type FaultyTestServer, faultPicker, type RandomFaults } from "./faults.js";
import { json, listenLocally, readBody } from "./http.js";

export type ChatServerDialect = "openai" | "vllm" | "vllm-old" | "llama-server" | "anthropic";

/** Tokens `/v1/messages/count_tokens` adds to a request's words, as the real API counts message framing. */
export const COUNT_FRAMING = 4;

export type ChatFault = "429" | "500" | "529" | "drop" | "malformed";

const CHAT_FAULTS: readonly ChatFault[] = ["429", "500", "529", "drop", "malformed"];

/** A request as the script sees it, whatever the dialect. */
export interface ScriptedChatRequest {
	dialect: ChatServerDialect;
	/** System messages included (Anthropic's `system` field becomes the first message). */
	messages: ChatMessage[];
	maxTokens: number;
	temperature?: number;
	seed?: number;
	effort?: string;
	/** Anthropic `budget_tokens` or vLLM `thinking_token_budget`. */
	budgetTokens?: number;
	/** False when the request turned reasoning off (vLLM `enable_thinking: false`, Anthropic without `thinking`). */
	thinking: boolean;
	/** The request body as received. */
	body: Record<string, unknown>;
}

export interface ScriptedAnswer {
	text: string;
	/** Reasoning text: returned where the dialect shows it, counted in usage everywhere. */
	reasoning?: string;
	/** Anthropic: add a `redacted_thinking` block. */
	redacted?: boolean;
}

export interface ChatTestServerOptions {
	dialect: ChatServerDialect;
	respond(request: ScriptedChatRequest): ScriptedAnswer | Promise<ScriptedAnswer>;
	/** Served model name. Default "test-model". */
	model?: string;
	/** When set, requests without it (Bearer, or `x-api-key`) get 401, the key they sent echoed back. */
	apiKey?: string;
	/** `Retry-After` sent with 429 and 529. Default "0". */
	retryAfter?: string;
	/** Random faults (default kinds: all). */
	faults?: RandomFaults<ChatFault>;
	/** Anthropic: serve `/v1/messages/count_tokens` (a gateway may not). Default true. */
	countTokens?: boolean;
	/** Answer without a `usage` block (all answers, or those the function picks), as some proxies do. */
	omitUsage?: boolean | ((request: ScriptedChatRequest) => boolean);
}

export interface ChatServerStats {
	requests: number;
	/** Requests answered by the script. */
	answered: number;
	faults: Record<ChatFault, number>;
	/** Every generation request body received (after a fault check passed, bodies that parsed). */
	bodies: Array<Record<string, unknown>>;
	/** The same bodies, byte for byte as sent. */
	raw: string[];
	/** Bodies of `/v1/messages/count_tokens` requests. */
	counts: Array<Record<string, unknown>>;
	/** The key-carrying header of every request ("" when none). */
	keys: string[];
}

export type ChatTestServer = FaultyTestServer<ChatFault, ChatServerStats>;

const OPENAI_CHAT_FIELDS = new Set([
	"model",
	"messages",
	"temperature",
	"top_p",
	"max_tokens",
	"max_completion_tokens",
	"seed",
	"stop",
	"n",
	"user",
	"reasoning_effort",
]);
const EFFORTS = new Set(["minimal", "low", "medium", "high"]);

export async function startChatTestServer(options: ChatTestServerOptions): Promise<ChatTestServer> {
	const dialect = options.dialect;
	const model = options.model ?? "test-model";
	const faults = faultPicker(options.faults, CHAT_FAULTS);
	const stats: ChatServerStats = {
		requests: 0,
		answered: 0,
		faults: Object.fromEntries(CHAT_FAULTS.map((k) => [k, 0])) as Record<ChatFault, number>,
		bodies: [],
		raw: [],
		counts: [],
		keys: [],
	};
	const anthropic = dialect === "anthropic";

	/** An error body in the dialect's own shape. */
	const fail = (res: ServerResponse, status: number, message: string, type = "invalid_request_error") =>
		json(res, status, anthropic ? { type: "error", error: { type, message } } : { error: { message, type } });

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		stats.requests++;
		const raw = await readBody(req);
		const url = new URL(req.url ?? "/", "http://localhost");
		const sent = anthropic ? String(req.headers["x-api-key"] ?? "") : (req.headers.authorization ?? "");
		stats.keys.push(sent);
		if (options.apiKey !== undefined && sent !== (anthropic ? options.apiKey : `Bearer ${options.apiKey}`)) {
			return fail(res, 401, `Incorrect API key provided: ${sent || "(none)"}`, "authentication_error");
		}
		const fault = faults.next();
		if (fault) stats.faults[fault]++;
		switch (fault) {
			case "429":
				res.setHeader("retry-after", options.retryAfter ?? "0");
				return fail(res, 429, "Rate limit reached", "rate_limit_error");
			case "529":
				res.setHeader("retry-after", options.retryAfter ?? "0");
				return fail(res, 529, "Overloaded", "overloaded_error");
			case "500":
				return fail(res, 500, "Internal server error", "api_error");
			case "drop":
				req.socket.destroy();
				return;
			case "malformed":
				res.writeHead(200, { "content-type": "application/json" });
				res.end('{"choices": [{"message": {"content": "B');
				return;
		}
		if (req.method === "GET" && url.pathname === "/v1/models" && !anthropic) {
			return json(res, 200, { object: "list", data: [{ id: model, object: "model", owned_by: "test" }] });
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw) as Record<string, unknown>;
		} catch {
			return fail(res, 400, "request body is not JSON");
		}
		if (url.pathname === "/v1/messages/count_tokens" && anthropic) {
			if (options.countTokens === false)
				return fail(res, 404, `no route ${req.method} ${url.pathname}`, "not_found_error");
			stats.counts.push(body);
			return countTokens_(body, res);
		}
		stats.bodies.push(body);
		stats.raw.push(raw);
		if (body.model !== model)
			return fail(res, 404, `The model \`${String(body.model)}\` does not exist`, "not_found_error");
		if (req.method === "POST" && url.pathname === "/v1/messages" && anthropic)
			return messages(body, req, res);
		if (req.method === "POST" && url.pathname === "/v1/chat/completions" && !anthropic)
			return chat(body, res);
		fail(res, 404, `no route ${req.method} ${url.pathname}`, "not_found_error");
	};

	const omit = (request: ScriptedChatRequest) =>
		typeof options.omitUsage === "function" ? options.omitUsage(request) : options.omitUsage === true;

	/** `/v1/messages/count_tokens`: the words of the system prompt and messages, plus the framing. */
	const countTokens_ = (body: Record<string, unknown>, res: ServerResponse) => {
		if (body.model !== model)
			return fail(res, 404, `The model \`${String(body.model)}\` does not exist`, "not_found_error");
		const turns = Array.isArray(body.messages) ? (body.messages as Array<{ content?: unknown }>) : [];
		if (turns.length === 0 || turns.some((m) => typeof m.content !== "string" || m.content === ""))
			return fail(res, 400, "messages: text content blocks must be non-empty");
		const text = [typeof body.system === "string" ? body.system : "", ...turns.map((m) => m.content)].join(
			" ",
		);
		json(res, 200, { input_tokens: countTokens(text) + COUNT_FRAMING });
	};

	const chat = async (body: Record<string, unknown>, res: ServerResponse) => {
		const effort = typeof body.reasoning_effort === "string" ? body.reasoning_effort : undefined;
		if (dialect === "openai") {
			const unknown = Object.keys(body).filter((k) => !OPENAI_CHAT_FIELDS.has(k));
			if (unknown.length > 0)
				return fail(res, 400, `Unrecognized request argument supplied: ${unknown.join(", ")}`);
			if (effort !== undefined) {
				if (!EFFORTS.has(effort)) return fail(res, 400, `Invalid value for 'reasoning_effort': '${effort}'`);
				if (body.max_tokens !== undefined) {
					return fail(
						res,
						400,
						"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
					);
				}
				if (body.temperature !== undefined && body.temperature !== 1) {
					return fail(
						res,
						400,
						`Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`,
					);
				}
			}
		}
		const maxTokens = numberOr(body.max_completion_tokens, numberOr(body.max_tokens, 4096));
		const kwargs = (body.chat_template_kwargs ?? {}) as { enable_thinking?: unknown };
		const request: ScriptedChatRequest = {
			dialect,
			messages: body.messages as ChatMessage[],
			maxTokens,
			thinking: kwargs.enable_thinking !== false,
			body,
			...optionalNumber("temperature", body.temperature),
			...optionalNumber("seed", body.seed),
			// llama-server has no per-request budget: the field is ignored, as the real server does.
			...(dialect === "llama-server" ? {} : optionalNumber("budgetTokens", body.thinking_token_budget)),
			...(effort !== undefined && { effort }),
		};
		const answer = fitAnswer(await options.respond(request), request, stopsOf(body.stop));
		stats.answered++;
		const message: Record<string, unknown> = { role: "assistant", content: answer.text };
		if (dialect === "openai") message.refusal = null;
		else if (answer.reasoning !== undefined)
			message[dialect === "vllm" ? "reasoning" : "reasoning_content"] = answer.reasoning;
		if (omit(request)) {
			return json(res, 200, {
				id: `chatcmpl-${stats.requests}`,
				object: "chat.completion",
				created: 0,
				model,
				choices: [{ index: 0, message, finish_reason: answer.finishReason }],
			});
		}
		const input = countTokens(request.messages.map((m) => m.content).join(" "));
		const usage: Record<string, unknown> = {
			prompt_tokens: input,
			completion_tokens: answer.outputTokens,
			total_tokens: input + answer.outputTokens,
		};
		if (dialect === "openai") usage.completion_tokens_details = { reasoning_tokens: answer.reasoningTokens };
		json(res, 200, {
			id: `chatcmpl-${stats.requests}`,
			object: "chat.completion",
			created: 0,
			model,
			choices: [{ index: 0, message, finish_reason: answer.finishReason }],
			usage,
		});
	};

	const messages = async (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => {
		if (req.headers["anthropic-version"] === undefined)
			return fail(res, 400, "anthropic-version: header is required");
		if (typeof body.max_tokens !== "number") return fail(res, 400, "max_tokens: Field required");
		const turns = body.messages as Array<{ role: string; content: string }>;
		const odd = turns.find((m) => m.role !== "user" && m.role !== "assistant");
		if (odd)
			return fail(res, 400, `messages: Unexpected role "${odd.role}". Use the top-level system parameter`);
		const thinking = body.thinking as { type?: string; budget_tokens?: unknown } | undefined;
		const budget = thinking?.type === "enabled" ? thinking.budget_tokens : undefined;
		if (thinking !== undefined) {
			if (typeof budget !== "number" || budget < 1024)
				return fail(
					res,
					400,
					"thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
				);
			if (budget >= body.max_tokens)
				return fail(res, 400, "`max_tokens` must be greater than `thinking.budget_tokens`");
			if (body.temperature !== undefined && body.temperature !== 1)
				return fail(res, 400, "`temperature` may only be set to 1 when thinking is enabled");
		}
		const all: ChatMessage[] = [
			...(typeof body.system === "string" ? [{ role: "system" as const, content: body.system }] : []),
			...(turns as ChatMessage[]),
		];
		const request: ScriptedChatRequest = {
			dialect,
			messages: all,
			maxTokens: body.max_tokens,
			thinking: budget !== undefined,
			body,
			...optionalNumber("temperature", body.temperature),
			...optionalNumber("budgetTokens", budget),
		};
		const scripted = await options.respond(request);
		const answer = fitAnswer(scripted, request, stopsOf(body.stop_sequences));
		stats.answered++;
		const content: unknown[] = [];
		if (request.thinking && answer.reasoning !== undefined)
			content.push({ type: "thinking", thinking: answer.reasoning, signature: "c2lnbmF0dXJl" });
		if (request.thinking && scripted.redacted)
			content.push({ type: "redacted_thinking", data: "ZW5jcnlwdGVk" });
		content.push({ type: "text", text: answer.text });
		json(res, 200, {
			id: `msg_${stats.requests}`,
			type: "message",
			role: "assistant",
			model,
			content,
			stop_reason:
				answer.finishReason === "length" ? "max_tokens" : answer.stopped ? "stop_sequence" : "end_turn",
			stop_sequence: answer.stopped ?? null,
			...(omit(request)
				? {}
				: {
						usage: {
							input_tokens: countTokens(all.map((m) => m.content).join(" ")),
							output_tokens: answer.outputTokens,
						},
					}),
		});
	};

	const server = await listenLocally(handle, (res, message) => fail(res, 500, message, "api_error"));
	return {
		baseUrl: server.baseUrl,
		stats,
		script: faults.script,
		close: server.close,
	};
}

/** Whitespace-separated words: the test servers' token count. */
export function countTokens(text: string): number {
	return text.split(/\s+/).filter((w) => w !== "").length;
}

interface Fitted {
	text: string;
	reasoning?: string;
	outputTokens: number;
	reasoningTokens: number;
	finishReason: "stop" | "length";
	stopped?: string;
}

/** The scripted answer with reasoning dropped when off, cut at a stop string, and cut to the token limit. */
function fitAnswer(answer: ScriptedAnswer, request: ScriptedChatRequest, stops: string[]): Fitted {
	let reasoning = request.thinking ? answer.reasoning : undefined;
	let text = answer.text;
	let stopped: string | undefined;
	for (const stop of stops) {
		const at = text.indexOf(stop);
		if (at >= 0) {
			text = text.slice(0, at);
			stopped = stop;
		}
	}
	let finishReason: Fitted["finishReason"] = "stop";
	const reasoningWords = reasoning === undefined ? [] : reasoning.split(/\s+/).filter((w) => w !== "");
	const textWords = text.split(/\s+/).filter((w) => w !== "");
	if (reasoningWords.length + textWords.length > request.maxTokens) {
		finishReason = "length";
		stopped = undefined;
		if (reasoningWords.length >= request.maxTokens) {
			reasoning = reasoningWords.slice(0, request.maxTokens).join(" ");
			text = "";
		} else {
			text = textWords.slice(0, request.maxTokens - reasoningWords.length).join(" ");
		}
	}
	const reasoningTokens = reasoning === undefined ? 0 : countTokens(reasoning);
	return {
		text,
		...(reasoning !== undefined && { reasoning }),
		reasoningTokens,
		outputTokens: reasoningTokens + countTokens(text),
		finishReason,
		...(stopped !== undefined && { stopped }),
	};
}

function stopsOf(value: unknown): string[] {
	if (typeof value === "string") return [value];
	return Array.isArray(value) ? value.filter((s): s is string => typeof s === "string") : [];
}

function numberOr(value: unknown, fallback: number): number {
	return typeof value === "number" ? value : fallback;
}

function optionalNumber<K extends string>(key: K, value: unknown): Partial<Record<K, number>> {
	return typeof value === "number" ? ({ [key]: value } as Record<K, number>) : {};
}
