/**
 * @module Writes random-weight Llama-architecture GGUF files of chosen shapes, with the
 * SentencePiece vocabulary of a real model file. Tests and benchmarks build model ladders with it:
 * the files load and run in llama.cpp like real ones (their predictions are noise).
 */
import { readGgufFileInfo } from "node-llama-cpp";
import { GgmlType, type GgufTensor, type GgufValue } from "../gguf/format.js";
import { writeGgufFile } from "../gguf/write.js";
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

/** Number of parameters a shape has (every tensor, embeddings included). */
export function countShapeParameters(shape: LlamaShape, vocab: number): number {
	const headDim = shape.dim / shape.heads;
	const kvDim = headDim * shape.kvHeads;
	const perLayer =
		shape.dim * shape.dim * 2 + shape.dim * kvDim * 2 + shape.dim * shape.ffn * 3 + shape.dim * 2;
	return vocab * shape.dim * 2 + shape.layers * perLayer + shape.dim;
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
	const metadata: Array<[string, GgufValue]> = [
		["general.architecture", { t: "str", v: "llama" }],
		["general.name", { t: "str", v: options.name ?? "random-llama" }],
		["general.alignment", { t: "u32", v: 32 }],
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
			: [["tokenizer.chat_template", { t: "str", v: options.chatTemplate }] as [string, GgufValue]]),
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

	const random = createPrng(options.seed ?? 1);
	const std = options.std ?? 0.02;
	const weights: GgufTensor[] = tensors.map((tensor) => {
		const data = new Float32Array(tensor.dims.reduce((a, b) => a * b, 1));
		// Uniform noise scaled to the wanted standard deviation (√3 σ bounds); norm weights are 1.
		for (let i = 0; i < data.length; i++)
			data[i] = tensor.norm ? 1 : (random.nextFloat() * 2 - 1) * std * Math.sqrt(3);
		// Norm weights stay f32, as converters write them.
		return {
			name: tensor.name,
			dims: tensor.dims,
			type: tensor.norm || type === "f32" ? GgmlType.F32 : GgmlType.F16,
			data,
		};
	});
	writeGgufFile(path, metadata, weights);
	return { parameters: countShapeParameters(shape, vocab), vocab };
}
