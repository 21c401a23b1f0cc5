/** @module Opens a Backend on OpenAI-compatible completions servers (vLLM, OpenAI, Together, ...). */
import type { LadderModel } from "../../ladders/types.js";
import { type ClientOptions, OpenAIClient } from "../http/client.js";
import type { LimiterOptions } from "../http/limiter.js";
import type { RetryPolicy } from "../http/retry-policy.js";
import { publicUrl } from "../http/secrets.js";
import { type Backend, BackendError, type BackendInfo } from "../types.js";
import { OpenAIBackend } from "./backend.js";
import { probeServer } from "./probe.js";

export { defaultRetryPolicy, type RetryPolicy } from "../http/retry-policy.js";
export { OpenAIBackend } from "./backend.js";
export { DEFAULT_CONTEXT_LENGTH, PROBE_TEXT } from "./probe.js";

export interface OpenOpenAIBackendOptions {
	signal?: AbortSignal;
	/** Where API keys are read from. Default process.env. */
	env?: NodeJS.ProcessEnv;
	/** Called whenever the retry count or the total concurrency changes. */
	onStatus?(status: { retries: number; concurrency: number }): void;
	/** Bounds of the one retry loop. Default 8 tries within 2 minutes. */
	retry?: Partial<RetryPolicy>;
	/** Concurrency per replica: starts at `initial` (4), adapts between `min` (1) and `max` (64). */
	concurrency?: Pick<LimiterOptions, "initial" | "min" | "max">;
	/** One try's time limit in milliseconds. Default 120000. */
	requestTimeoutMs?: number;
	/** Jitter source in [0, 1) (tests make it deterministic). Default Math.random. */
	random?: () => number;
	/** Waits between tries (tests replace it). */
	sleep?: ClientOptions["sleep"];
}

/**
 * Probes the model's server(s) and returns a Backend scoring through `/v1/completions`. Refuses
 * with BackendError "unsupported" a server that cannot return prompt log-probs.
 */
export async function openOpenAIBackend(
	model: LadderModel,
	options: OpenOpenAIBackendOptions = {},
): Promise<OpenAIBackend & Backend & { parallelism: number }> {
	const source = model.source;
	if (source.kind !== "openai") {
		throw new BackendError(`${model.name} is not a server model`, "unsupported");
	}
	if (source.baseUrls.length === 0) {
		throw new BackendError(`${model.name}: the openai block lists no base_url`, "unsupported");
	}
	const baseUrls = source.baseUrls.map(normaliseBaseUrl);
	const env = options.env ?? process.env;
	const keyVariable = source.apiKeyEnv ?? "OPENAI_API_KEY";
	const apiKey = env[keyVariable] || undefined;
	if (source.apiKeyEnv && !apiKey) {
		throw new BackendError(
			`${model.name}: the environment variable ${source.apiKeyEnv} (its api_key_env) is not set`,
			"unsupported",
			`export ${source.apiKeyEnv}=… before running, or remove api_key_env for a server without keys`,
		);
	}
	const client = new OpenAIClient({
		baseUrls,
		apiKey,
		apiKeyEnv: keyVariable,
		retry: options.retry,
		limiter: options.concurrency,
		requestTimeoutMs: options.requestTimeoutMs,
		random: options.random,
		sleep: options.sleep,
		onStatus: options.onStatus,
	});
	let probe: Awaited<ReturnType<typeof probeServer>>;
	try {
		probe = await probeServer(client, source.model, options.signal);
	} catch (error) {
		client.pool.close(error);
		if (error instanceof BackendError) {
			throw new BackendError(
				`${model.name} (${baseUrls[0]}): ${client.scrub(error.message)}`,
				error.code,
				error.hint,
			);
		}
		throw new BackendError(`${model.name}: ${client.scrub(String(error))}`, "internal");
	}
	const info: BackendInfo = {
		name: model.name,
		identity: `${baseUrls[0]}|${source.model}|${source.revision ?? ""}`,
		kind: "openai",
		parameters: model.parameters,
		nonEmbeddingParameters: model.nonEmbeddingParameters,
		contextLength: probe.contextLength,
		tokenizer: "server",
		addsBos: probe.addsBos,
	};
	return new OpenAIBackend(info, client, source.model, probe.traits);
}

/** `http://Host:8000/v1/` → `http://host:8000/v1`; a bare server address gets `/v1`; credentials in the URL are dropped. */
export function normaliseBaseUrl(url: string): string {
	const clean = publicUrl(url);
	if (clean === "(unreadable address)") {
		throw new BackendError(
			`not a server address: ${JSON.stringify(url)}`,
			"unsupported",
			"write e.g. http://127.0.0.1:8000/v1",
		);
	}
	return new URL(clean).pathname === "/" ? `${clean}/v1` : clean;
}
