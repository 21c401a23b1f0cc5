import { describe, expect, it } from "vitest";
import {
	catalogEntries,
	catalogLadder,
	catalogLadderSchema,
	catalogLadders,
	catalogSubsetSchema,
	catalogSubsets,
} from "../../src/ladders/catalog.js";
import { parseHfUri } from "../../src/ladders/hf-uri.js";

describe("the catalog", () => {
	it("passes its schema: every model has a hub URI, a size and a family", () => {
		for (const ladder of catalogLadders)
			expect(catalogLadderSchema.safeParse(ladder).success, ladder.name).toBe(true);
		for (const subset of catalogSubsets)
			expect(catalogSubsetSchema.safeParse(subset).success, subset.name).toBe(true);
		for (const model of catalogLadders.flatMap((ladder) => ladder.models)) {
			expect(parseHfUri(model.uri).ok, model.uri).toBe(true);
			expect(model.nominalParameters).toBeGreaterThan(0);
		}
	});

	it("has unique ladder names and unique model names and aliases within each ladder", () => {
		const names = catalogEntries().map((entry) => entry.name);
		expect(new Set(names).size).toBe(names.length);
		for (const ladder of catalogLadders) {
			const tokens = ladder.models.flatMap((model) => [model.name, ...model.aliases]);
			expect(new Set(tokens).size, ladder.name).toBe(tokens.length);
		}
	});

	it("lists every ladder's models in ascending size", () => {
		for (const entry of catalogEntries()) {
			const sizes = entry.models.map((model) => model.parameters ?? model.nominalParameters);
			expect(sizes, entry.name).toEqual([...sizes].sort((a, b) => a - b));
			const bytes = entry.models.map((model) => model.approximateBytes);
			expect(bytes, entry.name).toEqual([...bytes].sort((a, b) => a - b));
		}
	});

	it("keeps exact counts consistent: non-embedding below total, files a little over one byte a weight", () => {
		for (const model of catalogLadders.flatMap((ladder) => ladder.models)) {
			if (model.parameters !== undefined && model.nonEmbeddingParameters !== undefined)
				expect(model.nonEmbeddingParameters).toBeLessThan(model.parameters);
			// Q8_0 stores 34 bytes per 32 weights, plus metadata and a few float tensors.
			if (model.sizeBytes !== undefined && model.parameters !== undefined) {
				expect(model.sizeBytes / model.parameters).toBeGreaterThan(34 / 32);
				expect(model.sizeBytes / model.parameters).toBeLessThan(1.1);
			}
		}
	});

	it("holds the published Pythia figures", () => {
		const pythia = catalogLadder("pythia");
		expect(pythia?.models.map((model) => model.name)).toEqual([
			"pythia-160m",
			"pythia-410m",
			"pythia-1b",
			"pythia-1.4b",
			"pythia-2.8b",
			"pythia-6.9b",
		]);
		expect(pythia?.models[0]).toEqual({
			name: "pythia-160m",
			family: "pythia",
			source: {
				kind: "hf",
				uri: "hf:mradermacher/pythia-160m-GGUF/pythia-160m.Q8_0.gguf",
				size: 174_602_272,
			},
			parameters: 162_322_944,
			nonEmbeddingParameters: 85_056_000,
			trainingTokens: 299_892_736_000,
		});
		expect(pythia?.models.every((model) => model.trainingTokens === 299_892_736_000)).toBe(true);
	});

	it("has the laptop subsets as prefixes of their ladders", () => {
		expect(catalogLadder("pythia-small")?.models.map((model) => model.name)).toEqual([
			"pythia-160m",
			"pythia-410m",
			"pythia-1b",
		]);
		expect(catalogLadder("gpt2-small")?.models.map((model) => model.name)).toEqual([
			"distilgpt2",
			"gpt2",
			"gpt2-medium",
		]);
		for (const subset of catalogSubsets)
			expect(catalogLadder(subset.name)?.models.length, subset.name).toBe(subset.models.length);
	});

	it("follows each repository's file naming", () => {
		const uris = catalogLadders.flatMap((ladder) => ladder.models.map((model) => model.uri));
		expect(uris).toContain("hf:QuantFactory/distilgpt2-GGUF/distilgpt2.Q8_0.gguf");
		expect(uris).toContain("hf:mradermacher/gpt2-xl-GGUF/gpt2-xl.Q8_0.gguf");
		expect(uris).toContain("hf:ggml-org/Qwen3-0.6B-Base-GGUF/Qwen3-0.6B-Base-Q8_0.gguf");
		expect(uris).toContain("hf:mradermacher/Qwen3-1.7B-Base-GGUF/Qwen3-1.7B-Base.Q8_0.gguf");
		expect(uris).toContain("hf:ggml-org/Qwen3-8B-Base-GGUF/Qwen3-8B-Base-Q8_0.gguf");
	});
});
