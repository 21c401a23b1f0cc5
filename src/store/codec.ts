/**
 * @module Compact cache values: log-probs as little-endian Float64 bytes, tokens as Int32 triplets
 * (id, start, end), generations as UTF-8 JSON. Values that are not scores (NaN, +∞, a missing
 * entry) or not whole generations are refused.
 */
import type { ChatResult, CompletionResult, Token } from "../backends/types.js";

/**
 * Why `values` cannot be cached as the log-probs of `expectedLength` tokens, or undefined when they
 * can. −∞ (probability exactly zero) is a real answer; NaN and +∞ are failures.
 */
export function logprobsProblem(values: readonly number[], expectedLength: number): string | undefined {
	if (!Array.isArray(values)) return "log-probs are not an array";
	if (values.length !== expectedLength) {
		return `expected ${expectedLength} log-probs, got ${values.length}`;
	}
	for (let i = 0; i < values.length; i++) {
		const value = values[i];
		if (typeof value !== "number" || Number.isNaN(value) || value === Number.POSITIVE_INFINITY) {
			return `log-prob ${i} is ${String(value)}`;
		}
	}
	return undefined;
}

export function encodeLogprobs(values: readonly number[]): Buffer {
	const bytes = Buffer.allocUnsafe(values.length * 8);
	for (let i = 0; i < values.length; i++) bytes.writeDoubleLE(values[i]!, i * 8);
	return bytes;
}

export function decodeLogprobs(bytes: Uint8Array): number[] {
	if (bytes.byteLength % 8 !== 0)
		throw new RangeError(`a log-prob value of ${bytes.byteLength} bytes is damaged`);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const values = new Array<number>(bytes.byteLength / 8);
	for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, true);
	return values;
}

export function encodeTokens(tokens: readonly Token[]): Buffer {
	const bytes = Buffer.allocUnsafe(tokens.length * 12);
	tokens.forEach((token, i) => {
		bytes.writeInt32LE(token.id, i * 12);
		bytes.writeInt32LE(token.start, i * 12 + 4);
		bytes.writeInt32LE(token.end, i * 12 + 8);
	});
	return bytes;
}

export function decodeTokens(bytes: Uint8Array): Token[] {
	if (bytes.byteLength % 12 !== 0)
		throw new RangeError(`a token value of ${bytes.byteLength} bytes is damaged`);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const tokens: Token[] = [];
	for (let offset = 0; offset < bytes.byteLength; offset += 12) {
		tokens.push({
			id: view.getInt32(offset, true),
			start: view.getInt32(offset + 4, true),
			end: view.getInt32(offset + 8, true),
		});
	}
	return tokens;
}

/** Tokens fit the Int32 encoding when every field is a non-negative integer below 2^31. */
export function tokensProblem(tokens: readonly Token[]): string | undefined {
	for (let i = 0; i < tokens.length; i++) {
		const { id, start, end } = tokens[i]!;
		for (const value of [id, start, end]) {
			if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) return `token ${i} has field ${value}`;
		}
	}
	return undefined;
}

export function encodeJson(value: unknown): Buffer {
	return Buffer.from(JSON.stringify(value), "utf8");
}

export function decodeJson<T>(bytes: Uint8Array): T {
	return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as T;
}

/** Why `value` cannot be cached as a generation's result, or undefined when it can. */
export function generationProblem(value: CompletionResult | ChatResult): string | undefined {
	if (typeof value?.text !== "string") return "the generation has no text";
	if (value.finishReason !== "stop" && value.finishReason !== "length")
		return `finish reason ${String(value.finishReason)}`;
	const usage = value.usage;
	for (const field of ["inputTokens", "outputTokens"] as const) {
		// null: the server did not say (kept as unknown); anything else must be a count.
		const value = usage?.[field];
		if (value !== null && !(Number.isInteger(value) && (value as number) >= 0))
			return `usage ${field} is ${String(value)}`;
	}
	const ids = (value as CompletionResult).tokenIds;
	if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => Number.isInteger(id) && id >= 0)))
		return "token ids are not whole numbers";
	return undefined;
}
