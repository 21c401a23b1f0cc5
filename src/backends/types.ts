/**
 * @module The Backend seam: the one interface every model goes through (llama.cpp in-process,
 * OpenAI-compatible servers, transformers.js). It knows tokens and log-probabilities, never task
 * types or metrics.
 */

/** One token of a tokenized text. Offsets are in Unicode code points, not UTF-16 units. */
export interface Token {
	id: number;
	/** Code-point offset of the first character this token covers in the tokenized text. */
	start: number;
	/** Code-point offset one past the last character this token covers. */
	end: number;
}

/** A token sequence plus the exact text it came from, for servers that score text rather than ids. */
export interface TokenSeq {
	ids: number[];
	text: string;
}

/**
 * Score every continuation given one shared context. The backend prepends its BOS token itself
 * when `BackendInfo.addsBos` is true, so `context` holds the prompt's tokens only.
 */
export interface ContinuationRequest {
	context: TokenSeq;
	continuations: TokenSeq[];
	/**
	 * How many leading tokens of `context` other requests of the run share (a few-shot demonstration
	 * block). The llama.cpp backend keeps that prefix in each context, evaluated alone from BOS in one
	 * call (again only when a request brings another prefix), and evaluates each request's rest on
	 * top of it in one call, so scores are byte-identical from run to run; they differ from an
	 * undeclared evaluation only in their last bits (other batches). Cache keys and other backends
	 * ignore it.
	 */
	sharedPrefixTokens?: number;
}

/** Log-probability (natural log, softmax over the full vocabulary) of each continuation token. */
export interface ContinuationScores {
	/** One array per continuation, one entry per continuation token, in order. */
	logprobs: number[][];
}

/** Next-token log-probabilities of the candidate ids right after `context`. */
export interface NextTokenRequest {
	context: TokenSeq;
	candidates: number[];
	/**
	 * How many leading tokens of `context` other requests of the run share (a few-shot demonstration
	 * block). The llama.cpp backend keeps that prefix in each context, evaluated alone from BOS in one
	 * call (again only when a request brings another prefix), and evaluates each request's rest on
	 * top of it in one call, so scores are byte-identical from run to run; they differ from an
	 * undeclared evaluation only in their last bits (other batches). Cache keys and other backends
	 * ignore it.
	 */
	sharedPrefixTokens?: number;
}

export type TokenizerKind = "spm" | "bpe" | "wpm" | "ugm" | "rwkv" | "server" | "unknown";

export interface BackendInfo {
	/** Display name, e.g. the file name without extension or the served model name. */
	name: string;
	/** Stable identity for caching and provenance: `sha256:<hex>` of a model file, or `endpoint|model|revision`. */
	identity: string;
	kind: "llama.cpp" | "openai" | "anthropic" | "transformers.js";
	parameters?: number;
	nonEmbeddingParameters?: number;
	/** Tokens one sequence may hold: the model's training context (or the server's limit). */
	contextLength: number;
	vocabSize?: number;
	tokenizer: TokenizerKind;
	/** Whether the backend puts a BOS token before every context. */
	addsBos: boolean;
	/** False where the ladder marks the model as one that does not reason (`reasoning: false`): no reasoning control is ever sent. */
	reasoning?: false;
	/** Chat servers: the API dialect spoken (see `OPENAI_DIALECTS`), from the ladder or the host. */
	dialect?: string;
}

/** Counters a backend keeps so runs can report the work they did. */
export interface BackendCounters {
	/** Tokens pushed through the model (prompt tokens + continuation tokens, BOS included). */
	tokensEvaluated: number;
	/** Requests (one context each) that reached the model, not answered from a cache. */
	calls: number;
	/** Tokens of the generations that reached the model, summed; absent on backends that only score. */
	generation?: GenerationCounters;
}

/**
 * Token counts summed over several generations. A count some of them lacked is unknown: its total
 * is null (never a partial sum, never 0), and `missing` says how many lacked it.
 */
export interface UsageTotals {
	inputTokens: number | null;
	outputTokens: number | null;
	/** Part of `outputTokens` spent reasoning. */
	reasoningTokens: number | null;
	/** How many of the summed generations lacked each count. */
	missing: { inputTokens: number; outputTokens: number; reasoningTokens: number };
	/** How many reasoning counts in the total were derived, or estimated, rather than reported (see TokenUsage). */
	reasoningTokensDerived: number;
	reasoningTokensEstimated: number;
}

/** Token usage of generation requests summed over a backend's life (work done, never cache hits). */
export interface GenerationCounters extends UsageTotals {
	requests: number;
}

