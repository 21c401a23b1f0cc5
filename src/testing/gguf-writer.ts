/**
 * @module Writes random-weight Llama-architecture GGUF files of chosen shapes, with the
 * SentencePiece vocabulary of a real model file. Tests and benchmarks build model ladders with it:
 * the files load and run in llama.cpp like real ones (their predictions are noise).
 */
import { createWriteStream } from "node:fs";
import { readGgufFileInfo } from "node-llama-cpp";
import { createPrng } from "../util/prng.js";

export interface LlamaShape {
	/** Embedding width. */
	dim: number;
	layers: number;
	heads: number;
	kvHeads: number;
	ffn: number;
	/** Vocabulary size; the donor vocabulary is padded with unreachable tokens up to this size. */
	vocab?: number;
	contextLength?: number;
	/** Weight type: f32 (exact) or f16 (half the file size). Default f32. */
	type?: "f32" | "f16";
}

export interface WriteGgufOptions {
	/** A GGUF file whose tokenizer is copied (e.g. stories260K.gguf). */
	tokenizerFrom: string;
	name?: string;
	seed?: number;
	/** Standard deviation of the random weights. */
	std?: number;
	/** A Jinja chat template, written as `tokenizer.chat_template`. */
	chatTemplate?: string;
}

const GGUF_ALIGNMENT = 32;
enum ValueType {
	UINT32 = 4,
	INT32 = 5,
	FLOAT32 = 6,
	STRING = 8,
	ARRAY = 9,
}
enum GgmlType {
	F32 = 0,
	F16 = 1,
}

type Value =
	| { t: "u32"; v: number }
	| { t: "f32"; v: number }
	| { t: "str"; v: string }
	| { t: "str[]"; v: string[] }
	| { t: "f32[]"; v: number[] }
	| { t: "i32[]"; v: number[] };

/** Number of parameters a shape has (every tensor, embeddings included). */
export function countShapeParameters(shape: LlamaShape, vocab: number): number {
	const headDim = shape.dim / shape.heads;
	const kvDim = headDim * shape.kvHeads;
	const perLayer =
		shape.dim * shape.dim * 2 + shape.dim * kvDim * 2 + shape.dim * shape.ffn * 3 + shape.dim * 2;
	return vocab * shape.dim * 2 + shape.layers * perLayer + shape.dim;
}

class ByteSink {
	private chunks: Buffer[] = [];
	length = 0;
	push(buf: Buffer): void {
		this.chunks.push(buf);
		this.length += buf.length;
	}
	u32(v: number): void {
		const b = Buffer.alloc(4);
		b.writeUInt32LE(v);
		this.push(b);
	}
	i32(v: number): void {
		const b = Buffer.alloc(4);
		b.writeInt32LE(v);
		this.push(b);
	}
	u64(v: number): void {
		const b = Buffer.alloc(8);
		b.writeBigUInt64LE(BigInt(v));
		this.push(b);
	}
	f32(v: number): void {
		const b = Buffer.alloc(4);
		b.writeFloatLE(v);
		this.push(b);
	}
	str(s: string): void {
		const bytes = Buffer.from(s, "utf8");
		this.u64(bytes.length);
		this.push(bytes);
	}
	bytes(): Buffer {
		return Buffer.concat(this.chunks);
	}
}

function writeValue(sink: ByteSink, value: Value): void {
	switch (value.t) {
		case "u32":
			sink.u32(ValueType.UINT32);
			sink.u32(value.v);
			return;
		case "f32":
			sink.u32(ValueType.FLOAT32);
			sink.f32(value.v);
			return;
		case "str":
			sink.u32(ValueType.STRING);
			sink.str(value.v);
			return;
		case "str[]":
			sink.u32(ValueType.ARRAY);
			sink.u32(ValueType.STRING);
			sink.u64(value.v.length);
			for (const s of value.v) sink.str(s);
			return;
		case "f32[]":
			sink.u32(ValueType.ARRAY);
			sink.u32(ValueType.FLOAT32);
			sink.u64(value.v.length);
			for (const x of value.v) sink.f32(x);
			return;
		case "i32[]":
			sink.u32(ValueType.ARRAY);
			sink.u32(ValueType.INT32);
			sink.u64(value.v.length);
			for (const x of value.v) sink.i32(x);
			return;
	}
}

