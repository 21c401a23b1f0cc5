/**
 * @module The scoring half of the Backend seam for backends that only generate (chat APIs): every
 * scoring method refuses with a BackendError that says why and what to use instead.
 */
import {
	type Backend,
	BackendError,
	type BackendInfo,
	type ContinuationScores,
	type Token,
} from "./types.js";

/** Backend methods that refuse scoring; a chat backend spreads them into itself. */
export abstract class GenerationOnlyBackend
	implements Pick<Backend, "tokenize" | "scoreContinuations" | "nextTokenLogprobs">
{
	abstract readonly info: BackendInfo;

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
