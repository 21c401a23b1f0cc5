/** @module Opens the Backend for a ladder model: a local or downloaded GGUF file, or a remote server. */
import { openLlamaBackend } from "../backends/llama/backend.js";
import { type Backend, BackendError } from "../backends/types.js";
import { type DownloadProgress, ensureModelFile } from "../ladders/index.js";
import type { LadderModel } from "../ladders/types.js";
import type { Precision } from "../run/manifest.js";
import { withTestHold } from "./test-hold.js";

export interface OpenBackendOptions {
	precision: Precision;
	offline?: boolean;
	onDownload?(progress: DownloadProgress): void;
	/** Remote backends: retries so far and current concurrency, whenever they change. */
	onStatus?(status: { retries: number; concurrency: number }): void;
	signal?: AbortSignal;
}

export async function openBackend(model: LadderModel, options: OpenBackendOptions): Promise<Backend> {
	return withTestHold(await openSource(model, options), model.name, options.signal);
}

async function openSource(model: LadderModel, options: OpenBackendOptions): Promise<Backend> {
	const source = model.source;
	switch (source.kind) {
		case "file":
		case "hf": {
			const path = await ensureModelFile(model, {
				offline: options.offline,
				onProgress: options.onDownload,
				signal: options.signal,
			});
			return openLlamaBackend(path, { precision: options.precision, name: model.name });
		}
		case "openai": {
			const { openOpenAIBackend } = await import("../backends/openai/index.js");
			return openOpenAIBackend(model, { signal: options.signal, onStatus: options.onStatus });
		}
		case "anthropic": {
			const { openAnthropicBackend } = await import("../backends/anthropic/index.js");
			return openAnthropicBackend(model, { signal: options.signal, onStatus: options.onStatus });
		}
		default:
			throw new BackendError(`unknown model source in ${model.name}`, "unsupported");
	}
}
