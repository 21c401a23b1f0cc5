/** @module Opens a generation-only Backend on the Anthropic Messages API (Claude). */
import type { LadderModel } from "../../ladders/types.js";
import { GenerationOnlyBackend } from "../generation-only.js";
import type { HttpClient } from "../http/client.js";
import { type RemoteBackendOptions, remoteClient } from "../http/remote-options.js";
import { normaliseBaseUrl } from "../openai/index.js";
import {
	type Backend,
	type BackendCounters,
	BackendError,
	type BackendInfo,
	type ChatGenerator,
	type ChatRequest,
	type ChatResult,
} from "../types.js";
import { addUsage } from "../usage.js";
import { ANTHROPIC_VERSION, messagesBody, readMessagesAnswer } from "./messages.js";
import { AnswerTokenCounter } from "./token-count.js";

/** Claude's context window, which the API does not report. */
const CONTEXT_LENGTH = 200_000;

/** Chat generation through `/v1/messages`, summing usage into the backend's counters. */
class AnthropicMessages implements ChatGenerator {
	constructor(
		private readonly client: HttpClient,
		private readonly model: string,
		private readonly counters: BackendCounters,
		/** False: the ladder marks the model as one that does not reason (no thinking is ever asked). */
		private readonly reasoning: boolean,
	) {
		this.tokens = new AnswerTokenCounter(client, model);
	}

	private readonly tokens: AnswerTokenCounter;

	async chat(requests: ChatRequest[], signal?: AbortSignal): Promise<ChatResult[]> {
		const bodies = requests.map((request) => messagesBody(this.model, request, this.reasoning));
		return Promise.all(
			bodies.map(async (body) => {
				this.counters.calls++;
				const result = await this.client.send("messages", readMessagesAnswer, { body, signal });
				result.usage = await this.tokens.complete(result.usage, result.text, signal);
				addUsage(this.counters, result.usage);
				return result;
			}),
		);
	}
}

export class AnthropicBackend extends GenerationOnlyBackend implements Backend {
	readonly chat: ChatGenerator;

	constructor(
		readonly info: BackendInfo,
		client: HttpClient,
		model: string,
	) {
		super(client);
		this.chat = new AnthropicMessages(client, model, this.counters, info.reasoning !== false);
	}
}

/** No request is sent on opening: the API has no free listing call worth a key's quota. */
export async function openAnthropicBackend(
	model: LadderModel,
	options: RemoteBackendOptions = {},
): Promise<AnthropicBackend> {
	const source = model.source;
	if (source.kind !== "anthropic") {
		throw new BackendError(`${model.name} is not an Anthropic model`, "unsupported");
	}
	const baseUrls = source.baseUrls.map(normaliseBaseUrl);
	const client = remoteClient(
		model,
		baseUrls,
		{
			variable: source.apiKeyEnv ?? "ANTHROPIC_API_KEY",
			explicit: source.apiKeyEnv !== undefined,
			required: true,
		},
		options,
		{
			authHeaders: (key) => ({ "x-api-key": key }),
			headers: { "anthropic-version": ANTHROPIC_VERSION },
		},
	);
	const info: BackendInfo = {
		name: model.name,
		identity: `anthropic|${baseUrls[0]}|${source.model}`,
		kind: "anthropic",
		parameters: model.parameters,
		nonEmbeddingParameters: model.nonEmbeddingParameters,
		contextLength: CONTEXT_LENGTH,
		tokenizer: "server",
		addsBos: false,
		...(model.reasoning === false && { reasoning: false }),
	};
	return new AnthropicBackend(info, client, source.model);
}
