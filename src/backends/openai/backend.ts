/**
 * @module The OpenAI-compatible Backend: scores prompts through `/v1/completions` echo requests
 * (`echo: true, logprobs: 1, max_tokens: 0`). Two dialects, chosen by the probe:
 * - "ids" (vLLM): `/tokenize` gives token ids, so the exact tokens the planner split are sent as
 *   token-id prompts (BOS prepended here, as vLLM adds none to id prompts);
 * - "text" (OpenAI `davinci-002` and others without `/tokenize`): context + continuation text is
 *   sent and the continuation's tokens are found by their offsets. Token ids are stable hashes of
 *   the token texts, since such servers never tell ids.
 * One HTTP request carries all of a request's continuations (or candidates) as a prompt list.
 */
import { createHash } from "node:crypto";
import { codePointLength } from "../../util/codepoints.js";
import type { Check, OpenAIClient } from "../http/client.js";
import { isNotComputed, LogprobFloorError } from "../logprob-floor.js";
import {
	type Backend,
	type BackendCounters,
	BackendError,
	type BackendInfo,
	type ContinuationRequest,
	type ContinuationScores,
	type NextTokenRequest,
	type TextCompleter,
	type Token,
	type TokenSeq,
} from "../types.js";
import { OpenAICompleter } from "./completer.js";
import { type EchoChoice, echoProblem, parseEcho } from "./echo.js";
import { promptSpans, type Span } from "./offsets.js";
import { readTokenizeAnswer, type ServerTraits } from "./traits.js";

export class OpenAIBackend implements Backend {
	readonly counters: BackendCounters = { tokensEvaluated: 0, calls: 0 };
	/** Token texts of hashed ids seen by `tokenize` ("text" dialect), to send next-token candidates. */
	private readonly pieces = new Map<number, string>();
	/** Generation through `/v1/completions` (see completer.ts). */
	readonly completer: TextCompleter;

	constructor(
		readonly info: BackendInfo,
		private readonly client: OpenAIClient,
		private readonly model: string,
		private readonly traits: ServerTraits,
	) {
		this.completer = new OpenAICompleter(client, model, traits, this.counters);
	}

	/** Requests to keep in flight: enough to let every replica's limit grow to its maximum. */
	get parallelism(): number {
		return this.client.pool.maxConcurrency;
	}

	async tokenize(text: string, signal?: AbortSignal): Promise<Token[]> {
		if (text === "") return [];
		const echo = this.echo([text], signal, (choice): Check<{ spans: Span[]; choice: EchoChoice }> => {
			const spans = promptSpans(text, choice, this.traits.leading);
			return spans.kind === "ok"
				? { kind: "ok", value: { spans: spans.spans, choice } }
				: retry(spans.reason);
		});
		if (this.traits.dialect === "text") {
			const [{ spans, choice }] = await echo;
			return spans.map((span, i) => {
				const piece = choice.tokens[this.traits.leading + i]!;
				const id = pieceId(piece);
				this.pieces.set(id, piece);
				return { id, ...span };
			});
		}
		const [ids, [{ spans }]] = await Promise.all([this.serverIds(text, signal), echo]);
		if (ids.length !== spans.length) {
			throw new BackendError(
				`the server's /tokenize gave ${ids.length} tokens for a text its echo shows as ${spans.length}`,
				"internal",
			);
		}
		return spans.map((span, i) => ({ id: ids[i]!, ...span }));
	}

	async scoreContinuations(
		requests: ContinuationRequest[],
		signal?: AbortSignal,
	): Promise<ContinuationScores[]> {
		return Promise.all(
			requests.map(async (request) => {
				if (request.continuations.length === 0) return { logprobs: [] };
				return { logprobs: await this.scoreTails(request.context, request.continuations, signal) };
			}),
		);
	}

	async nextTokenLogprobs(requests: NextTokenRequest[], signal?: AbortSignal): Promise<number[][]> {
		return Promise.all(
			requests.map(async (request) => {
				if (request.candidates.length === 0) return [];
				const tails = request.candidates.map((id) => ({ ids: [id], text: this.pieceOf(id) }));
				const scores = await this.scoreTails(request.context, tails, signal);
				return scores.map((s) => s[0]!);
			}),
		);
	}

	async dispose(): Promise<void> {
		this.client.pool.close(new BackendError("the backend was closed", "aborted"));
	}

