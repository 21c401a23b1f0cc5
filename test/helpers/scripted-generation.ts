/**
 * @module In-process stand-ins for generating backends, scripted per example and budget: a chat API
 * (OpenAI or Anthropic kind) with native reasoning controls, and a text completer on the fake
 * scoring backend for budget forcing. Questions name their example as `Q<index>:` in the prompt
 * (after any demonstrations).
 */

import type {
	Backend,
	ChatMessage,
	ChatRequest,
	ChatResult,
	CompletionRequest,
	CompletionResult,
} from "../../src/backends/types.js";
import { effortLevels } from "../../src/generation/budget.js";
import { createFakeBackend, type FakeBackend } from "./fake-backend.js";

/**
 * What the scripted model says to example `index` after reasoning `budget` tokens (or effort
 * ordinal), having been shown `shots` demonstrations (answered turns) before the question.
 */
export type AnswerScript = (index: number, budget: number, shots: number) => string;

/** The example a prompt asks about: the last `Q<index>:` (demonstrations come before the question). */
function exampleIndex(text: string): number {
	const found = [...text.matchAll(/Q(\d+):/g)].at(-1);
	if (!found) throw new Error(`scripted model: no Q<index>: in ${JSON.stringify(text.slice(0, 80))}`);
	return Number(found[1]);
}

export interface ScriptedChat extends Backend {
	requests: ChatRequest[];
}

/** A chat-only backend: reasoning of `budget` tokens (capped at 50 characters of text), then the scripted answer. */
export function scriptedChat(
	kind: "openai" | "anthropic",
	answer: AnswerScript,
	name = `${kind}-chat`,
): ScriptedChat {
	const requests: ChatRequest[] = [];
	const counters = { tokensEvaluated: 0, calls: 0 };
	const unsupported = async () => {
		throw new Error("scripted chat backend does not score");
	};
	return {
		info: {
			name,
			identity: `scripted|${kind}|${name}`,
			kind,
			contextLength: 200000,
			tokenizer: "server",
			addsBos: false,
		},
		counters,
		requests,
		parallelism: 3,
		tokenize: unsupported,
		scoreContinuations: unsupported,
		nextTokenLogprobs: unsupported,
		chat: {
			async chat(batch: ChatRequest[]): Promise<ChatResult[]> {
				return batch.map((request) => {
					requests.push(structuredClone(request));
					counters.calls++;
					const r = request.reasoning ?? {};
					const budget = r.disabled
						? 0
						: (r.budgetTokens ?? effortLevels.indexOf((r.effort ?? "none") as (typeof effortLevels)[number]));
					const index = exampleIndex(request.messages.map((m) => m.content).join("\n"));
					const shots = request.messages.filter((m) => m.role === "assistant").length;
					const text = answer(index, budget, shots);
					const used = r.disabled
						? 0
						: r.budgetTokens !== undefined
							? Math.min(budget, 7 + index)
							: 10 * budget;
					return {
						text,
						...(used > 0 ? { reasoning: `thinking about Q${index} `.repeat(2).slice(0, 50) } : {}),
						finishReason: "stop",
						usage: { inputTokens: 20, outputTokens: used + 1, reasoningTokens: used },
					};
				});
			},
		},
		async dispose() {},
	};
}

export interface ScriptedCompleter extends FakeBackend {
	completions: CompletionRequest[];
}

/**
 * A completer on the fake scoring backend (one token per character). Reasoning for example i
 * naturally runs `natural(i)` characters ("r"), stopped early by the budget; the answer after the
 * cue is `answer(i, reasoning length)`. Sampled requests (temperature > 0) answer by their seed.
 */
export function scriptedCompleter(
	answer: AnswerScript,
	natural: (index: number) => number,
	sampled?: (index: number, seed: number) => string,
	/** The ids the completer says it read for a prompt (as llama.cpp reports special tokens). */
	promptIds?: (prompt: string) => number[],
): ScriptedCompleter {
	const fake = createFakeBackend({
		info: { name: "forced", identity: "sha256:forced" },
	}) as ScriptedCompleter;
	const completions: CompletionRequest[] = [];
	fake.completions = completions;
	const chatPrompt = async (messages: ChatMessage[]) =>
		`${messages.map((m) => `<${m.role}>${m.content}`).join("\n")}\n<assistant>`;
	const complete = async (batch: CompletionRequest[]): Promise<CompletionResult[]> =>
		batch.map((request) => {
			completions.push(structuredClone(request));
			const index = exampleIndex(request.prompt);
			let text: string;
			let finishReason: "stop" | "length" = "stop";
			if (request.prompt.endsWith("<think>\n")) {
				const wanted = natural(index);
				text = "r".repeat(Math.min(wanted, request.maxTokens));
				if (wanted > request.maxTokens) finishReason = "length";
			} else {
				const thought = /<think>\n(r*)/.exec(request.prompt)?.[1].length ?? 0;
				text =
					request.temperature > 0 && sampled
						? sampled(index, request.seed ?? -1)
						: answer(index, thought, (request.prompt.match(/<assistant>/g)?.length ?? 1) - 1);
			}
			const ids = [...text].map((c) => c.codePointAt(0)!);
			return {
				text,
				tokenIds: ids,
				...(promptIds ? { promptTokenIds: promptIds(request.prompt) } : {}),
				finishReason,
				usage: { inputTokens: request.prompt.length, outputTokens: ids.length },
			};
		});
	return Object.assign(fake, { completer: { chatPrompt, complete } });
}
