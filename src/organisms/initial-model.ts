/**
 * @module Writes an organism's untrained starting point: a Llama-architecture GGUF of a chosen
 * shape with the organisms' vocabulary and seeded random weights (GPT-2/llama2.c initialisation:
 * normal, std 0.02, residual projections scaled by 1/√(2·layers)). llama.cpp's trainer starts here.
 */
import { GgmlType, type GgufTensor, type GgufValue } from "../gguf/format.js";
import { writeGgufFile } from "../gguf/write.js";
import { createPrng } from "../util/prng.js";
import type { Vocabulary } from "./vocabulary.js";

export interface OrganismShape {
	name: string;
	dim: number;
	layers: number;
	heads: number;
	ffn: number;
}

/** Parameters without the token embedding and output matrices (the scaling-law convention). */
export function nonEmbeddingParameters(shape: OrganismShape): number {
	const perLayer = 4 * shape.dim * shape.dim + 3 * shape.dim * shape.ffn + 2 * shape.dim;
	return shape.layers * perLayer + shape.dim;
}

export function totalParameters(shape: OrganismShape, vocab: number): number {
	return nonEmbeddingParameters(shape) + 2 * vocab * shape.dim;
}

/** The llama.cpp metadata of an organism (architecture, shape and tokenizer). */
export function organismMetadata(
	shape: OrganismShape,
	vocab: Vocabulary,
	contextLength: number,
	weights: "f32" | "f16" = "f32",
): Array<[string, GgufValue]> {
	return [
		["general.architecture", { t: "str", v: "llama" }],
		["general.name", { t: "str", v: shape.name }],
		// llama.cpp's file types: 0 all f32, 1 mostly f16 (norm weights stay f32).
		["general.file_type", { t: "u32", v: weights === "f32" ? 0 : 1 }],
		["llama.context_length", { t: "u32", v: contextLength }],
		["llama.embedding_length", { t: "u32", v: shape.dim }],
		["llama.block_count", { t: "u32", v: shape.layers }],
		["llama.feed_forward_length", { t: "u32", v: shape.ffn }],
		["llama.rope.dimension_count", { t: "u32", v: shape.dim / shape.heads }],
		["llama.rope.freq_base", { t: "f32", v: 10000 }],
		["llama.attention.head_count", { t: "u32", v: shape.heads }],
		["llama.attention.head_count_kv", { t: "u32", v: shape.heads }],
		["llama.attention.layer_norm_rms_epsilon", { t: "f32", v: 1e-5 }],
		["llama.vocab_size", { t: "u32", v: vocab.tokens.length }],
		["tokenizer.ggml.model", { t: "str", v: "llama" }],
		["tokenizer.ggml.tokens", { t: "str[]", v: vocab.tokens }],
		["tokenizer.ggml.scores", { t: "f32[]", v: vocab.scores }],
		["tokenizer.ggml.token_type", { t: "i32[]", v: vocab.types }],
		["tokenizer.ggml.unknown_token_id", { t: "u32", v: vocab.unk }],
		["tokenizer.ggml.bos_token_id", { t: "u32", v: vocab.bos }],
		["tokenizer.ggml.eos_token_id", { t: "u32", v: vocab.eos }],
		// The corpus is one stream of documents with no BOS between them, so none is added at scoring.
		["tokenizer.ggml.add_bos_token", { t: "bool", v: false }],
		["tokenizer.ggml.add_eos_token", { t: "bool", v: false }],
		["tokenizer.ggml.add_space_prefix", { t: "bool", v: true }],
	];
}

/** Writes the seeded starting weights of `shape` to `path` (atomically). */
export function writeInitialModel(
	path: string,
	shape: OrganismShape,
	vocab: Vocabulary,
	contextLength: number,
	seed: number,
): void {
	const random = createPrng(seed);
	const n = vocab.tokens.length;
	const d = shape.dim;
	const normal = (count: number, std: number) => {
		const data = new Float32Array(count);
		for (let i = 0; i < count; i++) data[i] = random.nextNormal() * std;
		return data;
	};
	const ones = (count: number) => new Float32Array(count).fill(1);
	const residualStd = 0.02 / Math.sqrt(2 * shape.layers);
	const tensors: GgufTensor[] = [
		{ name: "token_embd.weight", dims: [d, n], type: GgmlType.F32, data: normal(d * n, 0.02) },
	];
	for (let l = 0; l < shape.layers; l++) {
		const t = (name: string, dims: number[], data: Float32Array) =>
			tensors.push({ name: `blk.${l}.${name}.weight`, dims, type: GgmlType.F32, data });
		t("attn_norm", [d], ones(d));
		t("attn_q", [d, d], normal(d * d, 0.02));
		t("attn_k", [d, d], normal(d * d, 0.02));
		t("attn_v", [d, d], normal(d * d, 0.02));
		t("attn_output", [d, d], normal(d * d, residualStd));
		t("ffn_norm", [d], ones(d));
		t("ffn_gate", [d, shape.ffn], normal(d * shape.ffn, 0.02));
		t("ffn_up", [d, shape.ffn], normal(d * shape.ffn, 0.02));
		t("ffn_down", [shape.ffn, d], normal(shape.ffn * d, residualStd));
	}
	tensors.push(
		{ name: "output_norm.weight", dims: [d], type: GgmlType.F32, data: ones(d) },
		{ name: "output.weight", dims: [d, n], type: GgmlType.F32, data: normal(d * n, 0.02) },
	);
	writeGgufFile(path, organismMetadata(shape, vocab, contextLength), tensors);
}

/**
 * Writes a trained checkpoint as the half-precision file that is shipped: the same tensors, in the
 * same order, matrices in f16 and norm weights in f32 (as llama.cpp's converters write them).
 */
export function writeShippedModel(
	path: string,
	shape: OrganismShape,
	vocab: Vocabulary,
	contextLength: number,
	trained: Array<{ name: string; dims: number[]; data: Float32Array }>,
): void {
	const tensors = trained.map((t) => ({
		name: t.name,
		dims: t.dims,
		type: t.dims.length === 1 ? GgmlType.F32 : GgmlType.F16,
		data: t.data,
	}));
	writeGgufFile(path, organismMetadata(shape, vocab, contextLength, "f16"), tensors);
}
