/**
 * @module Writes a GGUF file from metadata and tensors. The bytes go to a `.part` file beside the
 * target, are flushed to disk, and only then take the final name: a crash or a full disk never
 * leaves a half-written model under a name that looks finished.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import {
	alignUp,
	bytesPerElement,
	GGUF_ALIGNMENT,
	GGUF_MAGIC,
	GGUF_VERSION,
	GgmlType,
	type GgufTensor,
	type GgufValue,
	toHalf,
	ValueType,
} from "./format.js";

class ByteSink {
	private chunks: Buffer[] = [];
	length = 0;
	push(buf: Buffer): void {
		this.chunks.push(buf);
		this.length += buf.length;
	}
	private num(size: number, write: (b: Buffer) => void): void {
		const b = Buffer.alloc(size);
		write(b);
		this.push(b);
	}
	u32 = (v: number) => this.num(4, (b) => b.writeUInt32LE(v));
	i32 = (v: number) => this.num(4, (b) => b.writeInt32LE(v));
	u64 = (v: number) => this.num(8, (b) => b.writeBigUInt64LE(BigInt(v)));
	f32 = (v: number) => this.num(4, (b) => b.writeFloatLE(v));
	str(s: string): void {
		const bytes = Buffer.from(s, "utf8");
		this.u64(bytes.length);
		this.push(bytes);
	}
	bytes(): Buffer {
		return Buffer.concat(this.chunks);
	}
}

function writeValue(sink: ByteSink, value: GgufValue): void {
	const array = (type: ValueType, n: number) => {
		sink.u32(ValueType.ARRAY);
		sink.u32(type);
		sink.u64(n);
	};
	switch (value.t) {
		case "u32":
			sink.u32(ValueType.UINT32);
			sink.u32(value.v);
			return;
		case "f32":
			sink.u32(ValueType.FLOAT32);
			sink.f32(value.v);
			return;
		case "bool":
			sink.u32(ValueType.BOOL);
			sink.push(Buffer.of(value.v ? 1 : 0));
			return;
		case "str":
			sink.u32(ValueType.STRING);
			sink.str(value.v);
			return;
		case "str[]":
			array(ValueType.STRING, value.v.length);
			for (const s of value.v) sink.str(s);
			return;
		case "f32[]":
			array(ValueType.FLOAT32, value.v.length);
			for (const x of value.v) sink.f32(x);
			return;
		case "i32[]":
			array(ValueType.INT32, value.v.length);
			for (const x of value.v) sink.i32(x);
			return;
	}
}

/** The tensor's data in its file type. */
function tensorBytes(tensor: GgufTensor): Buffer {
	if (tensor.type === GgmlType.F32) {
		return Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
	}
	const out = Buffer.alloc(tensor.data.length * 2);
	for (let i = 0; i < tensor.data.length; i++) out.writeUInt16LE(toHalf(tensor.data[i]), i * 2);
	return out;
}

/** The whole file's bytes. */
export function encodeGguf(metadata: Array<[string, GgufValue]>, tensors: GgufTensor[]): Buffer[] {
	const header = new ByteSink();
	header.push(Buffer.from(GGUF_MAGIC, "latin1"));
	header.u32(GGUF_VERSION);
	header.u64(tensors.length);
	header.u64(metadata.length);
	for (const [key, value] of metadata) {
		header.str(key);
		writeValue(header, value);
	}
	let offset = 0;
	const offsets: number[] = [];
	for (const tensor of tensors) {
		const elements = tensor.dims.reduce((a, b) => a * b, 1);
		if (elements !== tensor.data.length) {
			throw new Error(
				`tensor ${tensor.name}: ${tensor.data.length} values for dims ${tensor.dims.join("×")}`,
			);
		}
		header.str(tensor.name);
		header.u32(tensor.dims.length);
		for (const d of tensor.dims) header.u64(d);
		header.u32(tensor.type);
		header.u64(offset);
		offsets.push(offset);
		offset = alignUp(offset + elements * bytesPerElement(tensor.type));
	}
	const head = header.bytes();
	const parts = [head, Buffer.alloc(alignUp(head.length, GGUF_ALIGNMENT) - head.length)];
	let written = 0;
	tensors.forEach((tensor, i) => {
		if (offsets[i] > written) parts.push(Buffer.alloc(offsets[i] - written));
		const bytes = tensorBytes(tensor);
		parts.push(bytes);
		written = offsets[i] + bytes.length;
	});
	return parts;
}

/** Writes the file atomically: `.part`, fsync, rename. */
export function writeGgufFile(
	path: string,
	metadata: Array<[string, GgufValue]>,
	tensors: GgufTensor[],
): void {
	const part = `${path}.${process.pid}.part`;
	try {
		const fd = openSync(part, "w");
		try {
			for (const chunk of encodeGguf(metadata, tensors)) writeSync(fd, chunk);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(part, path);
	} catch (error) {
		rmSync(part, { force: true });
		throw error;
	}
}
