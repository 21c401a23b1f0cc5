/** @module Where the model hub is and how long to wait for it, read from the environment at call time. */

export interface HubSettings {
	/** Hub address without a trailing slash: `HF_ENDPOINT`, default https://huggingface.co. */
	endpoint: string;
	/** `HF_TOKEN`, sent as a bearer token (gated repositories); never printed. */
	token?: string;
	/** `INVSCALE_OFFLINE=1` or `HF_HUB_OFFLINE=1`: use files on disk only, never the network. */
	offline: boolean;
	/** Longest wait for the hub to connect and answer a request: `INVSCALE_CONNECT_TIMEOUT_MS`, default 10 000. */
	connectTimeoutMs: number;
	/** Longest pause between two pieces of a download: `INVSCALE_IDLE_TIMEOUT_MS`, default 30 000. */
	idleTimeoutMs: number;
}

export const defaultHubEndpoint = "https://huggingface.co";

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

function milliseconds(value: string | undefined, fallback: number): number {
	const parsed = value === undefined ? Number.NaN : Number(value);
	return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
	const endpoint = (env.HF_ENDPOINT?.trim() || defaultHubEndpoint).replace(/\/+$/, "");
	const token = env.HF_TOKEN?.trim() || undefined;
	return {
		endpoint,
		...(token !== undefined && { token }),
		offline: truthy(env.INVSCALE_OFFLINE) || truthy(env.HF_HUB_OFFLINE),
		connectTimeoutMs: milliseconds(env.INVSCALE_CONNECT_TIMEOUT_MS, 10_000),
		idleTimeoutMs: milliseconds(env.INVSCALE_IDLE_TIMEOUT_MS, 30_000),
	};
}