export interface Backend {
	readonly info: BackendInfo;
	readonly counters: BackendCounters;
	/** Requests the backend serves at once; callers keep about this many in flight. Default 1. */
	readonly parallelism?: number;
	/**
	 * Called once before scoring with the longest sequence (BOS + context + continuation) the run will
	 * send, so an in-process backend can size its memory. Optional.
	 */
	prepare?(hint: { maxSequenceTokens: number }): Promise<void>;
	/** Tokenize `text` without adding BOS; offsets in code points. */
	tokenize(text: string, signal?: AbortSignal): Promise<Token[]>;
	/** Score many requests; results are in request order. Implementations may batch them. */
	scoreContinuations(requests: ContinuationRequest[], signal?: AbortSignal): Promise<ContinuationScores[]>;
	/** Next-token log-probabilities of candidates; results are in request order. */
	nextTokenLogprobs(requests: NextTokenRequest[], signal?: AbortSignal): Promise<number[][]>;
	/** Raw text continuation, where the backend can generate (llama.cpp, `/v1/completions`). */
	readonly completer?: TextCompleter;
	/** Chat generation, where the backend speaks a chat API. */
	readonly chat?: ChatGenerator;
	dispose(): Promise<void>;
}

/** A typed backend failure, so callers never match on message text. */
export class BackendError extends Error {
	constructor(
		message: string,
		readonly code:
			| "model-missing"
			| "model-corrupt"
			| "context-overflow"
			| "unsupported"
			| "server"
			| "network"
			| "aborted"
			| "internal",
		readonly hint?: string,
	) {
		super(message);
		this.name = "BackendError";
	}
}

// ─── Generation: the capabilities of backends that write text, beside scoring ───────────────

/** One message of a chat conversation. */
export interface ChatMessage {
	role: "system" | "user" | "assistant";
	content: string;
}

/** Sampling shared by every kind of generation. `temperature: 0` is greedy decoding. */
export interface SamplingSettings {
	/** Most tokens to generate. */
	maxTokens: number;
	temperature: number;
	/** Seed of a sampled generation; recorded so a sample can be drawn again. */
	seed?: number;
	/** Generation stops before any of these strings; the stop string is not part of the text. */
	stop?: string[];
	/**
	 * Which of several samples of one request this is (0, 1, …). Backends do not read it; it keeps
	 * samples apart in the generation cache, so give each sample its own index (and seed).
	 */
	sample?: number;
}

/**
 * Tokens a generation request used, as the server or llama.cpp counted them. null: the answer did
 * not say (a response without `usage`); an unknown count is never 0.
 */
export interface TokenUsage {
	inputTokens: number | null;
	outputTokens: number | null;
	/** Part of `outputTokens` spent reasoning; null or absent where nobody can tell. */
	reasoningTokens?: number | null;
	/**
	 * How `reasoningTokens` was found where the API does not report it: "derived" (`outputTokens`
	 * minus the answer's tokens as the API's own tokenizer counts them, or 0 where no reasoning was
	 * produced), "estimated" (the answer's tokens guessed from its length). Absent: reported.
	 */
	reasoningTokensFrom?: "derived" | "estimated";
}

/** Continue a text exactly as given (llama.cpp in-process, `/v1/completions`). */
export interface CompletionRequest extends SamplingSettings {
	prompt: string;
	/**
	 * The prompt's exact tokens (BOS first where the model wants one), e.g. an earlier result's
	 * `promptTokenIds` + `tokenIds`, so a continuation starts from exactly the tokens generated,
	 * not from a re-tokenization of their text. Backends that take token ids (llama.cpp, vLLM)
	 * send these instead of tokenizing `prompt`; text-only servers send `prompt`. Give both.
	 */
	promptIds?: number[];
}

export interface CompletionResult {
	text: string;
	/**
	 * Ids of the generated tokens, in order, when the backend exposes them: every token generated,
	 * up to and including the one that completed a stop string; an end-of-generation token is not
	 * listed (it ends the text with finishReason "stop").
	 */
	tokenIds?: number[];
	/** Ids of the prompt as the model read them (BOS included where added), when the backend exposes them. */
	promptTokenIds?: number[];
	finishReason: "stop" | "length";
	usage: TokenUsage;
}

/**
 * Raw text continuation, where invscale controls the whole text (so a reasoning budget can be
 * forced: generate up to B tokens, then append the end-of-thinking marker and the answer cue).
 */
export interface TextCompleter {
	/** The model's chat template applied to `messages`, ending with the assistant's turn opened. */
	chatPrompt(messages: ChatMessage[]): Promise<string>;
	complete(requests: CompletionRequest[], signal?: AbortSignal): Promise<CompletionResult[]>;
}

/** A chat request, with the API's own reasoning controls where it has them. */
export interface ChatRequest extends SamplingSettings {
	messages: ChatMessage[];
	reasoning?: {
		/** Anthropic `thinking.budget_tokens`; vLLM `thinking_token_budget` where served. */
		budgetTokens?: number;
		/** OpenAI `reasoning_effort` (`minimal`, `low`, `medium`, `high`). */
		effort?: string;
		/** Turn reasoning off where the API allows it (budget 0). */
		disabled?: boolean;
	};
}

export interface ChatResult {
	/** The final answer, without the reasoning. */
	text: string;
	/** The reasoning text, when the API returns it (vLLM `reasoning`, Anthropic thinking blocks). */
	reasoning?: string;
	finishReason: "stop" | "length";
	usage: TokenUsage;
}

/** Chat generation (OpenAI-compatible `/v1/chat/completions`, the Anthropic Messages API). */
export interface ChatGenerator {
	chat(requests: ChatRequest[], signal?: AbortSignal): Promise<ChatResult[]>;
}
