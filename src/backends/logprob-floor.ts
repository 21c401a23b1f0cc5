/**
 * @module Log-probs a server marks as not computed: vLLM answers -9999 for a prompt token outside the
 * log-probs it computed (OpenAI documents the same floor), and some servers send null-like markers
 * ("-inf", NaN) in place of a value. Such a number is not a measurement: it is refused, with the
 * model, the example and the fix, and never averaged into a loss.
 */
import { BackendError } from "./types.js";

/** At or below this a log-prob is a server's floor, not a value (e^-9999 is no probability a model computes). */
export const LOGPROB_FLOOR = -9999;

/** Whether `value` is a floor or a not-computed marker rather than a log-prob. */
export function isNotComputed(value: number): boolean {
	return Number.isNaN(value) || value <= LOGPROB_FLOOR;
}

/** A prompt token whose log-prob the server did not compute. The engine adds the example (row and line). */
export class LogprobFloorError extends BackendError {
	constructor(
		readonly model: string,
		readonly position: number,
		readonly value: number,
	) {
		super(
			`${model}: the server gave no computed log-probability for prompt token ${position} (it answered ${Number.isNaN(value) ? "a value marked not computed" : value}, a floor for tokens outside the log-probs it computed); a loss from it would be wrong by thousands of nats, so it is refused, not averaged`,
			"unsupported",
			"ask the server for more prompt log-probs (vLLM: raise --max-logprobs when starting it, so every prompt token's own log-prob is computed), or score this model in-process from its GGUF file",
		);
		this.name = "LogprobFloorError";
	}
}
