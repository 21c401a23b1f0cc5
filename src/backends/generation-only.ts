/**
 * @module What every backend that only generates (a chat API behind the shared HTTP client) has in
 * common: scoring methods that refuse with a BackendError saying why and what to use instead, and
 * the client's lifecycle (requests kept in flight, closing).
 */
import type { HttpClient } from "./http/client.js";
import {
	type Backend,
	type BackendCounters,
	BackendError,
	type BackendInfo,
	type ContinuationScores,
	type Token,
} from "./types.js";

/** The base of a chat backend: it adds its `chat` generator; scoring is refused. */
export abstract class GenerationOnlyBackend
	implements
		Pick<Backend, "tokenize" | "scoreContinuations" | "nextTokenLogprobs" | "parallelism" | "dispose">
{
	abstract readonly info: BackendInfo;
	readonly counters: BackendCounters = { tokensEvaluated: 0, calls: 0 };

	constructor(protected readonly client: HttpClient) {}

	/** Requests to keep in flight: enough to let every replica's limit grow to its maximum. */
	get parallelism(): number {
		return this.client.pool.maxConcurrency;
	}

	async dispose(): Promise<void> {
		this.client.pool.close(new BackendError("the backend was closed", "aborted"));
	}

	async tokenize(): Promise<Token[]> {
		throw this.refusal();
	}

	async scoreContinuations(): Promise<ContinuationScores[]> {
		throw this.refusal();
	}

	async nextTokenLogprobs(): Promise<number[][]> {
		throw this.refusal();
	}

	private refusal(): BackendError {
		return new BackendError(
			`${this.info.name} answers chat requests only: its API gives no prompt log-probabilities to score with`,
			"unsupported",
			"ask its tasks as questions (generation), or score with a model file or a /v1/completions server that returns log-probs",
		);
	}
}
