/**
 * @module Parameter counts of the models the Inverse Scaling Prize evaluated, by the names its
 * files use, and of the Pythia suite (the counts its authors publish).
 */
import { PYTHIA_TOKENS_PER_STEP } from "../run/conditions.js";

export interface KnownModel {
	family: string;
	parameters: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
}

const M = 1e6;
const B = 1e9;
/** Every Pythia model was trained for 143,000 steps of 2,097,152 tokens. */
export const PYTHIA_FINAL_STEP = 143_000;
const pythiaTokens = PYTHIA_FINAL_STEP * PYTHIA_TOKENS_PER_STEP;

/** Pythia's published total and non-embedding parameter counts (Biderman et al. 2023). */
const pythia = (parameters: number, nonEmbeddingParameters: number): KnownModel => ({
	family: "pythia",
	parameters,
	nonEmbeddingParameters,
	trainingTokens: pythiaTokens,
});

/** Sizes from the prize's table (gpt2, GPT-3 and InstructGPT, GPT-Neo/J, OPT) and Pythia's published counts. */
export const prizeModels: Readonly<Record<string, KnownModel>> = {
	gpt2: { family: "gpt2", parameters: 124 * M },
	"gpt2-medium": { family: "gpt2", parameters: 355 * M },
	"gpt2-large": { family: "gpt2", parameters: 774 * M },
	"gpt2-xl": { family: "gpt2", parameters: 1.5 * B },
	ada: { family: "gpt3", parameters: 350 * M },
	babbage: { family: "gpt3", parameters: 1.3 * B },
	curie: { family: "gpt3", parameters: 6.7 * B },
	davinci: { family: "gpt3", parameters: 175 * B },
	// InstructGPT (FeedME) and its successors, at the sizes of the base models they were tuned from;
	// the prize's pipeline wrote their results under these API names.
	"text-ada-001": { family: "instructgpt", parameters: 350 * M },
	"text-babbage-001": { family: "instructgpt", parameters: 1.3 * B },
	"text-curie-001": { family: "instructgpt", parameters: 6.7 * B },
	"text-davinci-001": { family: "instructgpt", parameters: 175 * B },
	"text-davinci-002": { family: "text-davinci-002", parameters: 175 * B },
	"text-davinci-003": { family: "text-davinci-003", parameters: 175 * B },
	"gpt-neo-125m": { family: "gpt-neo", parameters: 125 * M },
	"gpt-neo-1.3b": { family: "gpt-neo", parameters: 1.3 * B },
	"gpt-neo-2.7b": { family: "gpt-neo", parameters: 2.7 * B },
	"gpt-j-6b": { family: "gpt-neo", parameters: 6 * B },
	"opt-125m": { family: "opt", parameters: 125 * M },
	"opt-350m": { family: "opt", parameters: 350 * M },
	"opt-1.3b": { family: "opt", parameters: 1.3 * B },
	"opt-2.7b": { family: "opt", parameters: 2.7 * B },
	"opt-6.7b": { family: "opt", parameters: 6.7 * B },
	"opt-13b": { family: "opt", parameters: 13 * B },
	"opt-30b": { family: "opt", parameters: 30 * B },
	"opt-66b": { family: "opt", parameters: 66 * B },
	"opt-175b": { family: "opt", parameters: 175 * B },
	"pythia-70m": pythia(70_426_624, 18_915_328),
	"pythia-160m": pythia(162_322_944, 85_056_000),
	"pythia-410m": pythia(405_334_016, 302_311_424),
	"pythia-1b": pythia(1_011_781_632, 805_736_448),
	"pythia-1.4b": pythia(1_414_647_808, 1_208_602_624),
	"pythia-2.8b": pythia(2_775_208_960, 2_517_652_480),
	"pythia-6.9b": pythia(6_857_302_016, 6_444_163_072),
	"pythia-12b": pythia(11_846_072_320, 11_327_027_200),
};

/** Looks a model up by file name, ignoring case and an `EleutherAI/` or `facebook/` style prefix. */
export function knownModel(name: string): KnownModel | undefined {
	const key = name.toLowerCase().replace(/^.*\//, "");
	return prizeModels[key];
}

/** A Pythia model by name (`pythia-410m`, `EleutherAI/pythia-410m-deduped`): the deduped runs have the same sizes. */
export function pythiaModel(name: string): KnownModel | undefined {
	const known = knownModel(name.trim().replace(/-deduped$/i, ""));
	return known?.family === "pythia" ? known : undefined;
}
