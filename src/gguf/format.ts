/**
 * @module The GGUF v3 container, as llama.cpp reads it: typed metadata values, tensor records and
 * the alignment rule. Shared by the writer and the reader.
 */

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** GGUF metadata value type codes. */
export enum ValueType {
	UINT8 = 0,
	INT8 = 1,
	UINT16 = 2,
	INT16 = 3,
	UINT32 = 4,
	INT32 = 5,
	FLOAT32 = 6,
	BOOL = 7,
	STRING = 8,
	ARRAY = 9,
	UINT64 = 10,
	INT64 = 11,
	FLOAT64 = 12,
}

/** ggml tensor types this project writes. */
export enum GgmlType {
	F32 = 0,
	F16 = 1,
}

export const bytesPerElement = (type: GgmlType): number => (type === GgmlType.F32 ? 4 : 2);

/** A metadata value, tagged with the type it is written as. */
export type GgufValue =
	| { t: "u32"; v: number }
	| { t: "f32"; v: number }
	| { t: "bool"; v: boolean }
	| { t: "str"; v: string }
	| { t: "str[]"; v: string[] }
	| { t: "f32[]"; v: number[] }
	| { t: "i32[]"; v: number[] };

export interface GgufTensor {
	name: string;
	/** ne0 first (the fastest-moving dimension), as GGUF lists them. */
	dims: number[];
	type: GgmlType;
	data: Float32Array;
}

export const alignUp = (n: number, to = GGUF_ALIGNMENT): number => Math.ceil(n / to) * to;

const f32Scratch = new Float32Array(1);
const u32View = new Uint32Array(f32Scratch.buffer);

/** IEEE half precision, rounded to nearest even (subnormals kept, as numpy's astype does). */
export function toHalf(x: number): number {
	f32Scratch[0] = x;
	const bits = u32View[0];
	const sign = (bits >>> 16) & 0x8000;
	const exp = (bits >>> 23) & 0xff;
	let mant = bits & 0x7fffff;
	if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
	let e = exp - 127 + 15;
	if (e >= 31) return sign | 0x7c00;
	if (e <= 0) {
		if (e < -10) return sign;
		mant |= 0x800000;
		const shift = 14 - e;
		const half = mant >>> shift;
		const rest = mant & ((1 << shift) - 1);
		const mid = 1 << (shift - 1);
		return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
	}
	const half = (e << 10) | (mant >>> 13);
	const rest = mant & 0x1fff;
	e = half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0);
	return sign | e;
}

/** Half precision bits back to a number. */
export function fromHalf(h: number): number {
	const sign = h & 0x8000 ? -1 : 1;
	const exp = (h >>> 10) & 0x1f;
	const mant = h & 0x3ff;
	if (exp === 0) return sign * mant * 2 ** -24;
	if (exp === 31) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
	return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
