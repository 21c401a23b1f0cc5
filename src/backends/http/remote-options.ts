/**
 * @module What every remote backend is opened with (retries, concurrency, timeouts, test hooks),
 * and the one place an API key is read from the environment and handed to the HTTP client.
 */
import type { LadderModel } from "../../ladders/types.js";
import { BackendError } from "../types.js";
import { type ClientOptions, HttpClient } from "./client.js";
import type { LimiterOptions } from "./limiter.js";
import type { RetryPolicy } from "./retry-policy.js";

export interface RemoteBackendOptions {
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
 * The client of `model`'s replicas with the key from `keyVariable` (`explicit`: the ladder named
 * it, so it must be set). `extra` sets how the key is sent and any fixed headers.
 */
export function remoteClient(
	model: LadderModel,
	baseUrls: string[],
	key: { variable: string; explicit: boolean; required?: boolean },
	options: RemoteBackendOptions,
	extra: Pick<ClientOptions, "authHeaders" | "headers"> = {},
): HttpClient {
	const env = options.env ?? process.env;
	const apiKey = env[key.variable] || undefined;
	if ((key.explicit || key.required) && !apiKey) {
		throw new BackendError(
			`${model.name}: the environment variable ${key.variable}${key.explicit ? " (its api_key_env)" : ""} is not set`,
			"unsupported",
			key.explicit
				? `export ${key.variable}=… before running, or remove api_key_env for a server without keys`
				: `export ${key.variable}=… before running (the API needs a key)`,
		);
	}
	return new HttpClient({
		baseUrls,
		apiKey,
		apiKeyEnv: key.variable,
		retry: options.retry,
		limiter: options.concurrency,
		requestTimeoutMs: options.requestTimeoutMs,
		random: options.random,
		sleep: options.sleep,
		onStatus: options.onStatus,
		...extra,
	});
}

/** A failure while opening, with the model and address named and the key scrubbed. */
export function openingError(
	model: LadderModel,
	baseUrl: string,
	client: HttpClient,
	error: unknown,
): BackendError {
	client.pool.close(error);
	if (error instanceof BackendError) {
		return new BackendError(
			`${model.name} (${baseUrl}): ${client.scrub(error.message)}`,
			error.code,
			error.hint,
		);
	}
	return new BackendError(`${model.name}: ${client.scrub(String(error))}`, "internal");
}
