/**
 * @module The catalog of open model ladders with GGUF files on the Hugging Face hub: data plus the
 * schema it is checked against. Parameter counts come from the models' published weights; where
 * the catalog leaves them out the llama.cpp backend reads them from the GGUF file.
 */
import { z } from "zod";
import type { Ladder, LadderModel } from "./types.js";

export const catalogFamilies = ["pythia", "gpt2", "smollm2", "qwen3"] as const;

const positiveInt = z.number().int().positive();

export const catalogModelSchema = z.strictObject({
	name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
	family: z.enum(catalogFamilies),
	/** Other names accepted when picking sizes (`pythia:160m`), besides the full name. */
	aliases: z.array(z.string().regex(/^[a-z0-9.]+$/)).min(1),
	uri: z.string().regex(/^hf:[\w.-]+\/[\w.-]+\/[\w./-]+\.gguf$/),
	/** Exact size of the GGUF file in bytes, checked after download. */
	sizeBytes: positiveInt.optional(),
	sha256: z
		.string()
		.regex(/^[0-9a-f]{64}$/)
		.optional(),
	/** Size of the download, exact when sizeBytes is known, else estimated (Q8_0 ≈ 1.07 bytes a parameter). */
	approximateBytes: positiveInt,
	/** The size in the model's name (160M, 1.4B): orders the ladder even where exact counts are unknown. */
	nominalParameters: positiveInt,
	parameters: positiveInt.optional(),
	nonEmbeddingParameters: positiveInt.optional(),
	trainingTokens: positiveInt.optional(),
});

export type CatalogModel = z.infer<typeof catalogModelSchema>;

export const catalogLadderSchema = z.strictObject({
	name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
	description: z.string().min(1),
	models: z.array(catalogModelSchema).min(1),
});

/** A named subset of a catalog ladder (for laptops): the models by name, in ladder order. */
export const catalogSubsetSchema = z.strictObject({
	name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
	description: z.string().min(1),
	of: z.string(),
	models: z.array(z.string()).min(1),
});

export type CatalogLadder = z.infer<typeof catalogLadderSchema>;
export type CatalogSubset = z.infer<typeof catalogSubsetSchema>;

/** Pythia: every size saw the same 299,892,736,000 tokens of the Pile, in the same order. */
const pythiaTokens = 299_892_736_000;

export const catalogLadders: CatalogLadder[] = [
	{
		name: "pythia",
		description:
			"EleutherAI Pythia, 160M to 6.9B; all sizes trained on the same 300B tokens in the same order",
		models: [
			["160m", 174_602_272, 162_322_944, 85_056_000, 160e6],
			["410m", 433_397_664, 405_334_016, 302_311_424, 410e6],
			["1b", 1_078_061_728, 1_011_781_632, 805_736_448, 1e9],
			["1.4b", 1_506_738_080, 1_414_647_808, 1_208_602_624, 1.4e9],
			["2.8b", 2_953_594_016, 2_775_208_960, 2_517_652_480, 2.8e9],
			["6.9b", 7_292_706_720, 6_857_302_016, 6_444_163_072, 6.9e9],
		].map(([size, bytes, parameters, nonEmbedding, nominal]) => ({
			name: `pythia-${size}`,
			family: "pythia" as const,
			aliases: [String(size)],
			uri: `hf:mradermacher/pythia-${size}-GGUF/pythia-${size}.Q8_0.gguf`,
			sizeBytes: Number(bytes),
			approximateBytes: Number(bytes),
			nominalParameters: Number(nominal),
			parameters: Number(parameters),
			nonEmbeddingParameters: Number(nonEmbedding),
			trainingTokens: pythiaTokens,
		})),
	},
	{
		name: "gpt2",
		description: "OpenAI GPT-2 (124M to 1.5B) with DistilGPT2 (82M) below it; training tokens not published",
		models: [
			{
				name: "distilgpt2",
				aliases: ["distil", "82m"],
				repo: "QuantFactory",
				parameters: 81_912_576,
				nonEmbedding: 42_528_768,
			},
			{
				name: "gpt2",
				aliases: ["124m"],
				repo: "mradermacher",
				parameters: 124_439_808,
				nonEmbedding: 85_056_000,
			},
			{
				name: "gpt2-medium",
				aliases: ["medium", "355m"],
				repo: "mradermacher",
				parameters: 354_823_168,
				nonEmbedding: 302_311_424,
			},
			{
				name: "gpt2-large",
				aliases: ["large", "774m"],
				repo: "mradermacher",
				parameters: 774_030_080,
				nonEmbedding: 708_390_400,
			},
			{
				name: "gpt2-xl",
				aliases: ["xl", "1.5b"],
				repo: "mradermacher",
				parameters: 1_557_611_200,
				nonEmbedding: 1_475_561_600,
			},
		].map(({ name, aliases, repo, parameters, nonEmbedding }) => ({
			name,
			family: "gpt2" as const,
			aliases,
			uri: `hf:${repo}/${name}-GGUF/${name}.Q8_0.gguf`,
			approximateBytes: Math.round(parameters * 1.07),
			nominalParameters: parameters,
			parameters,
			nonEmbeddingParameters: nonEmbedding,
		})),
	},
	{
		name: "smollm2",
		description: "Hugging Face SmolLM2 base models, 135M (2T tokens) and 360M (4T tokens)",
		models: [
			{
				name: "smollm2-135m",
				family: "smollm2",
				aliases: ["135m"],
				uri: "hf:mradermacher/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf",
				approximateBytes: 145_000_000,
				nominalParameters: 135e6,
				trainingTokens: 2e12,
			},
			{
				name: "smollm2-360m",
				family: "smollm2",
				aliases: ["360m"],
				uri: "hf:mradermacher/SmolLM2-360M-GGUF/SmolLM2-360M.Q8_0.gguf",
				approximateBytes: 386_000_000,
				nominalParameters: 360e6,
				trainingTokens: 4e12,
			},
		],
	},
	{
		name: "qwen3-base",
		description: "Alibaba Qwen3 base (pretrained, not chat) models, 0.6B to 8B, trained on 36T tokens",
		models: [
			{
				name: "qwen3-0.6b-base",
				family: "qwen3",
				aliases: ["0.6b"],
				uri: "hf:ggml-org/Qwen3-0.6B-Base-GGUF/Qwen3-0.6B-Base-Q8_0.gguf",
				approximateBytes: 639_000_000,
				nominalParameters: 0.6e9,
				trainingTokens: 36e12,
			},
			{
				name: "qwen3-1.7b-base",
				family: "qwen3",
				aliases: ["1.7b"],
				uri: "hf:mradermacher/Qwen3-1.7B-Base-GGUF/Qwen3-1.7B-Base.Q8_0.gguf",
				approximateBytes: 1_830_000_000,
				nominalParameters: 1.7e9,
				trainingTokens: 36e12,
			},
			{
				name: "qwen3-8b-base",
				family: "qwen3",
				aliases: ["8b"],
				uri: "hf:ggml-org/Qwen3-8B-Base-GGUF/Qwen3-8B-Base-Q8_0.gguf",
				approximateBytes: 8_710_000_000,
				nominalParameters: 8e9,
				trainingTokens: 36e12,
			},
		],
	},
];