	/** Log-probs of each tail's tokens after `context`, one echo request for all tails. */
	private async scoreTails(context: TokenSeq, tails: TokenSeq[], signal?: AbortSignal): Promise<number[][]> {
		if (context.ids.length === 0 && !this.info.addsBos) {
			throw new BackendError(
				"cannot score the first token of a text: this server puts no BOS token before prompts",
				"unsupported",
				"give every example a non-empty prompt",
			);
		}
		if (this.traits.dialect === "ids") {
			const prefix = [...this.traits.bosIds, ...context.ids];
			const prompts = tails.map((tail) => [...prefix, ...tail.ids]);
			this.count(prompts.reduce((n, p) => n + p.length, 0));
			return this.echo(prompts, signal, (choice, k) => this.tailLogprobs(choice, prompts[k]!, prefix.length));
		}
		const prompts = tails.map((tail) => context.text + tail.text);
		const join = codePointLength(context.text);
		this.count(
			prompts.reduce((n, _p, k) => n + this.traits.leading + context.ids.length + tails[k]!.ids.length, 0),
		);
		return this.echo(prompts, signal, (choice, k) => {
			const spans = promptSpans(prompts[k]!, choice, this.traits.leading);
			if (spans.kind === "problem") return retry(spans.reason);
			const first = spans.spans.findIndex((span) => span.start >= join);
			const expected = tails[k]!.ids.length;
			const found = first < 0 ? 0 : spans.spans.length - first;
			if (found !== expected) {
				return {
					kind: "fail",
					error: new BackendError(
						`the server split ${JSON.stringify(tails[k]!.text)} into ${found} tokens after its context, where its tokenizer gave ${expected}`,
						"internal",
					),
				};
			}
			const at = this.traits.leading + first;
			return present(choice.logprobs.slice(at, at + expected), at, this.info.name);
		});
	}

	/** Log-probs of `ids[from..]`, from `prompt_logprobs` (exact, keyed by id) or `token_logprobs`. */
	private tailLogprobs(choice: EchoChoice, ids: number[], from: number): Check<number[]> {
		if (choice.promptLogprobs && choice.promptLogprobs.length >= ids.length) {
			const values = ids.slice(from).map((id, i) => choice.promptLogprobs![from + i]?.[String(id)] ?? null);
			return present(values, from, this.info.name);
		}
		if (choice.tokens.length < ids.length) {
			return retry(`the answer echoes ${choice.tokens.length} of the prompt's ${ids.length} tokens`);
		}
		return present(choice.logprobs.slice(from, ids.length), from, this.info.name);
	}

	/** Sends prompts as one echo request; `check` reads each choice. */
	private async echo<P extends string | number[], T>(
		prompts: P[],
		signal: AbortSignal | undefined,
		check: (choice: EchoChoice, index: number) => Check<T>,
	): Promise<T[]> {
		this.counters.calls++;
		const body: Record<string, unknown> = {
			model: this.model,
			prompt: prompts,
			echo: true,
			logprobs: 1,
			max_tokens: 0,
			temperature: 0,
		};
		if (this.traits.promptLogprobs && typeof prompts[0] !== "string") body.prompt_logprobs = 0;
		return this.client.send(
			"completions",
			(answer) => {
				const parsed = parseEcho(answer, prompts.length);
				if (parsed.kind === "problem") return echoProblem(parsed);
				const values: T[] = [];
				for (let k = 0; k < prompts.length; k++) {
					const checked = check(parsed.choices[k]!, k);
					if (checked.kind !== "ok") return checked;
					values.push(checked.value);
				}
				return { kind: "ok", value: values };
			},
			{ body, signal },
		);
	}

	private serverIds(text: string, signal?: AbortSignal): Promise<number[]> {
		return this.client.send("/tokenize", readTokenizeAnswer, {
			body: { model: this.model, prompt: text, add_special_tokens: false },
			signal,
		});
	}

	private pieceOf(id: number): string {
		if (this.traits.dialect === "ids") return "";
		const piece = this.pieces.get(id);
		if (piece === undefined) {
			throw new BackendError(
				`token ${id} was not produced by this backend's tokenize, so its text is unknown to send`,
				"internal",
				"this server takes text only; clear the cached tokenizations of this model and run again",
			);
		}
		return piece;
	}

	private count(tokens: number): void {
		this.counters.tokensEvaluated += tokens;
	}
}

/** A stable id for a token text, for servers that never tell ids (31 bits of its sha256). */
export function pieceId(piece: string): number {
	return createHash("sha256").update(piece, "utf8").digest().readUInt32BE(0) >>> 1;
}

/**
 * Checks that every needed log-prob is there and computed: a missing one is never scored as zero
 * (retried: the server may give it next time), a floor such as vLLM's -9999 is refused at once.
 */
function present(
	values: Array<number | null | undefined>,
	firstPosition: number,
	model: string,
): Check<number[]> {
	const floor = values.findIndex((v) => typeof v === "number" && isNotComputed(v));
	if (floor >= 0)
		return {
			kind: "fail",
			error: new LogprobFloorError(model, firstPosition + floor, values[floor] as number),
		};
	const missing = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
	if (missing >= 0) return retry(`no log-probability for prompt token ${firstPosition + missing}`);
	return { kind: "ok", value: values as number[] };
}

function retry<T>(reason: string): Check<T> {
	return { kind: "retry", reason };
}
