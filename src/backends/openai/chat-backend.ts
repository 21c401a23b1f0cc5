/**
 * @module The Backend of a chat model behind `/v1/chat/completions` (OpenAI's chat and reasoning
 * models, vLLM's chat endpoint): generation only, since chat APIs give no prompt log-probs.
 */
import { GenerationOnlyBackend } from "../generation-only.js";
import type { HttpClient } from "../http/client.js";
import type { Backend, BackendInfo, ChatGenerator } from "../types.js";
import { type ChatDialect, OpenAIChat } from "./chat.js";

export class OpenAIChatBackend extends GenerationOnlyBackend implements Backend {
	readonly chat: ChatGenerator;

	constructor(
		readonly info: BackendInfo,
		client: HttpClient,
		model: string,
		readonly dialect: ChatDialect,
	) {
		super(client);
		this.chat = new OpenAIChat(client, model, dialect, this.counters, info.reasoning !== false);
	}
}
