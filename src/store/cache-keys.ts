/**
 * @module Cache keys: sha256 of an unambiguous, length-prefixed encoding of everything a score
 * depends on (model identity, tokenizer, caller's settings, the exact tokens and text).
 */
import { createHash, type Hash } from "node:crypto";
import type {
	BackendInfo,
	ChatMessage,
	ChatRequest,
	CompletionRequest,
	ContinuationRequest,
	NextTokenRequest,
	TokenSeq,
} from "../backends/types.js";

/** What every key of one cached backend shares. */
export interface CacheScope {
	identity: string;
	/** Tokenizer descriptor: kind, vocabulary size and whether BOS is prepended (it changes scores). */
	tokenizer: string;
	/** Scoring settings chosen by the caller, e.g. `precision=exact`; scores under different settings never mix. */
	settings: string;
}

/** Kinds of cache entry, stored as small integers in the `kind` column. */
export const EntryKind = { continuation: 1, nextToken: 2, tokens: 3, generation: 4 } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

const KEY_VERSION = "invscale.cache/1";

export function tokenizerDescriptor(info: BackendInfo): string {
	return `${info.tokenizer}/vocab=${info.vocabSize ?? "unknown"}/bos=${info.addsBos ? 1 : 0}`;
}

export function cacheScope(info: BackendInfo, settings: string): CacheScope {
	return { identity: info.identity, tokenizer: tokenizerDescriptor(info), settings };
}

/**
 * The kind of a scoring entry. A declared shared prefix changes how llama.cpp splits the work, and
 * so the last digits of the scores: it is part of the key, and keys without one stay as they were.
 */
function scoringKind(kind: string, sharedPrefixTokens: number | undefined): string {
	return sharedPrefixTokens === undefined ? kind : `${kind};shared-prefix=${sharedPrefixTokens}`;
}

/** One key per continuation, in order. The shared prefix (scope + context) is hashed once. */
export function continuationKeys(scope: CacheScope, request: ContinuationRequest): Buffer[] {
	const prefix = scopedHash(scope, scoringKind("continuation", request.sharedPrefixTokens));
	addSeq(prefix, request.context);
	return request.continuations.map((continuation) => {
		const hash = prefix.copy();
		addSeq(hash, continuation);
		return hash.digest();
	});
}

/** One key per candidate id, in order. */
export function nextTokenKeys(scope: CacheScope, request: NextTokenRequest): Buffer[] {
	const prefix = scopedHash(scope, scoringKind("next-token", request.sharedPrefixTokens));
	addSeq(prefix, request.context);
	return request.candidates.map((candidate) => {
		const hash = prefix.copy();
		addIds(hash, [candidate]);
		return hash.digest();
	});
}

/** What a generation key is made of: the kind of call and its exact request. */
export type GenerationCall =
	| { kind: "completion"; request: CompletionRequest }
	| { kind: "chat"; request: ChatRequest }
	| { kind: "chat-prompt"; messages: ChatMessage[] };

/**
 * One key per generation: the scope plus the canonical JSON of the whole request (prompt or
 * messages, token limit, temperature, seed, stop strings, reasoning controls, sample index).
 */
export function generationKey(scope: CacheScope, call: GenerationCall): Buffer {
	const hash = scopedHash(scope, `generation/${call.kind}`);
	addString(hash, canonicalJson(call.kind === "chat-prompt" ? call.messages : call.request));
	return hash.digest();
}

/** JSON with object keys sorted and undefined fields left out, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => {
		if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
		return Object.fromEntries(
			Object.keys(v)
				.sort()
				.filter((k) => (v as Record<string, unknown>)[k] !== undefined)
				.map((k) => [k, (v as Record<string, unknown>)[k]]),
		);
	});
}

/** Tokenization depends on the model's tokenizer only, not on scoring settings. */
export function tokenizeKey(identity: string, text: string): Buffer {
	const hash = createHash("sha256");
	addString(hash, KEY_VERSION);
	addString(hash, "tokenize");
	addString(hash, identity);
	addString(hash, text);
	return hash.digest();
}

function scopedHash(scope: CacheScope, kind: string): Hash {
	const hash = createHash("sha256");
	addString(hash, KEY_VERSION);
	addString(hash, kind);
	addString(hash, scope.identity);
	addString(hash, scope.tokenizer);
	addString(hash, scope.settings);
	return hash;
}

// Servers that score text see the text, so it is part of the request as much as the ids are.
function addSeq(hash: Hash, seq: TokenSeq): void {
	addIds(hash, seq.ids);
	addString(hash, seq.text);
}

function addString(hash: Hash, value: string): void {
	const bytes = Buffer.from(value, "utf8");
	hash.update(lengthPrefix(bytes.length));
	hash.update(bytes);
}

function addIds(hash: Hash, ids: readonly number[]): void {
	const bytes = Buffer.allocUnsafe(4 + ids.length * 4);
	bytes.writeUInt32LE(ids.length, 0);
	for (let i = 0; i < ids.length; i++) {
		const id = ids[i]!;
		if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
			throw new RangeError(`token id ${id} at position ${i} is not an integer in [0, 2^31)`);
		}
		bytes.writeUInt32LE(id, 4 + i * 4);
	}
	hash.update(bytes);
}

function lengthPrefix(length: number): Buffer {
	const bytes = Buffer.allocUnsafe(4);
	bytes.writeUInt32LE(length, 0);
	return bytes;
}
