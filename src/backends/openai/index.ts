/** @module Opens a Backend on OpenAI-compatible servers (vLLM, OpenAI, Together, ...): completions or chat. */
import type { LadderModel } from "../../ladders/types.js";
import { openingError, type RemoteBackendOptions, remoteClient } from "../http/remote-options.js";
import { publicUrl } from "../http/secrets.js";
import { type Backend, BackendError, type BackendInfo } from "../types.js";
import { OpenAIBackend } from "./backend.js";
import { type ChatDialect, chatDialectOf } from "./chat.js";
import { OpenAIChatBackend } from "./chat-backend.js";
import { DEFAULT_CONTEXT_LENGTH, modelLength, probeServer } from "./probe.js";

export { defaultRetryPolicy, type RetryPolicy } from "../http/retry-policy.js";
export { OpenAIBackend } from "./backend.js";
export { OpenAIChatBackend } from "./chat-backend.js";
export { DEFAULT_CONTEXT_LENGTH, PROBE_TEXT } from "./probe.js";

export interface OpenOpenAIBackendOptions extends RemoteBackendOptions {
	/** The chat dialect where the ladder names none. Default: by host (`chatDialectOf`). */
	chatDialect?: ChatDialect;
}

/**
 * Opens the model's server(s). With `api: "completions"` (the default) it probes them and returns
 * a Backend that scores through `/v1/completions` and generates there too, refusing with
 * BackendError "unsupported" a server that cannot return prompt log-probs; with `api: "chat"` a
 * generation-only Backend on `/v1/chat/completions`.
 */
export async function openOpenAIBackend(
	model: LadderModel,
	options: OpenOpenAIBackendOptions = {},
): Promise<(OpenAIBackend | OpenAIChatBackend) & Backend & { parallelism: number }> {
	const source = model.source;
	if (source.kind !== "openai") {
		throw new BackendError(`${model.name} is not a server model`, "unsupported");
	}
	if (source.baseUrls.length === 0) {
		throw new BackendError(`${model.name}: the openai block lists no base_url`, "unsupported");
	}
	const baseUrls = source.baseUrls.map(normaliseBaseUrl);
	const client = remoteClient(
		model,
		baseUrls,
		{ variable: source.apiKeyEnv ?? "OPENAI_API_KEY", explicit: source.apiKeyEnv !== undefined },
		options,
	);
	const identity = `${baseUrls[0]}|${source.model}|${source.revision ?? ""}`;
	const serverInfo = (contextLength: number, addsBos: boolean): BackendInfo => ({
		name: model.name,
		identity,
		kind: "openai",
		parameters: model.parameters,
		nonEmbeddingParameters: model.nonEmbeddingParameters,
		contextLength,
		tokenizer: "server",
		addsBos,
	});
	if (source.api === "chat") {
		let listed: number | undefined;
		try {
			listed = await modelLength(client, source.model, options.signal);
		} catch (error) {
			throw openingError(model, baseUrls[0]!, client, error);
		}
		const dialect = source.dialect ?? options.chatDialect ?? chatDialectOf(baseUrls[0]!);
		const info: BackendInfo = {
			...serverInfo(listed ?? DEFAULT_CONTEXT_LENGTH, false),
			dialect,
			...(model.reasoning === false && { reasoning: false }),
		};
		return new OpenAIChatBackend(info, client, source.model, dialect);
	}
	let probe: Awaited<ReturnType<typeof probeServer>>;
	try {
		probe = await probeServer(client, source.model, options.signal);
	} catch (error) {
		throw openingError(model, baseUrls[0]!, client, error);
	}
	return new OpenAIBackend(
		serverInfo(probe.contextLength, probe.addsBos),
		client,
		source.model,
		probe.traits,
	);
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
