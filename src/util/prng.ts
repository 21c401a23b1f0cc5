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
	/** Fills `out` with uniform integers in [0, n): the same values as repeated nextInt(n), without per-call overhead. */
	fillInts(out: Int32Array, n: number): void;
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
	return createPrngFromState([splitmix(), splitmix(), splitmix(), splitmix()]);
}

/** xoshiro128** from its four 32-bit state words (not all zero). */
export function createPrngFromState(state: [number, number, number, number]): Prng {
	let [a, b, c, d] = state.map((v) => v >>> 0);
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
	const fillInts = (out: Int32Array, n: number): void => {
		// The generator inlined on local copies of the state: the bootstrap's hot loop.
		let sa = a;
		let sb = b;
		let sc = c;
		let sd = d;
		const scale = n / 4294967296;
		for (let i = 0; i < out.length; i++) {
			const x = Math.imul(sb, 5);
			const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
			const t = sb << 9;
			sc ^= sa;
			sd ^= sb;
			sb ^= sc;
			sa ^= sd;
			sc ^= t;
			sd = (sd << 11) | (sd >>> 21);
			out[i] = Math.floor(r * scale);
		}
		a = sa >>> 0;
		b = sb >>> 0;
		c = sc >>> 0;
		d = sd >>> 0;
	};
	return {
		fillInts,
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
