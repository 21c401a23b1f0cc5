/** @module Naming why a request to the hub failed, from the error codes fetch buries in `cause`. */

export type NetworkFailure =
	/** The hub could not be reached at all: DNS, refused, unreachable, no answer in time. */
	| { kind: "unreachable"; reason: string }
	/** Data stopped coming midway. */
	| { kind: "stalled"; reason: string }
	/** The connection broke off midway. */
	| { kind: "broken"; reason: string }
	/** The hub answered something that cannot be used. */
	| { kind: "protocol"; reason: string };

/** The reason an AbortController is aborted with when one of our timers fires. */
export class TimeoutReason {
	constructor(
		readonly phase: "connect" | "idle",
		readonly ms: number,
	) {}
}

const unreachable: Record<string, string> = {
	ECONNREFUSED: "connection refused",
	ENOTFOUND: "the host name could not be resolved (DNS)",
	EAI_AGAIN: "the host name could not be resolved (DNS)",
	EHOSTUNREACH: "host unreachable",
	ENETUNREACH: "network unreachable",
	ETIMEDOUT: "the connection timed out",
	UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
	CERT_HAS_EXPIRED: "the hub's TLS certificate has expired",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the hub's TLS certificate could not be verified",
	SELF_SIGNED_CERT_IN_CHAIN: "the hub's TLS certificate could not be verified",
};

function errorCodes(error: unknown): string[] {
	const codes: string[] = [];
	for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === "string") codes.push(code);
		current = (current as { cause?: unknown }).cause;
	}
	return codes;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** Classifies a fetch or body-read error; `abortReason` is the controller's reason, if ours. */
export function describeNetworkFailure(error: unknown, abortReason?: unknown): NetworkFailure {
	if (abortReason instanceof TimeoutReason)
		return abortReason.phase === "connect"
			? { kind: "unreachable", reason: `no answer within ${seconds(abortReason.ms)}` }
			: { kind: "stalled", reason: `no data for ${seconds(abortReason.ms)}` };
	const codes = errorCodes(error);
	const known = codes.find((code) => code in unreachable);
	if (known) return { kind: "unreachable", reason: unreachable[known] };
	if (codes.some((code) => code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE"))
		return { kind: "broken", reason: "the connection was broken off" };
	const message = error instanceof Error ? error.message : String(error);
	return { kind: "broken", reason: message === "terminated" ? "the connection was broken off" : message };
}
