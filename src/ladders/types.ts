/** @module Ladders: named lists of models of one or more families, ordered by size. */

/** Where a model's weights or server are. */
export type ModelSource =
	/** A local GGUF file. */
	| { kind: "file"; path: string }
	/**
	 * A GGUF file on the Hugging Face hub: `hf:owner/repo/file.gguf`, or at a revision
	 * `hf:owner/repo/file.gguf#step64000`, downloaded into INVSCALE_HOME.
	 */
	| { kind: "hf"; uri: string; size?: number; sha256?: string }
	/** An OpenAI-compatible completions server; several base URLs are replicas of one model. */
	| {
			kind: "openai";
			baseUrls: string[];
			model: string;
			/** Name of the environment variable holding the API key (default OPENAI_API_KEY). */
			apiKeyEnv?: string;
			/** The checkpoint the server serves (vLLM `--revision`); part of the model's identity. */
			revision?: string;
	  };

export interface LadderModel {
	/** Unique within the ladder; used for file names (`<name>.csv`). */
	name: string;
	family: string;
	source: ModelSource;
	parameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	/** Training step of the checkpoint (0 is the untrained start). */
	step?: number;
	/**
	 * The checkpoint, when not the default: the hub revision of a `uri` model, the server's
	 * `--revision`, or (for a local file) the revision it was converted from.
	 */
	revision?: string;
}

export interface Ladder {
	name: string;
	description?: string;
	models: LadderModel[];
}
