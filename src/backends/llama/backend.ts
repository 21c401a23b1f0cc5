/**
 * @module The llama.cpp backend (in-process, via node-llama-cpp). Each request's context is
 * evaluated once; every continuation then runs on top of that state and is erased again, so an
 * example with K classes costs one prompt plus K short continuations. Several examples run at once,
 * each on its own single-sequence context with its share of the threads (on a CPU, one example's
 * probabilities are read while another's tokens are decoded).
 *
 * Scores are byte-identical however examples are scheduled: llama.cpp's results for a token depend
 * on the shape of the batch it was decoded in (flash attention switches kernels with the batch
 * size; a single-token batch takes another matrix path), so an example is never evaluated on top of
 * whatever another example left in the KV cache. Every context is evaluated from BOS in one call
 * (cut into fixed batches by node-llama-cpp), alone in its context; a declared shared prefix is
 * evaluated once per context, from BOS, and each example's remainder in one call on top of it
 * (padded to 64 tokens where llama.cpp's CPU flash attention is slow below that: rest-batch.ts).
 */
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, extname } from "node:path";
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token as LlamaToken } from "node-llama-cpp";
import { codePointLength } from "../../util/codepoints.js";
import { fileIdentity } from "../file-identity.js";
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
} from "../types.js";
import { resolveChatTemplate } from "./chat-template.js";
import { LlamaCompleter } from "./generate.js";
import { type GgufModelInfo, readGgufModelInfo } from "./gguf-info.js";
import { FLASH_ATTENTION_TILE, restBatchTokens } from "./rest-batch.js";
import { llamaRuntime } from "./runtime.js";
import { bpePieceDecoder, offsetsFromPieces, type PieceDecoder, spmPieceDecoder } from "./token-offsets.js";

export interface LlamaBackendOptions {
	/**
	 * "fast" (default): llama.cpp's defaults, f16 KV cache and flash attention on "auto".
	 * "exact": f32 KV cache and no flash attention, for numbers that reproduce across machines.
	 */
	precision?: "fast" | "exact";
	/**
	 * Context window to allocate per sequence, in tokens. Default: what `prepare` asks for, else the
	 * model's training context capped at 4096.
	 */
	contextSize?: number;
	/**
	 * Examples in flight, each on its own context. Default 4. On a CPU at most one per thread, each
	 * context with `threads / n` threads.
	 */
	sequences?: number;
	/** Display name; default: the file name without `.gguf`. */
	name?: string;
	/** CPU threads; default: every core (`os.availableParallelism()`). */
	threads?: number;
}

/** Opens a GGUF model file, failing with a clear BackendError when it is missing or unreadable. */
export async function openLlamaBackend(
	path: string,
	options: LlamaBackendOptions = {},
): Promise<LlamaCppBackend> {
	const stats = await stat(path).catch(() => undefined);
	if (!stats?.isFile()) {
		throw new BackendError(
			`model file not found: ${path}`,
			"model-missing",
			"check the path, or download it with `invscale pull`",
		);
	}
	let gguf: GgufModelInfo;
	try {
		gguf = await readGgufModelInfo(path);
	} catch (error) {
		throw new BackendError(
			`not a readable GGUF model file: ${path} (${error instanceof Error ? error.message : String(error)})`,
			"model-corrupt",
			"the file may be truncated or not a GGUF file: download it again",
		);
	}
	const llama = await llamaRuntime();
	let model: LlamaModel;
	try {
		model = await llama.loadModel({ modelPath: path });
	} catch (error) {
		throw new BackendError(
			`llama.cpp could not load ${path}: ${error instanceof Error ? error.message : String(error)}`,
			"model-corrupt",
			"the file may be truncated, or its architecture unsupported by this llama.cpp build",
		);
	}
	const identity = await fileIdentity(path);
	const info: BackendInfo = {
		name: options.name ?? basename(path, extname(path)),
		identity,
		kind: "llama.cpp",
		parameters: gguf.parameters,
		nonEmbeddingParameters: gguf.nonEmbeddingParameters,
		contextLength: model.trainContextSize,
		vocabSize: gguf.vocabSize,
		tokenizer: gguf.tokenizer,
		addsBos: model.tokens.shouldPrependBosToken && model.tokens.bos != null,
	};
	const backend = new LlamaCppBackend(model, info, gguf, options);
	backend.completer = new LlamaCompleter(
		{
			model,
			bos: info.addsBos ? (model.tokens.bos ?? undefined) : undefined,
			counters: backend.counters,
			// Generation changes what the sequence holds: the declared prefix must be evaluated again.
			withSequence: (signal, work) =>
				backend.withSlot(signal, (slot) => {
					slot.prefix = undefined;
					return work(slot.sequence);
				}),
		},
		(await resolveChatTemplate(model)).render,
	);
	return backend;
}

