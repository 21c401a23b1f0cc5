/** @module Opens a Backend on OpenAI-compatible completions servers (vLLM, OpenAI, Together, ...). */
import type { LadderModel } from "../../ladders/types.js";
import { type Backend, BackendError } from "../types.js";

export interface OpenOpenAIBackendOptions {
	signal?: AbortSignal;
	env?: NodeJS.ProcessEnv;
	onStatus?(status: { retries: number; concurrency: number }): void;
}

export async function openOpenAIBackend(
	model: LadderModel,
	_options: OpenOpenAIBackendOptions = {},
): Promise<Backend & { parallelism: number }> {
	throw new BackendError(`${model.name}: the OpenAI-compatible backend is not built yet`, "unsupported");
}
