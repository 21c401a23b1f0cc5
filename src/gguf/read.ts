/**
 * @module Reads a GGUF file whole: its metadata as plain values and its f32/f16 tensors as
 * numbers. For the small models this project trains (a few MB); large files are read by llama.cpp.
 */
import { readFileSync } from "node:fs";
import { alignUp, bytesPerElement, fromHalf, GGUF_MAGIC, GgmlType, ValueType } from "./format.js";

export type MetadataValue = number | bigint | boolean | string | MetadataValue[];

export interface ReadTensor {
	name: string;
	dims: number[];
	type: GgmlType;
	data: Float32Array;
}

export interface ReadGguf {
	metadata: Map<string, MetadataValue>;
	/** Metadata value types as written, so a rewrite keeps them. */
	types: Map<string, { type: ValueType; itemType?: ValueType }>;
	tensors: ReadTensor[];
	alignment: number;
}

class Cursor {
	at = 0;
	constructor(private readonly buf: Buffer) {}
	u8 = () => this.buf.readUInt8(this.at++);
	u32(): number {
		const v = this.buf.readUInt32LE(this.at);
		this.at += 4;
		return v;
	}
	u64(): number {
		const v = this.buf.readBigUInt64LE(this.at);
		this.at += 8;
		return Number(v);
	}
	str(): string {
		const n = this.u64();
		const s = this.buf.toString("utf8", this.at, this.at + n);
		this.at += n;
		return s;
	}
	scalar(type: ValueType): MetadataValue {
		const b = this.buf;
		const take = <T>(size: number, read: () => T): T => {
			const v = read();
			this.at += size;
			return v;
		};
		switch (type) {
			case ValueType.UINT8:
				return take(1, () => b.readUInt8(this.at));
			case ValueType.INT8:
				return take(1, () => b.readInt8(this.at));
			case ValueType.UINT16:
				return take(2, () => b.readUInt16LE(this.at));
			case ValueType.INT16:
				return take(2, () => b.readInt16LE(this.at));
			case ValueType.UINT32:
				return take(4, () => b.readUInt32LE(this.at));
			case ValueType.INT32:
				return take(4, () => b.readInt32LE(this.at));
			case ValueType.FLOAT32:
				return take(4, () => b.readFloatLE(this.at));
			case ValueType.BOOL:
				return take(1, () => b.readUInt8(this.at) !== 0);
			case ValueType.STRING:
				return this.str();
			case ValueType.UINT64:
				return take(8, () => b.readBigUInt64LE(this.at));
			case ValueType.INT64:
				return take(8, () => b.readBigInt64LE(this.at));
			case ValueType.FLOAT64:
				return take(8, () => b.readDoubleLE(this.at));
			default:
				throw new Error(`unknown GGUF value type ${type}`);
		}
	}
}

/** Parses a GGUF v2/v3 file with f32 and f16 tensors. */
export function readGgufFile(path: string): ReadGguf {
	const buf = readFileSync(path);
	if (buf.toString("latin1", 0, 4) !== GGUF_MAGIC) throw new Error(`${path}: not a GGUF file`);
	const c = new Cursor(buf);
	c.at = 4;
	const version = c.u32();
	if (version < 2) throw new Error(`${path}: GGUF version ${version} is not supported`);
	const tensorCount = c.u64();
	const kvCount = c.u64();
	const metadata = new Map<string, MetadataValue>();
	const types = new Map<string, { type: ValueType; itemType?: ValueType }>();
	for (let i = 0; i < kvCount; i++) {
		const key = c.str();
		const type = c.u32() as ValueType;
		if (type === ValueType.ARRAY) {
			const itemType = c.u32() as ValueType;
			const n = c.u64();
			const items: MetadataValue[] = [];
			for (let j = 0; j < n; j++) items.push(c.scalar(itemType));
			metadata.set(key, items);
			types.set(key, { type, itemType });
		} else {
			metadata.set(key, c.scalar(type));
			types.set(key, { type });
		}
	}
	const infos: Array<{ name: string; dims: number[]; type: GgmlType; offset: number }> = [];
	for (let i = 0; i < tensorCount; i++) {
		const name = c.str();
		const nd = c.u32();
		const dims: number[] = [];
		for (let d = 0; d < nd; d++) dims.push(c.u64());
		const type = c.u32() as GgmlType;
		if (type !== GgmlType.F32 && type !== GgmlType.F16) {
			throw new Error(`${path}: tensor ${name} has ggml type ${type}; only f32 and f16 are read here`);
		}
		infos.push({ name, dims, type, offset: c.u64() });
	}
	const alignment = Number(metadata.get("general.alignment") ?? 32);
	const dataStart = alignUp(c.at, alignment);
	const tensors = infos.map((info) => {
		const n = info.dims.reduce((a, b) => a * b, 1);
		const at = dataStart + info.offset;
		const data = new Float32Array(n);
		if (at + n * bytesPerElement(info.type) > buf.length)
			throw new Error(`${path}: tensor ${info.name} runs past the end (truncated file?)`);
		for (let i = 0; i < n; i++) {
			data[i] =
				info.type === GgmlType.F32 ? buf.readFloatLE(at + i * 4) : fromHalf(buf.readUInt16LE(at + i * 2));
		}
		return { name: info.name, dims: info.dims, type: info.type, data };
	});
	return { metadata, types, tensors, alignment };
}
