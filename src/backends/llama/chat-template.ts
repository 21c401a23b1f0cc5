/**
 * @module A model's chat template as a prompt string: the GGUF's own Jinja template
 * (`tokenizer.chat_template`, rendered by node-llama-cpp) where the file has one, else a plain
 * format that joins the messages' texts with blank lines.
 */
import type { ChatHistoryItem, LlamaModel, LlamaText } from "node-llama-cpp";
import { BackendError, type ChatMessage } from "../types.js";

/** Turns messages into the prompt text, ending with the assistant's turn opened. */
export type ChatTemplate = (messages: ChatMessage[]) => string;

/** Where the template came from: recorded so runs can say how prompts were built. */
export interface ResolvedChatTemplate {
	source: "gguf" | "plain";
	render: ChatTemplate;
}

/**
 * The template of `model`. Special tokens of the rendered text (`<|im_start|>`, `</s>`) are
 * written as their texts, so the completer must read them back as special tokens; the template's
 * leading BOS is left out, since the completer puts BOS before every prompt itself.
 */
export async function resolveChatTemplate(model: LlamaModel): Promise<ResolvedChatTemplate> {
	const template = model.fileInfo.metadata.tokenizer?.chat_template;
	if (typeof template !== "string" || template.trim() === "") return { source: "plain", render: plainChat };
	const { JinjaTemplateChatWrapper, SpecialToken, SpecialTokensText } = await import("node-llama-cpp");
	let wrapper: InstanceType<typeof JinjaTemplateChatWrapper>;
	try {
		wrapper = new JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer });
	} catch (error) {
		throw new BackendError(
			`the model's chat template (tokenizer.chat_template) cannot be used: ${(error as Error).message}`,
			"model-corrupt",
			"give the questions as plain prompts, or use a model file with a working template",
		);
	}
	const textOf = (rendered: LlamaText): string =>
		rendered.values
			.map((value, index) => {
				if (typeof value === "string") return value;
				if (value instanceof SpecialTokensText) return value.value;
				if (value instanceof SpecialToken) {
					if (value.value === "BOS" && index === 0) return "";
					return model.detokenize(value.tokenize(model.tokenizer), true);
				}
				return String(value);
			})
			.join("");
	return {
		source: "gguf",
		render(messages) {
			const history: ChatHistoryItem[] = messages.map((message) =>
				message.role === "assistant"
					? { type: "model", response: [message.content] }
					: { type: message.role, text: message.content },
			);
			// An assistant message last is a prefix the answer continues; otherwise open an empty turn.
			if (messages.at(-1)?.role !== "assistant") history.push({ type: "model", response: [] });
			return textOf(wrapper.generateContextState({ chatHistory: history }).contextText);
		},
	};
}

/** For models without a template (base models): the messages' texts, separated by blank lines. */
export function plainChat(messages: ChatMessage[]): string {
	return messages.map((message) => message.content).join("\n\n");
}