export const catalogSubsets: CatalogSubset[] = [
	{
		name: "pythia-small",
		description: "Pythia 160M, 410M and 1B (≈1.7 GB, runs on a laptop)",
		of: "pythia",
		models: ["pythia-160m", "pythia-410m", "pythia-1b"],
	},
	{
		name: "gpt2-small",
		description: "DistilGPT2, GPT-2 and GPT-2 Medium (≈0.6 GB)",
		of: "gpt2",
		models: ["distilgpt2", "gpt2", "gpt2-medium"],
	},
	{
		name: "qwen3-base-small",
		description: "Qwen3 0.6B and 1.7B base (≈2.5 GB)",
		of: "qwen3-base",
		models: ["qwen3-0.6b-base", "qwen3-1.7b-base"],
	},
];

/** A catalog model as a LadderModel (the hub source carries the size and checksum when known). */
export function catalogModelToLadderModel(model: CatalogModel): LadderModel {
	const ladderModel: LadderModel = {
		name: model.name,
		family: model.family,
		source: {
			kind: "hf",
			uri: model.uri,
			...(model.sizeBytes !== undefined && { size: model.sizeBytes }),
			...(model.sha256 !== undefined && { sha256: model.sha256 }),
		},
	};
	if (model.parameters !== undefined) ladderModel.parameters = model.parameters;
	if (model.nonEmbeddingParameters !== undefined)
		ladderModel.nonEmbeddingParameters = model.nonEmbeddingParameters;
	if (model.trainingTokens !== undefined) ladderModel.trainingTokens = model.trainingTokens;
	return ladderModel;
}

/** The catalog's ladders and subsets by name, each with its models in ascending size. */
export function catalogEntries(): Array<{
	name: string;
	description: string;
	subsetOf?: string;
	models: CatalogModel[];
}> {
	const full = catalogLadders.map((ladder) => ({
		name: ladder.name,
		description: ladder.description,
		models: ladder.models,
	}));
	const subsets = catalogSubsets.map((subset) => {
		const base = catalogLadders.find((ladder) => ladder.name === subset.of);
		const models = (base?.models ?? []).filter((model) => subset.models.includes(model.name));
		return { name: subset.name, description: subset.description, subsetOf: subset.of, models };
	});
	return [...full, ...subsets];
}

/** A catalog ladder or subset as a Ladder, or undefined when the name is not in the catalog. */
export function catalogLadder(name: string): Ladder | undefined {
	const entry = catalogEntries().find((candidate) => candidate.name === name);
	if (!entry) return undefined;
	return {
		name: entry.name,
		description: entry.description,
		models: entry.models.map(catalogModelToLadderModel),
	};
}
