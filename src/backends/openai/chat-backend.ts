/**
 * @module The Backend of a chat model behind `/v1/chat/completions` (OpenAI's chat and reasoning
 * models, vLLM's chat endpoint): generation only, since chat APIs give no prompt log-probs.
 */
import { GenerationOnlyBackend } from "../generation-only.js";
import type { HttpClient } from "../http/client.js";
import {
	type Backend,
	type BackendCounters,
	BackendError,
	type BackendInfo,
	type ChatGenerator,
} from "../types.js";
import { type ChatDialect, OpenAIChat } from "./chat.js";

export class OpenAIChatBackend extends GenerationOnlyBackend implements Backend {
	readonly counters: BackendCounters = { tokensEvaluated: 0, calls: 0 };
	readonly chat: ChatGenerator;

	constructor(
		readonly info: BackendInfo,
		private readonly client: HttpClient,
		model: string,
		readonly dialect: ChatDialect,
	) {
		super();
		this.chat = new OpenAIChat(client, model, dialect, this.counters);
	}

	/** Requests to keep in flight: enough to let every replica's limit grow to its maximum. */
	get parallelism(): number {
		return this.client.pool.maxConcurrency;
	}

	async dispose(): Promise<void> {
		this.client.pool.close(new BackendError("the backend was closed", "aborted"));
	}
}