/** Tokens a context decodes per batch: node-llama-cpp's default, fixed so batches never vary. */
const BATCH_TOKENS = 512;

/** A pool entry: a single-sequence context, and the shared prefix its KV cache holds. */
interface Slot {
	sequence: LlamaContextSequence;
	/** BOS + the declared shared prefix, evaluated alone from BOS, and the distribution after it. */
	prefix?: { tokens: number[]; next: Map<LlamaToken, number> };
}

export class LlamaCppBackend implements Backend {
	readonly counters: BackendCounters = { tokensEvaluated: 0, calls: 0 };
	/** Generation on the same sequences as scoring (see generate.ts); set by `openLlamaBackend`. */
	completer?: LlamaCompleter & TextCompleter;
	private readonly contexts: LlamaContext[] = [];
	private contextPromise: Promise<LlamaContext> | undefined;
	private readonly free: Slot[] = [];
	private readonly waiting: Array<(slot: Slot) => void> = [];
	private readonly decodePiece: PieceDecoder | undefined;
	private readonly bos: number | undefined;
	private plannedContext: number | undefined;

	constructor(
		readonly model: LlamaModel,
		readonly info: BackendInfo,
		gguf: GgufModelInfo,
		private readonly options: LlamaBackendOptions,
	) {
		this.bos = info.addsBos ? (model.tokens.bos ?? undefined) : undefined;
		this.decodePiece =
			gguf.tokenizerModel === "llama"
				? spmPieceDecoder(gguf.tokens, gguf.tokenTypes)
				: gguf.tokenizerModel === "gpt2"
					? bpePieceDecoder(gguf.tokens, gguf.tokenTypes)
					: undefined;
	}

	/** Sequences in flight; callers keep about this many requests in flight. */
	get parallelism(): number {
		return this.layout.contexts;
	}

	/**
	 * One sequence per context everywhere: sequences of one context are decoded in shared batches,
	 * whose shape (and so the last bits of every score in them) depends on what else is in flight.
	 * Every context gets the same threads (the split-KV attention of a single token depends on them).
	 */
	private get layout(): { contexts: number; threadsPerContext: number } {
		const sequences = Math.max(1, this.options.sequences ?? 4);
		// Always explicit: node-llama-cpp's own default spins far slower on a loaded CPU.
		const threads = Math.max(1, this.options.threads ?? availableParallelism());
		if (this.model.llama.gpu !== false) return { contexts: sequences, threadsPerContext: threads };
		const contexts = Math.min(sequences, threads);
		return { contexts, threadsPerContext: Math.max(1, Math.floor(threads / contexts)) };
	}

	async prepare(hint: { maxSequenceTokens: number }): Promise<void> {
		if (this.options.contextSize !== undefined) return;
		// Allocate only what the run needs: KV memory grows with the window times the contexts.
		// Room for a short rest's padding on top of a shared prefix too (see rest-batch.ts).
		const needed = hint.maxSequenceTokens + (this.smallBatchesSlow ? FLASH_ATTENTION_TILE : 0);
		const wanted = Math.min(this.model.trainContextSize, Math.ceil(needed / 256) * 256);
		if (!this.contextPromise) {
			this.plannedContext = wanted;
			return;
		}
		// A later task with longer sequences: new, larger contexts (called between tasks, nothing in
		// flight). Scores do not change with the window: attention spans the cells in use, padded to 256.
		const current = await this.contextPromise;
		if (current.contextSize >= wanted) return;
		this.contextPromise = undefined;
		this.free.length = 0;
		for (const context of this.contexts.splice(0)) await context.dispose();
		this.plannedContext = wanted;
	}

	async tokenize(text: string): Promise<Token[]> {
		const ids = this.model.tokenize(text, false) as number[];
		const fast = this.decodePiece ? offsetsFromPieces(text, ids, this.decodePiece) : undefined;
		return fast ?? this.offsetsByDetokenizing(text, ids);
	}

