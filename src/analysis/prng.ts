/** @module A small seeded PRNG (xoshiro128**, seeded through splitmix32) so bootstraps are reproducible. */

/** A source of uniform 32-bit integers; the same seed always gives the same sequence. */
export interface Prng {
	/** Next unsigned 32-bit integer. */
	nextUint32(): number;
	/** Uniform integer in [0, n) for n ≤ 2^32 (multiply-shift; bias below 2^-20 for the sizes used here). */
	nextInt(n: number): number;
	/** Uniform float in [0, 1). */
	nextFloat(): number;
	/** Standard normal deviate (Box–Muller). */
	nextNormal(): number;
}

/** xoshiro128** seeded from one integer; the four state words come from splitmix32 so nearby seeds differ. */
export function createPrng(seed: number): Prng {
	let s = seed >>> 0;
	const splitmix = (): number => {
		s = (s + 0x9e3779b9) >>> 0;
		let z = s;
		z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
		z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
		return (z ^ (z >>> 16)) >>> 0;
	};
	let a = splitmix();
	let b = splitmix();
	let c = splitmix();
	let d = splitmix();
	if ((a | b | c | d) === 0) a = 1;
	const nextUint32 = (): number => {
		const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
		const t = (b << 9) >>> 0;
		c ^= a;
		d ^= b;
		b ^= c;
		a ^= d;
		c ^= t;
		d = rotl(d >>> 0, 11);
		a >>>= 0;
		b >>>= 0;
		c >>>= 0;
		return result;
	};
	const nextFloat = (): number => nextUint32() / 4294967296;
	return {
		nextUint32,
		nextInt: (n) => Math.floor((nextUint32() * n) / 4294967296),
		nextFloat,
		nextNormal: () => {
			const u = 1 - nextFloat();
			const v = nextFloat();
			return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
		},
	};
}

function rotl(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}
