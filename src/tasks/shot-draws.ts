/**
 * @module Which examples demonstrate a task in a few-shot sweep. One order of the examples is
 * drawn with a recorded seed; the k-shot block is its first k examples, shared by every row (so a
 * backend can evaluate it once) and by every model (so comparisons stay paired). A row that is in
 * the block is never shown itself: its place in the block goes to the order's (k+1)-th example.
 */
import { createPrng } from "../util/prng.js";

/** The draws of one k: the shared block and the rows whose block has one demonstration replaced. */
export interface ShotPlan {
	shots: number;
	/** Positions (in the task's example list) of the shared block, in the order shown. */
	block: number[];
	/** Row position → [place in the block, position of the example shown there instead]. */
	replaced: Map<number, [place: number, by: number]>;
}

/** A seeded shuffle (Fisher–Yates) of `0 … count-1`: the order demonstrations are taken from. */
export function drawOrder(count: number, seed: number): number[] {
	const order = Array.from({ length: count }, (_, i) => i);
	const prng = createPrng(seed);
	for (let i = count - 1; i > 0; i--) {
		const j = prng.nextInt(i + 1);
		[order[i], order[j]] = [order[j], order[i]];
	}
	return order;
}

/** The k-shot draws from `order`; needs k + 1 examples, so a row in the block has a replacement. */
export function shotPlan(order: readonly number[], shots: number): ShotPlan {
	if (shots > 0 && order.length < shots + 1)
		throw new RangeError(
			`${shots} demonstrations need at least ${shots + 1} examples; there are ${order.length}`,
		);
	const block = order.slice(0, shots);
	const replaced = new Map<number, [number, number]>();
	for (const [place, row] of block.entries()) replaced.set(row, [place, order[shots]]);
	return { shots, block, replaced };
}

/** The demonstrations shown before row `row` (positions), in order; never `row` itself. */
export function demonstrationsOf(plan: ShotPlan, row: number): number[] {
	const swap = plan.replaced.get(row);
	if (!swap) return plan.block;
	const [place, by] = swap;
	return plan.block.map((demo, i) => (i === place ? by : demo));
}
