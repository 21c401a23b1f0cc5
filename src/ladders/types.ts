/** @module Ladders: named lists of models of one or more families, ordered by size. */

/**
 * The dialects of OpenAI-compatible chat servers (docs/ladders.md has the table of each one's
 * controls): OpenAI's own API (and proxies of it: Azure OpenAI, OpenRouter, LiteLLM), vLLM (and
 * SGLang, which take the same fields), llama.cpp's `llama-server`.
 */
export const OPENAI_DIALECTS = ["openai", "vllm", "llama-server"] as const;
export type OpenAIDialect = (typeof OPENAI_DIALECTS)[number];

/** Where a model's weights or server are. */
export type ModelSource =
	/** A local GGUF file. */
	| { kind: "file"; path: string }
	/**
	 * A GGUF file on the Hugging Face hub: `hf:owner/repo/file.gguf`, or at a revision
	 * `hf:owner/repo/file.gguf#step64000`, downloaded into INVSCALE_HOME.
	 */
	| { kind: "hf"; uri: string; size?: number; sha256?: string }
	/** An OpenAI-compatible server; several base URLs are replicas of one model. */
	| {
			kind: "openai";
			baseUrls: string[];
			model: string;
			/** Name of the environment variable holding the API key (default OPENAI_API_KEY). */
			apiKeyEnv?: string;
			/** The checkpoint the server serves (vLLM `--revision`); part of the model's identity. */
			revision?: string;
			/**
			 * "completions" (default): `/v1/completions`, scoring by prompt log-probs and raw generation;
			 * "chat": `/v1/chat/completions`, generation only.
			 */
			api?: "completions" | "chat";
			/**
			 * Which API the chat server speaks (its fields for budgets, levels and reasoning off). Default:
			 * "openai" for api.openai.com, "vllm" for every other host.
			 */
			dialect?: OpenAIDialect;
	  }
	/** The Anthropic Messages API (`/v1/messages`): generation only. */
	| {
			kind: "anthropic";
			model: string;
			/** Default https://api.anthropic.com/v1; several are replicas. */
			baseUrls: string[];
			/** Name of the environment variable holding the API key (default ANTHROPIC_API_KEY). */
			apiKeyEnv?: string;
	  };

/** A model answered by a server (no file to fetch). */
export type RemoteSource = Extract<ModelSource, { kind: "openai" | "anthropic" }>;

export function isRemoteSource(source: ModelSource): source is RemoteSource {
	return source.kind === "openai" || source.kind === "anthropic";
}

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
	 * False: the model does not reason (a plain chat model such as gpt-4o-mini). Budget 0 then sends
	 * no reasoning control at all (a plain request), and budgets above 0 or levels are refused.
	 */
	reasoning?: false;
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
