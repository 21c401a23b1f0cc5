/**
 * @module The durable score cache: per-token log-probs of continuations, next-token log-probs and
 * (optionally) tokenizations, keyed by sha256 of the exact request. Every `put` is its own commit,
 * so a killed process loses nothing it had stored.
 */
import type Database from "better-sqlite3";
import type {
	BackendInfo,
	ContinuationRequest,
	ContinuationScores,
	NextTokenRequest,
	Token,
} from "../backends/types.js";
import {
	type CacheScope,
	continuationKeys,
	EntryKind,
	nextTokenKeys,
	tokenizeKey,
	tokenizerDescriptor,
} from "./cache-keys.js";
import {
	decodeLogprobs,
	decodeTokens,
	encodeLogprobs,
	encodeTokens,
	logprobsProblem,
	tokensProblem,
} from "./codec.js";
import { StoreError } from "./errors.js";

/** One row to write: its key, what it holds, and the encoded value. */
export interface CacheEntry {
	key: Buffer;
	kind: EntryKind;
	value: Buffer;
}

export class ScoreCache {
	private readonly modelIds = new Map<string, number>();
	private readonly selectValue: Database.Statement<[number, Buffer], Buffer>;
	private readonly insertValue: Database.Statement<[number, Buffer, number, Buffer, number]>;
	private readonly selectModelId: Database.Statement<[string], number>;
	private readonly insertModel: Database.Statement<[string, string, string]>;
	private readonly upsertModel: Database.Statement<
		[string, string, string, string, string, string, string],
		{ id: number }
	>;
	private readonly writeMany: (identity: string, entries: readonly CacheEntry[]) => void;

	constructor(private readonly db: Database.Database) {
		this.selectValue = db
			.prepare<[number, Buffer], Buffer>("SELECT value FROM cache_entries WHERE model_id = ? AND key = ?")
			.pluck();
		this.insertValue = db.prepare(
			"INSERT OR REPLACE INTO cache_entries (model_id, key, kind, value, created_at) VALUES (?, ?, ?, ?, ?)",
		);
		this.selectModelId = db.prepare<[string], number>("SELECT id FROM models WHERE identity = ?").pluck();
		this.insertModel = db.prepare(
			"INSERT OR IGNORE INTO models (identity, first_seen, last_seen) VALUES (?, ?, ?)",
		);
		this.upsertModel = db.prepare(
			`INSERT INTO models (identity, name, kind, tokenizer, info, first_seen, last_seen)
			 VALUES (?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (identity) DO UPDATE SET name = excluded.name, kind = excluded.kind,
			   tokenizer = excluded.tokenizer, info = excluded.info, last_seen = excluded.last_seen
			 RETURNING id`,
		);
		this.writeMany = db.transaction((identity: string, entries: readonly CacheEntry[]) => {
			const modelId = this.modelId(identity);
			const now = Date.now();
			for (const entry of entries) this.insertValue.run(modelId, entry.key, entry.kind, entry.value, now);
		});
	}

	/** Records the model's readable name and metadata beside its identity (shown by `invscale cache stats`). */
	registerModel(info: BackendInfo): void {
		const now = new Date().toISOString();
		const row = this.upsertModel.get(
			info.identity,
			info.name,
			info.kind,
			tokenizerDescriptor(info),
			JSON.stringify(info),
			now,
			now,
		);
		if (row) this.modelIds.set(info.identity, row.id);
	}

	/** Raw value of `identity`'s model under `key`, or undefined on a miss. */
	getValue(identity: string, key: Buffer): Buffer | undefined {
		const modelId = this.knownModelId(identity);
		return modelId === undefined ? undefined : this.selectValue.get(modelId, key);
	}

	/** Writes entries of one model in a single transaction (committed when this returns). */
	putValues(identity: string, entries: readonly CacheEntry[]): void {
		if (entries.length === 0) return;
		try {
			this.writeMany(identity, entries);
		} catch (error) {
			throw new StoreError(
				`cannot write to the score cache ${this.db.name}: ${(error as Error).message}`,
				"write",
				"check the free disk space, or run without the cache",
			);
		}
	}

	/** Cached log-probs of each continuation of `request`, undefined where missing. */
	getContinuations(scope: CacheScope, request: ContinuationRequest): (number[] | undefined)[] {
		return continuationKeys(scope, request).map((key) => this.getLogprobs(scope.identity, key));
	}

	/** Stores one request's scores. Throws RangeError, storing nothing, if any value is not a score. */
	putContinuations(scope: CacheScope, request: ContinuationRequest, scores: ContinuationScores): void {
		if (scores.logprobs.length !== request.continuations.length) {
			throw new RangeError(
				`expected scores for ${request.continuations.length} continuations, got ${scores.logprobs.length}`,
			);
		}
		const keys = continuationKeys(scope, request);
		const entries = request.continuations.map((continuation, i) => {
			const values = scores.logprobs[i]!;
			const problem = logprobsProblem(values, continuation.ids.length);
			if (problem) throw new RangeError(`not caching continuation ${i}: ${problem}`);
			return { key: keys[i]!, kind: EntryKind.continuation, value: encodeLogprobs(values) };
		});
		this.putValues(scope.identity, entries);
	}

	/** Cached log-prob of each candidate of `request`, undefined where missing. */
	getNextTokens(scope: CacheScope, request: NextTokenRequest): (number | undefined)[] {
		return nextTokenKeys(scope, request).map((key) => this.getLogprobs(scope.identity, key)?.[0]);
	}

	/** Stores one request's candidate log-probs. Throws RangeError, storing nothing, if any is not a score. */
	putNextTokens(scope: CacheScope, request: NextTokenRequest, logprobs: readonly number[]): void {
		const problem = logprobsProblem(logprobs, request.candidates.length);
		if (problem) throw new RangeError(`not caching next-token log-probs: ${problem}`);
		const keys = nextTokenKeys(scope, request);
		this.putValues(
			scope.identity,
			keys.map((key, i) => ({ key, kind: EntryKind.nextToken, value: encodeLogprobs([logprobs[i]!]) })),
		);
	}

	getTokens(identity: string, text: string): Token[] | undefined {
		const value = this.getValue(identity, tokenizeKey(identity, text));
		return value === undefined ? undefined : decodeTokens(value);
	}

	putTokens(identity: string, text: string, tokens: readonly Token[]): void {
		const problem = tokensProblem(tokens);
		if (problem) throw new RangeError(`not caching the tokenization: ${problem}`);
		this.putValues(identity, [
			{ key: tokenizeKey(identity, text), kind: EntryKind.tokens, value: encodeTokens(tokens) },
		]);
	}

	private getLogprobs(identity: string, key: Buffer): number[] | undefined {
		const value = this.getValue(identity, key);
		return value === undefined ? undefined : decodeLogprobs(value);
	}

	/** The model's row id, creating the row if needed. */
	private modelId(identity: string): number {
		let id = this.knownModelId(identity);
		if (id === undefined) {
			const now = new Date().toISOString();
			this.insertModel.run(identity, now, now);
			id = this.knownModelId(identity)!;
		}
		return id;
	}

	/** The model's row id if it has a row (possibly written by another process). */
	private knownModelId(identity: string): number | undefined {
		let id = this.modelIds.get(identity);
		if (id === undefined) {
			id = this.selectModelId.get(identity);
			if (id !== undefined) this.modelIds.set(identity, id);
		}
		return id;
	}
}