	/** Slow but general: the length of each detokenized prefix gives every token's end. */
	private offsetsByDetokenizing(text: string, ids: number[]): Token[] {
		const full = codePointLength(text);
		const decoded = codePointLength(this.model.detokenize(ids as LlamaToken[]));
		const shift = decoded - full; // a space prefix the tokenizer added
		const tokens: Token[] = [];
		let previous = 0;
		for (let i = 0; i < ids.length; i++) {
			const end = Math.max(
				0,
				codePointLength(this.model.detokenize(ids.slice(0, i + 1) as LlamaToken[])) - shift,
			);
			tokens.push({ id: ids[i], start: Math.min(previous, end), end });
			previous = end;
		}
		return tokens;
	}

	async scoreContinuations(
		requests: ContinuationRequest[],
		signal?: AbortSignal,
	): Promise<ContinuationScores[]> {
		return Promise.all(
			requests.map((request) => this.withSlot(signal, (slot) => this.scoreOne(slot, request))),
		);
	}

	async nextTokenLogprobs(requests: NextTokenRequest[], signal?: AbortSignal): Promise<number[][]> {
		return Promise.all(
			requests.map((request) =>
				this.withSlot(signal, async (slot) => {
					const next = await this.evaluateContext(slot, request.context.ids, request.sharedPrefixTokens);
					return request.candidates.map((id) => logOf(next, id));
				}),
			),
		);
	}

	private async scoreOne(slot: Slot, request: ContinuationRequest): Promise<ContinuationScores> {
		const next = await this.evaluateContext(slot, request.context.ids, request.sharedPrefixTokens);
		const base = slot.sequence.nextTokenIndex;
		const logprobs: number[][] = [];
		for (const continuation of request.continuations) {
			const ids = continuation.ids;
			if (ids.length === 0) {
				logprobs.push([]);
				continue;
			}
			const scores = [logOf(next, ids[0])];
			if (ids.length > 1) {
				// The last token only needs to be read, never evaluated: its probability comes from the one before.
				const feed = ids.slice(0, -1);
				const results = await slot.sequence.controlledEvaluate(
					feed.map((id) => [id as LlamaToken, { generateNext: { probabilities: true } }]),
				);
				this.counters.tokensEvaluated += feed.length;
				for (let i = 0; i < feed.length; i++) {
					const probabilities = results[i]?.next.probabilities;
					if (!probabilities) throw new BackendError("llama.cpp returned no probabilities", "internal");
					scores.push(logOf(probabilities, ids[i + 1]));
				}
				await slot.sequence.eraseContextTokenRanges([{ start: base, end: slot.sequence.nextTokenIndex }]);
			}
			logprobs.push(scores);
		}
		return { logprobs };
	}

	/**
	 * Brings the sequence's KV state to BOS + `context` and returns the next-token distribution after
	 * the last context token. Without a shared prefix the sequence starts empty and the whole context
	 * is one call; with one, the prefix is kept (or evaluated alone, from an empty sequence) and the
	 * rest of the context is one call on top of it. Either way the batches, and so the numbers,
	 * depend on the request alone.
	 */
	private async evaluateContext(
		slot: Slot,
		context: number[],
		sharedPrefixTokens = 0,
	): Promise<Map<LlamaToken, number>> {
		this.counters.calls++;
		const full = this.bos === undefined ? context : [this.bos, ...context];
		if (full.length === 0) {
			throw new BackendError("nothing to condition on: empty context and no BOS token", "unsupported");
		}
		if (
			!Number.isInteger(sharedPrefixTokens) ||
			sharedPrefixTokens < 0 ||
			sharedPrefixTokens > context.length
		) {
			throw new BackendError(
				`sharedPrefixTokens is ${sharedPrefixTokens}, but the context has ${context.length} tokens`,
				"internal",
				"declare a whole number of tokens no longer than the shortest context",
			);
		}
		const ctx = await this.ensureContext();
		if (full.length > ctx.contextSize) {
			throw new BackendError(
				`sequence of ${full.length} tokens exceeds the context window of ${ctx.contextSize}`,
				"context-overflow",
			);
		}
		if (sharedPrefixTokens === 0) {
			slot.prefix = undefined;
			await slot.sequence.clearHistory();
			return this.evaluateTokens(slot, full);
		}
		const prefixLength = full.length - context.length + sharedPrefixTokens;
		const prefix = full.slice(0, prefixLength);
		const rest = full.slice(prefixLength);
		if (slot.prefix && sameTokens(slot.prefix.tokens, prefix)) {
			const end = slot.sequence.nextTokenIndex;
			if (end > prefixLength) await slot.sequence.eraseContextTokenRanges([{ start: prefixLength, end }]);
		} else {
			slot.prefix = undefined;
			await slot.sequence.clearHistory();
			slot.prefix = { tokens: prefix, next: await this.evaluateTokens(slot, prefix) };
		}
		if (rest.length === 0) return slot.prefix.next;
		const batch = restBatchTokens({
			rest: rest.length,
			full: full.length,
			room: ctx.contextSize,
			smallBatchesSlow: this.smallBatchesSlow,
		});
		if (batch === rest.length) return this.evaluateTokens(slot, rest);
		// Padded after the rest (causal attention keeps it from changing the rest), then erased.
		const padding = new Array<number>(batch - rest.length).fill(rest[rest.length - 1]);
		const next = await this.evaluateTokens(slot, [...rest, ...padding], rest.length - 1);
		await slot.sequence.eraseContextTokenRanges([{ start: full.length, end: slot.sequence.nextTokenIndex }]);
		return next;
	}

