/** @module Which fault a test server injects into its next request: scripted ones first, then seeded random ones. */
import { createPrng } from "../util/prng.js";

/** Random faults: each request fails with probability `rate`, its kind drawn from `kinds`. */
export interface RandomFaults<F> {
	rate: number;
	kinds?: readonly F[];
	seed?: number;
}

/** A test server that injects faults of kind F and counts what it saw in S. */
export interface FaultyTestServer<F, S> {
	/** e.g. `http://127.0.0.1:41234/v1`. */
	readonly baseUrl: string;
	readonly stats: S;
	/** The next requests get these faults in order (null: none), before any random fault. */
	script(faults: Array<F | null>): void;
	close(): Promise<void>;
}

export interface FaultPicker<F> {
	/** The fault of the next request (null: none). */
	next(): F | null;
	/** The next requests get these faults in order (null: none), before any random fault. */
	script(faults: Array<F | null>): void;
}

/** A seeded picker, so a run with injected faults can be repeated exactly. */
export function faultPicker<F>(random: RandomFaults<F> | undefined, allKinds: readonly F[]): FaultPicker<F> {
	const prng = createPrng(random?.seed ?? 1);
	const scripted: Array<F | null> = [];
	return {
		next() {
			if (scripted.length > 0) return scripted.shift()!;
			if (!random || random.rate <= 0 || prng.nextFloat() >= random.rate) return null;
			const kinds = random.kinds ?? allKinds;
			return kinds[prng.nextInt(kinds.length)]!;
		},
		script(faults) {
			scripted.push(...faults);
		},
	};
}
