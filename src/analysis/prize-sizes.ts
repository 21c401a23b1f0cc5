/** @module Parameter counts of the models the Inverse Scaling Prize evaluated, by the names its files use. */

export interface KnownModel {
	family: string;
	parameters: number;
	trainingTokens?: number;
}

const M = 1e6;
const B = 1e9;
const pythiaTokens = 299.9 * B;

/** Sizes from the prize's table (gpt2, GPT-3 and InstructGPT, GPT-Neo/J, OPT) and Pythia. */
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
	"pythia-70m": { family: "pythia", parameters: 70 * M, trainingTokens: pythiaTokens },
	"pythia-160m": { family: "pythia", parameters: 160 * M, trainingTokens: pythiaTokens },
	"pythia-410m": { family: "pythia", parameters: 410 * M, trainingTokens: pythiaTokens },
	"pythia-1b": { family: "pythia", parameters: 1 * B, trainingTokens: pythiaTokens },
	"pythia-1.4b": { family: "pythia", parameters: 1.4 * B, trainingTokens: pythiaTokens },
	"pythia-2.8b": { family: "pythia", parameters: 2.8 * B, trainingTokens: pythiaTokens },
	"pythia-6.9b": { family: "pythia", parameters: 6.9 * B, trainingTokens: pythiaTokens },
	"pythia-12b": { family: "pythia", parameters: 12 * B, trainingTokens: pythiaTokens },
};

/** Looks a model up by file name, ignoring case and an `EleutherAI/` or `facebook/` style prefix. */
export function knownModel(name: string): KnownModel | undefined {
	const key = name.toLowerCase().replace(/^.*\//, "");
	return prizeModels[key];
}
