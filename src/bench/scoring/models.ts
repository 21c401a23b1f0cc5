/**
 * @module Random-weight Llama models at realistic shapes (vocabulary 32000, f16 weights) for the
 * scoring benchmark, written once into a cache folder under the system temp directory and reused.
 */
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fixturePath } from "../../testing/fixtures.js";
import { countShapeParameters, type LlamaShape, writeRandomLlamaGguf } from "../../testing/gguf-writer.js";

/** The donor of the tokenizer: the one real model, a test fixture of the repository (sha256 checked). */
export const STORIES_260K = fixturePath("stories260K");

const VOCAB = 32000;

/** About 15M, 40M and 110M parameters, every tensor counted (untied input and output embeddings). */
export const benchShapes: Record<string, LlamaShape> = {
	"llama-15m": {
		dim: 192,
		layers: 6,
		heads: 6,
		kvHeads: 6,
		ffn: 512,
		vocab: VOCAB,
		contextLength: 2048,
		type: "f16",
	},
	"llama-40m": {
		dim: 384,
		layers: 8,
		heads: 6,
		kvHeads: 6,
		ffn: 1024,
		vocab: VOCAB,
		contextLength: 2048,
		type: "f16",
	},
	"llama-110m": {
		dim: 640,
		layers: 12,
		heads: 10,
		kvHeads: 10,
		ffn: 2048,
		vocab: VOCAB,
		contextLength: 2048,
		type: "f16",
	},
};

export interface BenchModel {
	name: string;
	path: string;
	parameters: number;
	bytes: number;
	shape: LlamaShape;
}

/** Writes the models that are not in the cache yet; files are deterministic for a name and shape. */
export async function ensureBenchModels(names: string[] = Object.keys(benchShapes)): Promise<BenchModel[]> {
	const root = join(tmpdir(), "invscale-bench-models");
	const out: BenchModel[] = [];
	for (const name of names) {
		const shape = benchShapes[name];
		const key = `${shape.dim}x${shape.layers}-${shape.heads}-${shape.kvHeads}-${shape.ffn}-${shape.vocab}-${shape.type}`;
		const path = join(root, key, `${name}.gguf`);
		if (!existsSync(path)) {
			mkdirSync(dirname(path), { recursive: true });
			const part = `${path}.${process.pid}.part`;
			await writeRandomLlamaGguf(part, shape, { tokenizerFrom: STORIES_260K, name, seed: 11 });
			renameSync(part, path);
		}
		out.push({
			name,
			path,
			parameters: countShapeParameters(shape, VOCAB),
			bytes: statSync(path).size,
			shape,
		});
	}
	return out;
}
