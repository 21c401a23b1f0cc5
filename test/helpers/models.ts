/** @module Model files for tests: the real stories260K model and random-weight ladders made on demand. */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fixturePath } from "../../src/testing/fixtures.js";
import { type LlamaShape, writeRandomLlamaGguf } from "../../src/testing/gguf-writer.js";

/**
 * The one real pretrained model, a committed fixture. Checked on import: every user of this module
 * needs it (random models copy its tokenizer), so a missing file fails each such test file with one line.
 */
export const STORIES_260K = fixturePath("stories260K");

/** Small shapes for a three-model test ladder (all share stories260K's 512-token vocabulary). */
export const TEST_SHAPES: Record<string, LlamaShape> = {
	"tiny-a": { dim: 32, layers: 1, heads: 2, kvHeads: 1, ffn: 64, contextLength: 512 },
	"tiny-b": { dim: 64, layers: 2, heads: 4, kvHeads: 2, ffn: 128, contextLength: 512 },
	"tiny-c": { dim: 96, layers: 3, heads: 4, kvHeads: 2, ffn: 192, contextLength: 512 },
};

/**
 * Path of a random-weight model of the given shape, written once per machine into a shared temp
 * folder (files are deterministic for a name, shape and seed, so tests may share them).
 */
export async function randomModel(
	name: string,
	shape: LlamaShape = TEST_SHAPES[name],
	seed = 7,
): Promise<string> {
	const dir = join(tmpdir(), "invscale-test-models");
	mkdirSync(dir, { recursive: true });
	const key = `${name}-${shape.dim}x${shape.layers}-${shape.heads}-${shape.kvHeads}-${shape.ffn}-${shape.vocab ?? 0}-${shape.type ?? "f32"}-${seed}`;
	// The file is named after the model, so runs name their outputs `<name>.csv`.
	const path = join(dir, key, `${name}.gguf`);
	if (!existsSync(path)) {
		mkdirSync(dirname(path), { recursive: true });
		const part = `${path}.${process.pid}.part`;
		await writeRandomLlamaGguf(part, shape, { tokenizerFrom: STORIES_260K, name, seed });
		renameSync(part, path);
	}
	return path;
}

/** The three-model random ladder of TEST_SHAPES, smallest first. */
export async function testLadder(): Promise<Array<{ name: string; path: string }>> {
	const out = [];
	for (const name of Object.keys(TEST_SHAPES)) out.push({ name, path: await randomModel(name) });
	return out;
}
