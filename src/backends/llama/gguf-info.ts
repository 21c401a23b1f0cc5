/** @module What a GGUF file says about its model: sizes, context, tokenizer and vocabulary pieces. */
import { open } from "node:fs/promises";
import { readGgufFileInfo } from "node-llama-cpp";
import type { TokenizerKind } from "../types.js";

export interface GgufModelInfo {
	architecture: string;
	name?: string;
	parameters: number;
	/** Parameters minus the input embedding and a separate output (unembedding) matrix. */
	nonEmbeddingParameters: number;
	contextLength: number;
	vocabSize: number;
	tokenizer: TokenizerKind;
	/** The `tokenizer.ggml.model` value: `llama` (SentencePiece), `gpt2` (byte-level BPE), … */
	tokenizerModel: string;
	/** Vocabulary strings, as stored in the file. */
	tokens: string[];
	/** Token types (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte). */
	tokenTypes?: number[];
}

const EMBEDDING_TENSORS = new Set(["token_embd.weight", "output.weight"]);

const tokenizerKinds: Record<string, TokenizerKind> = {
	llama: "spm",
	gpt2: "bpe",
	bert: "wpm",
	t5: "ugm",
	rwkv: "rwkv",
};

/**
 * Checks the fixed GGUF header: magic, version and plausible counts. A file that fails this is not
 * handed to the full reader, which can wait forever on garbage lengths.
 */
async function checkGgufHeader(path: string): Promise<void> {
	const file = await open(path, "r");
	try {
		const header = Buffer.alloc(24);
		const { bytesRead } = await file.read(header, 0, 24, 0);
		if (bytesRead < 24 || header.toString("latin1", 0, 4) !== "GGUF") throw new Error("no GGUF header");
		const version = header.readUInt32LE(4);
		if (version < 2 || version > 3) throw new Error(`unsupported GGUF version ${version}`);
		const tensors = header.readBigUInt64LE(8);
		const keys = header.readBigUInt64LE(16);
		if (tensors > 1_000_000n || keys > 1_000_000n) throw new Error("implausible tensor or metadata count");
	} finally {
		await file.close();
	}
}

/** Reads the header of a GGUF file (no weights) and counts parameters from its tensor shapes. */
export async function readGgufModelInfo(path: string): Promise<GgufModelInfo> {
	await checkGgufHeader(path);
	const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
	const metadata = info.metadata as unknown as Record<string, Record<string, unknown>> & {
		general: { architecture: string; name?: string };
		tokenizer?: { ggml?: Record<string, unknown> };
	};
	let parameters = 0;
	let embedding = 0;
	for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
		const count = tensor.dimensions.reduce<number>((a, d) => a * Number(d), 1);
		parameters += count;
		if (EMBEDDING_TENSORS.has(tensor.name)) embedding += count;
	}
	const architecture = metadata.general.architecture;
	const arch = (metadata[architecture] ?? {}) as Record<string, unknown>;
	const ggml = metadata.tokenizer?.ggml ?? {};
	const tokens = (ggml.tokens as string[] | undefined) ?? [];
	const tokenizerModel = String(ggml.model ?? "unknown");
	return {
		architecture,
		name: metadata.general.name,
		parameters,
		nonEmbeddingParameters: parameters - embedding,
		contextLength: Number(arch.context_length ?? 2048),
		vocabSize: tokens.length,
		tokenizer: tokenizerKinds[tokenizerModel] ?? "unknown",
		tokenizerModel,
		tokens,
		tokenTypes: ggml.token_type as number[] | undefined,
	};
}
