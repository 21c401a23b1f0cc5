/**
 * @module A fast vLLM-like scoring server for measuring the remote path at scale: fixed answers
 * (one token per character, log-probs from a fixed formula), a set latency L per completions
 * request and a capacity of C requests at once — the shape of one GPU replica — with the requests
 * above capacity queued (as vLLM does) or refused with 429. It can die mid-run, as a replica does.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { json, listenLocally, readBody, readPrompts } from "./http.js";

export interface ScaleServerOptions {
	/** Served model name. Default "scale". */
	model?: string;
	/** Milliseconds each completions request takes once it is being served. */
	latencyMs: number;
	/** Completions requests served at once; more wait in a queue (or get 429). */
	capacity: number;
	/** What happens above capacity: wait in a FIFO queue (default) or get 429 with Retry-After. */
	overflow?: "queue" | "429";
	/** Seconds sent as Retry-After with a 429. Default "0". */
	retryAfter?: string;
}

export interface ScaleServerStats {
	/** Completions requests answered with scores. */
	completions: number;
	/** `/tokenize` requests answered. */
	tokenizations: number;
	/** Completions refused for being over capacity. */
	refused: number;
	/** Most completions being served at once. */
	peakInFlight: number;
	/** Requests answered (completions and tokenizations) before `capacity` were first in service at once (null: never). */
	reachedCapacityAt: number | null;
	/** Milliseconds during which at least one completions request was in service. */
	busyMs: number;
	/** ∫ requests in service dt, in request-milliseconds, up to `at`: occupancy over a window is its change ÷ (C · window). */
	inServiceMs: number;
	/** `performance.now()` of this server's process when the stats were read. */
	at: number;
	/** Mean time a request spent in service, in milliseconds (L, plus any lag of a loaded machine). */
	meanServiceMs: number;
}

export interface ScaleServer {
	readonly baseUrl: string;
	readonly stats: ScaleServerStats;
	/** Dies as a crashed replica does: open connections drop and new ones are refused. */
	kill(): Promise<void>;
	close(): Promise<void>;
}

/** The id every sequence starts with, shown as `<s>` with a null log-prob, as vLLM shows Llama's BOS. */
export const SCALE_BOS = 1;
const BOS_TEXT = "<s>";
/** Ids below this are special; a character's id is its code point plus this. */
const FIRST_CHAR_ID = 10;

/** One id per character (code point). */
export function scaleTokenize(text: string): number[] {
	return Array.from(text, (c) => c.codePointAt(0)! + FIRST_CHAR_ID);
}

/**
 * The log-probability the server gives token `id` after token `previous`: fixed, between −1 and
 * about −4, and dependent on the context so that a boundary error changes the numbers.
 */
export function scaleLogprob(previous: number, id: number): number {
	return -(1 + ((previous * 31 + id) % 97) / 32);
}

export async function startScaleServer(options: ScaleServerOptions): Promise<ScaleServer> {
	const model = options.model ?? "scale";
	const stats: ScaleServerStats = {
		completions: 0,
		tokenizations: 0,
		refused: 0,
		peakInFlight: 0,
		reachedCapacityAt: null,
		busyMs: 0,
		inServiceMs: 0,
		at: 0,
		meanServiceMs: 0,
	};
	let inFlight = 0;
	let servedMs = 0;
	let changedAt = performance.now();
	/** Adds the time since the last change at the current number in service. */
	const integrate = () => {
		const now = performance.now();
		stats.inServiceMs += inFlight * (now - changedAt);
		changedAt = now;
	};
	let busySince = 0;
	const waiting: Array<() => void> = [];

	/** Holds one of `capacity` slots for `latencyMs`, queued behind earlier requests when full. */
	const serve = async (): Promise<boolean> => {
		if (inFlight >= options.capacity) {
			if (options.overflow === "429") return false;
			await new Promise<void>((resolve) => waiting.push(resolve));
		}
		if (inFlight === 0) busySince = performance.now();
		integrate();
		inFlight++;
		const began = performance.now();
		stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
		if (inFlight >= options.capacity && stats.reachedCapacityAt === null)
			stats.reachedCapacityAt = stats.completions + stats.tokenizations;
		await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
		integrate();
		inFlight--;
		servedMs += performance.now() - began;
		if (inFlight === 0) stats.busyMs += performance.now() - busySince;
		waiting.shift()?.();
		return true;
	};

	const echo = (prompt: string | number[], asIds: boolean) => {
		const ids = typeof prompt === "string" ? [SCALE_BOS, ...scaleTokenize(prompt)] : prompt;
		const strings = ids.map((id) =>
			asIds ? `token_id:${id}` : id === SCALE_BOS ? BOS_TEXT : String.fromCodePoint(id - FIRST_CHAR_ID),
		);
		const logprobs = ids.map((id, i) => (i === 0 ? null : scaleLogprob(ids[i - 1]!, id)));
		const offsets: number[] = [];
		let at = 0;
		for (const s of strings) {
			offsets.push(at);
			at += Array.from(s).length;
		}
		return {
			text: strings.join(""),
			logprobs: {
				tokens: strings,
				token_logprobs: logprobs,
				top_logprobs: logprobs.map((lp, i) => (lp === null ? null : { [strings[i]!]: lp })),
				text_offset: offsets,
			},
			finish_reason: "length",
		};
	};

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const raw = await readBody(req);
		const url = new URL(req.url ?? "/", "http://localhost");
		if (req.method === "GET" && url.pathname === "/v1/models") {
			return json(res, 200, { object: "list", data: [{ id: model, object: "model", max_model_len: 8192 }] });
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw) as Record<string, unknown>;
		} catch {
			return json(res, 400, { error: { message: "request body is not JSON" } });
		}
		if (req.method === "POST" && url.pathname === "/tokenize") {
			stats.tokenizations++;
			const ids = scaleTokenize(String(body.prompt ?? ""));
			const tokens = body.add_special_tokens === false ? ids : [SCALE_BOS, ...ids];
			return json(res, 200, { tokens, count: tokens.length, max_model_len: 8192 });
		}
		if (req.method === "POST" && url.pathname === "/v1/completions") {
			if (!(await serve())) {
				stats.refused++;
				res.setHeader("retry-after", options.retryAfter ?? "0");
				return json(res, 429, { error: { message: "over capacity", type: "rate_limit_error" } });
			}
			const prompts = readPrompts(body.prompt);
			if (!prompts)
				return json(res, 400, { error: { message: "prompt must be text, token ids or a list of them" } });
			const choices = prompts.map((p, index) => ({
				index,
				...echo(p, body.return_tokens_as_token_ids === true),
			}));
			stats.completions++;
			return json(res, 200, { id: `cmpl-${stats.completions}`, object: "text_completion", model, choices });
		}
		json(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
	};

	const server = await listenLocally(handle, (res, message) => json(res, 500, { error: { message } }));
	const stop = server.close;
	return {
		baseUrl: server.baseUrl,
		get stats() {
			integrate();
			stats.at = changedAt;
			stats.meanServiceMs = stats.completions > 0 ? servedMs / stats.completions : 0;
			return stats;
		},
		kill: stop,
		close: stop,
	};
}
