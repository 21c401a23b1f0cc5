/**
 * @module Text generation on the llama.cpp backend's sequences: greedy (temperature 0) or seeded
 * sampling from the full softmax at a temperature (no top-k, top-p or min-p cut, no repeat
 * penalty), stop strings, a token limit, and the generated token ids. A prompt's special-token
 * texts (as a chat template writes them) are read as special tokens; BOS is put before every
 * prompt when the model wants one, as for scoring.
 */
import type { LlamaContextSequence, LlamaModel, Token as LlamaToken } from "node-llama-cpp";
import {
	type BackendCounters,
	BackendError,
	type ChatMessage,
	type CompletionRequest,
	type CompletionResult,
	type SamplingSettings,
	type TextCompleter,
} from "../types.js";
import { addUsage } from "../usage.js";
import type { ChatTemplate } from "./chat-template.js";

/** What the completer needs of its backend: the model, its BOS and its pool of sequences. */
export interface GenerationHost {
	readonly model: LlamaModel;
	readonly bos: number | undefined;
	readonly counters: BackendCounters;
	withSequence<T>(
		signal: AbortSignal | undefined,
		work: (sequence: LlamaContextSequence) => Promise<T>,
	): Promise<T>;
}

/** Tokens of context before a new piece that the detokenizer sees, for the right spacing. */
const DETOKENIZE_CONTEXT = 8;

export class LlamaCompleter implements TextCompleter {
	constructor(
		private readonly host: GenerationHost,
		private readonly template: ChatTemplate,
	) {}

	async chatPrompt(messages: ChatMessage[]): Promise<string> {
		return this.template(messages);
	}

	async complete(requests: CompletionRequest[], signal?: AbortSignal): Promise<CompletionResult[]> {
		for (const request of requests) checkRequest(request);
		return Promise.all(
			requests.map((request) =>
				this.completeTokens(request.promptIds ?? this.promptIds(request.prompt), request, signal),
			),
		);
	}

	/** Generates after exactly `full` (BOS included where wanted); `request.prompt` is not read. */
	completeTokens(full: number[], request: SamplingSettings, signal?: AbortSignal): Promise<CompletionResult> {
		checkRequest(request);
		return this.host.withSequence(signal, (sequence) => this.completeOne(sequence, full, request, signal));
	}

	/** The prompt's ids as the completer evaluates them (BOS first where the model adds one). */
	promptIds(prompt: string): number[] {
		const ids = this.host.model.tokenize(prompt, true) as number[];
		if (this.host.bos === undefined || ids[0] === this.host.bos) return ids;
		return [this.host.bos, ...ids];
	}

	private async completeOne(
		sequence: LlamaContextSequence,
		full: number[],
		request: SamplingSettings,
		signal: AbortSignal | undefined,
	): Promise<CompletionResult> {
		const model = this.host.model;
		if (full.length === 0) {
			throw new BackendError("nothing to generate from: empty prompt and no BOS token", "unsupported");
		}
		if (full.length + request.maxTokens > sequence.contextSize) {
			throw new BackendError(
				`a prompt of ${full.length} tokens plus up to ${request.maxTokens} generated tokens exceeds the context window of ${sequence.contextSize}`,
				"context-overflow",
				"lower the token limit (or reasoning budget), or shorten the prompt",
			);
		}
		const counters = this.host.counters;
		counters.calls++;
		const usage = { inputTokens: full.length, outputTokens: 0 };
		if (request.maxTokens === 0) {
			addUsage(counters, usage);
			return { text: "", tokenIds: [], promptTokenIds: full, finishReason: "length", usage };
		}
		const feed = await alignSequence(sequence, full);
		const stops = (request.stop ?? []).filter((s) => s !== "");
		const tail = full.slice(-DETOKENIZE_CONTEXT) as LlamaToken[];
		const generated: LlamaToken[] = [];
		let finishReason: CompletionResult["finishReason"] = "length";
		let running = "";
		let stopAt: number | undefined;
		// Sampling from the full softmax; at temperature 0 llama.cpp takes the argmax, no cut needed.
		const sampling =
			request.temperature > 0
				? { temperature: request.temperature, seed: request.seed, topK: 0, topP: 1, minP: 0 }
				: {};
		const tokens = sequence.evaluate(feed as LlamaToken[], { ...sampling, yieldEogToken: true });
		for await (const token of tokens) {
			if (model.isEogToken(token)) {
				usage.outputTokens++;
				finishReason = "stop";
				break;
			}
			generated.push(token);
			usage.outputTokens++;
			if (stops.length > 0) {
				const before = running.length;
				const context = generated.length > 1 ? generated.slice(-1 - DETOKENIZE_CONTEXT, -1) : tail;
				running += model.detokenize([token], false, context);
				stopAt = firstStop(running, stops, before);
				if (stopAt !== undefined) {
					finishReason = "stop";
					break;
				}
			}
			if (generated.length >= request.maxTokens) break;
			if (signal?.aborted) throw new BackendError("generation was cancelled", "aborted");
		}
		// Tokens fed to the model: the prompt's tail plus every generated token but the last.
		counters.tokensEvaluated += feed.length + Math.max(0, usage.outputTokens - 1);
		addUsage(counters, usage);
		let text = model.detokenize(generated, false, tail);
		if (stopAt !== undefined) text = text.slice(0, firstStop(text, stops, 0) ?? stopAt);
		return { text, tokenIds: generated as number[], promptTokenIds: full, finishReason, usage };
	}
}

/**
 * Empties the sequence and returns `full`, all to evaluate from BOS in one call: what a previous
 * request left on the sequence never changes the batches, so a greedy or seeded generation depends
 * on its request alone (llama.cpp's numbers change with the shape of the batch).
 */
async function alignSequence(sequence: LlamaContextSequence, full: number[]): Promise<number[]> {
	await sequence.clearHistory();
	return full;
}

/** Where the earliest stop string starts in `text`, looking only at matches that end after `from`. */
function firstStop(text: string, stops: readonly string[], from: number): number | undefined {
	let best: number | undefined;
	for (const stop of stops) {
		const at = text.indexOf(stop, Math.max(0, from - stop.length + 1));
		if (at >= 0 && (best === undefined || at < best)) best = at;
	}
	return best;
}

function checkRequest(request: SamplingSettings): void {
	if (!Number.isInteger(request.maxTokens) || request.maxTokens < 0) {
		throw new RangeError(`maxTokens must be a whole number of at least 0, got ${request.maxTokens}`);
	}
	if (!(request.temperature >= 0)) {
		throw new RangeError(`temperature must be at least 0, got ${request.temperature}`);
	}
}
