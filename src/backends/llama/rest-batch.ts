/**
 * @module How many tokens the call on top of a kept shared prefix evaluates. llama.cpp's CPU
 * flash-attention kernel takes a batch of fewer than 64 queries one query at a time over the whole
 * KV cache, and that path is slow: on a 15M model (1 thread) 63 tokens on top of 245 cached ones
 * took 437 ms, 64 took 96 ms, and the whole 309-token context from BOS 151 ms. So at fast precision
 * on a CPU a short rest is padded to 64 tokens (padding after it, which causal attention keeps from
 * changing what it reads, erased again at once): the call is then never smaller than the one
 * evaluating the whole context from BOS would be, and a declared prefix never costs more than none.
 */

/** Queries from which llama.cpp's CPU flash attention uses its tiled kernel. */
export const FLASH_ATTENTION_TILE = 64;

export interface RestBatchInput {
	/** Tokens of the context after the kept prefix (BOS and prefix excluded). */
	rest: number;
	/** BOS + the whole context. */
	full: number;
	/** Cells the context can hold. */
	room: number;
	/** Flash attention on a CPU (the fast precision without a GPU): small batches take the slow path. */
	smallBatchesSlow: boolean;
}

/**
 * Tokens the rest's call evaluates: the rest itself, or the rest padded to the tile when small
 * batches are slow, the rest is shorter than the tile, the whole context is not (else evaluating it
 * from BOS would be a small batch too, and a shorter one is cheaper), and the padding fits.
 */
export function restBatchTokens({ rest, full, room, smallBatchesSlow }: RestBatchInput): number {
	if (!smallBatchesSlow || rest === 0 || rest >= FLASH_ATTENTION_TILE || full < FLASH_ATTENTION_TILE)
		return rest;
	const padded = FLASH_ATTENTION_TILE;
	return full - rest + padded <= room ? padded : rest;
}