const f32Scratch = new Float32Array(1);
const u32View = new Uint32Array(f32Scratch.buffer);
function toHalf(x: number): number {
	f32Scratch[0] = x;
	const bits = u32View[0];
	const sign = (bits >>> 16) & 0x8000;
	const exp = ((bits >>> 23) & 0xff) - 127 + 15;
	const mant = bits & 0x7fffff;
	if (exp <= 0) return sign; // tiny values flush to zero: fine for random weights
	if (exp >= 31) return sign | 0x7c00;
	return sign | (exp << 10) | (mant >>> 13);
}

/** Writes a random-weight GGUF file and resolves with its parameter count. */
export async function writeRandomLlamaGguf(
	path: string,
	shape: LlamaShape,
	options: WriteGgufOptions,
): Promise<{ parameters: number; vocab: number }> {
	const donor = await readGgufFileInfo(options.tokenizerFrom, { readTensorInfo: false });
	const tok = (donor.metadata as unknown as { tokenizer: { ggml: Record<string, unknown> } }).tokenizer.ggml;
	const tokens = [...(tok.tokens as string[])];
	const scores = [...(tok.scores as number[])];
	const types = [...(tok.token_type as number[])];
	const vocab = Math.max(shape.vocab ?? tokens.length, tokens.length);
	for (let i = tokens.length; i < vocab; i++) {
		// Padding tokens no text will ever produce: private-use characters, lowest score.
		tokens.push(`\u{F0000}${i.toString(36)}`);
		scores.push(-1e9);
		types.push(1);
	}
	const headDim = shape.dim / shape.heads;
	if (!Number.isInteger(headDim) || shape.heads % shape.kvHeads !== 0) {
		throw new Error(`invalid shape: dim ${shape.dim} must divide by heads ${shape.heads}, heads by kvHeads`);
	}
	const kvDim = headDim * shape.kvHeads;
	const type = shape.type ?? "f32";
	const metadata: Array<[string, Value]> = [
		["general.architecture", { t: "str", v: "llama" }],
		["general.name", { t: "str", v: options.name ?? "random-llama" }],
		["general.alignment", { t: "u32", v: GGUF_ALIGNMENT }],
		["llama.context_length", { t: "u32", v: shape.contextLength ?? 2048 }],
		["llama.embedding_length", { t: "u32", v: shape.dim }],
		["llama.block_count", { t: "u32", v: shape.layers }],
		["llama.feed_forward_length", { t: "u32", v: shape.ffn }],
		["llama.rope.dimension_count", { t: "u32", v: headDim }],
		["llama.attention.head_count", { t: "u32", v: shape.heads }],
		["llama.attention.head_count_kv", { t: "u32", v: shape.kvHeads }],
		["llama.attention.layer_norm_rms_epsilon", { t: "f32", v: 1e-5 }],
		["tokenizer.ggml.model", { t: "str", v: String(tok.model ?? "llama") }],
		["tokenizer.ggml.tokens", { t: "str[]", v: tokens }],
		["tokenizer.ggml.scores", { t: "f32[]", v: scores }],
		["tokenizer.ggml.token_type", { t: "i32[]", v: types }],
		["tokenizer.ggml.bos_token_id", { t: "u32", v: Number(tok.bos_token_id ?? 1) }],
		["tokenizer.ggml.eos_token_id", { t: "u32", v: Number(tok.eos_token_id ?? 2) }],
		["tokenizer.ggml.padding_token_id", { t: "u32", v: Number(tok.padding_token_id ?? 0) }],
		...(options.chatTemplate === undefined
			? []
			: [["tokenizer.chat_template", { t: "str", v: options.chatTemplate }] as [string, Value]]),
	];

	// ne0 is the fastest-moving dimension, as GGUF lists it.
	const tensors: Array<{ name: string; dims: number[]; norm: boolean }> = [
		{ name: "token_embd.weight", dims: [shape.dim, vocab], norm: false },
	];
	for (let l = 0; l < shape.layers; l++) {
		tensors.push(
			{ name: `blk.${l}.attn_q.weight`, dims: [shape.dim, shape.dim], norm: false },
			{ name: `blk.${l}.attn_k.weight`, dims: [shape.dim, kvDim], norm: false },
			{ name: `blk.${l}.attn_v.weight`, dims: [shape.dim, kvDim], norm: false },
			{ name: `blk.${l}.attn_output.weight`, dims: [shape.dim, shape.dim], norm: false },
			{ name: `blk.${l}.ffn_gate.weight`, dims: [shape.dim, shape.ffn], norm: false },
			{ name: `blk.${l}.ffn_down.weight`, dims: [shape.ffn, shape.dim], norm: false },
			{ name: `blk.${l}.ffn_up.weight`, dims: [shape.dim, shape.ffn], norm: false },
			{ name: `blk.${l}.attn_norm.weight`, dims: [shape.dim], norm: true },
			{ name: `blk.${l}.ffn_norm.weight`, dims: [shape.dim], norm: true },
		);
	}
	tensors.push(
		{ name: "output_norm.weight", dims: [shape.dim], norm: true },
		{ name: "output.weight", dims: [shape.dim, vocab], norm: false },
	);

	const header = new ByteSink();
	header.push(Buffer.from("GGUF", "latin1"));
	header.u32(3);
	header.u64(tensors.length);
	header.u64(metadata.length);
	for (const [key, value] of metadata) {
		header.str(key);
		writeValue(header, value);
	}
	let offset = 0;
	const layout: Array<{ elements: number; offset: number; norm: boolean; ggml: GgmlType }> = [];
	for (const tensor of tensors) {
		// Norm weights stay f32, as converters write them.
		const ggml = tensor.norm || type === "f32" ? GgmlType.F32 : GgmlType.F16;
		const elements = tensor.dims.reduce((a, b) => a * b, 1);
		header.str(tensor.name);
		header.u32(tensor.dims.length);
		for (const d of tensor.dims) header.u64(d);
		header.u32(ggml);
		header.u64(offset);
		layout.push({ elements, offset, norm: tensor.norm, ggml });
		offset += elements * (ggml === GgmlType.F32 ? 4 : 2);
		offset = Math.ceil(offset / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
	}
	const head = header.bytes();
	const padded = Math.ceil(head.length / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;

	const out = createWriteStream(path);
	const write = (buf: Buffer) =>
		new Promise<void>((resolve, reject) => out.write(buf, (err) => (err ? reject(err) : resolve())));
	await write(Buffer.concat([head, Buffer.alloc(padded - head.length)]));
	const random = createPrng(options.seed ?? 1);
	const std = options.std ?? 0.02;
	let written = 0;
	for (const t of layout) {
		if (t.offset > written) await write(Buffer.alloc(t.offset - written));
		const bytesPer = t.ggml === GgmlType.F32 ? 4 : 2;
		const chunkElems = 1 << 18;
		for (let start = 0; start < t.elements; start += chunkElems) {
			const n = Math.min(chunkElems, t.elements - start);
			const buf = Buffer.alloc(n * bytesPer);
			for (let i = 0; i < n; i++) {
				// Uniform noise scaled to the wanted standard deviation (√3 σ bounds).
				const x = t.norm ? 1 : (random.nextFloat() * 2 - 1) * std * Math.sqrt(3);
				if (bytesPer === 4) buf.writeFloatLE(x, i * 4);
				else buf.writeUInt16LE(toHalf(x), i * 2);
			}
			await write(buf);
		}
		written = t.offset + t.elements * bytesPer;
	}
	await new Promise<void>((resolve, reject) =>
		out.end((err?: Error | null) => (err ? reject(err) : resolve())),
	);
	return { parameters: countShapeParameters(shape, vocab), vocab };
}
