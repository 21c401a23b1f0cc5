/** @module `mapConcurrent`: an async map with at most N calls in flight, results in input order. */

/**
 * Calls `fn` on every item with at most `limit` calls pending at once; the results keep the
 * input's order. The first rejection is rethrown once the calls in flight have settled; no new
 * call starts after it.
 */
export async function mapConcurrent<T, R>(
	items: readonly T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (next < items.length && !failure) {
			const at = next++;
			try {
				results[at] = await fn(items[at]!, at);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure) throw failure.error;
	return results;
}