	/** Flash attention on a CPU: batches under 64 queries take a slow kernel (see rest-batch.ts). */
	private get smallBatchesSlow(): boolean {
		return this.options.precision !== "exact" && this.model.llama.gpu === false;
	}

	/** Appends `tokens` to the sequence in one call; the distribution after token `read` (default the last). */
	private async evaluateTokens(
		slot: Slot,
		tokens: number[],
		read = tokens.length - 1,
	): Promise<Map<LlamaToken, number>> {
		const results = await slot.sequence.controlledEvaluate(
			tokens.map((id, i) =>
				i === read ? [id as LlamaToken, { generateNext: { probabilities: true } }] : (id as LlamaToken),
			),
		);
		this.counters.tokensEvaluated += tokens.length;
		const probabilities = results[read]?.next.probabilities;
		if (!probabilities) throw new BackendError("llama.cpp returned no probabilities", "internal");
		return probabilities;
	}

	private ensureContext(): Promise<LlamaContext> {
		this.contextPromise ??= (async () => {
			const exact = this.options.precision === "exact";
			const layout = this.layout;
			for (let c = 0; c < layout.contexts; c++) {
				const contextSize = Math.min(
					this.options.contextSize ?? this.plannedContext ?? 4096,
					this.model.trainContextSize,
				);
				const context = await this.model.createContext({
					contextSize,
					batchSize: Math.min(contextSize, BATCH_TOKENS),
					sequences: 1,
					threads: layout.threadsPerContext,
					...(exact
						? {
								flashAttention: false,
								experimentalKvCacheKeyType: "F32",
								experimentalKvCacheValueType: "F32",
							}
						: {}),
				});
				this.contexts.push(context);
				this.free.push({ sequence: context.getSequence() });
			}
			return this.contexts[0];
		})();
		return this.contextPromise;
	}

	/** Runs `work` on a free sequence (waiting for one); for the completer too. */
	async withSlot<T>(signal: AbortSignal | undefined, work: (slot: Slot) => Promise<T>): Promise<T> {
		await this.ensureContext();
		if (signal?.aborted) throw new BackendError("scoring was cancelled", "aborted");
		const slot = this.free.pop() ?? (await new Promise<Slot>((resolve) => this.waiting.push(resolve)));
		try {
			return await work(slot);
		} finally {
			// Hand the slot straight to the next waiter, so a throwing job never leaks it.
			const waiter = this.waiting.shift();
			if (waiter) waiter(slot);
			else this.free.push(slot);
		}
	}

	async dispose(): Promise<void> {
		for (const context of this.contexts) await context.dispose();
		await this.model.dispose();
	}
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
	return a.length === b.length && a.every((id, i) => id === b[i]);
}

function logOf(probabilities: Map<LlamaToken, number>, id: number): number {
	const p = probabilities.get(id as LlamaToken);
	if (p === undefined) throw new BackendError(`token ${id} is outside the model's vocabulary`, "internal");
	return Math.log(p);
}
