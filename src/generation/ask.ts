/**
 * @module One question asked once: the reasoning under the condition's budget (forced, or by the
 * API's own control), the final answer, what it says, and — where the backend reads log-probs —
 * each class's log-probability right after the answer cue, scored by the prize's own path.
 */
import type { Backend, CompletionResult, TokenUsage } from "../backends/types.js";
import { combineUsage } from "../backends/usage.js";
import type { BoundaryMode, TruncateMode } from "../run/manifest.js";
import { scoreExample } from "../scoring/assemble.js";
import { type ExamplePlan, planExample } from "../scoring/plan.js";
import type { ClassificationExample, Example } from "../tasks/types.js";
import {
	type BudgetSetting,
	closeAfter,
	type Mechanism,
	nativeReasoning,
	type ThinkingMarkers,
} from "./budget.js";
import { extractAnswer } from "./extract.js";
import type { Question } from "./question.js";
import type { GenerationDetails } from "./types.js";

export interface AskSettings {
	/** The condition's budget; undefined: a plain request (no budget, no reasoning control). */
	setting: BudgetSetting | undefined;
	mechanism: Mechanism;
	markers: ThinkingMarkers;
	temperature: number;
	maxAnswerTokens: number;
	maxTokens: number;
	/** Read the classes' log-probs after the answer cue (forcing on a backend that scores). */
	scoreClasses: boolean;
	boundary: BoundaryMode;
	truncate: TruncateMode;
	contextLength: number;
}

/** A class cannot be scored after the recorded text (it does not fit, or a token crosses the join). */
export class ClassScoreError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "ClassScoreError";
	}
}

/**
 * Asks one question once. `backend` is the (cached) backend whose capabilities the mechanism came
 * from; it also scores the classes. `seed` is undefined for greedy decoding.
 */
export async function ask(
	backend: Backend,
	example: Example,
	question: Question,
	sample: number,
	seed: number | undefined,
	settings: AskSettings,
	signal?: AbortSignal,
): Promise<GenerationDetails> {
	const { setting, mechanism } = settings;
	const sampling = { temperature: settings.temperature, ...(seed === undefined ? {} : { seed }), sample };
	const base = {
		index: example.index,
		sample,
		...(seed === undefined ? {} : { seed }),
		...(setting === undefined ? {} : { budget: setting.budget }),
		...(setting?.budgetLabel === undefined ? {} : { budgetLabel: setting.budgetLabel }),
	};
	const reasons = backend.info.reasoning !== false;
	if (mechanism.kind === "native") {
		const reasoning = nativeReasoning(mechanism, setting);
		// A level, or a plain request to a model that may reason, leaves the reasoning its whole room.
		const maxTokens =
			setting === undefined
				? reasons
					? settings.maxTokens
					: settings.maxAnswerTokens
				: setting.budgetLabel !== undefined
					? settings.maxTokens
					: setting.budget + settings.maxAnswerTokens;
		const [result] = await mechanism.chat.chat(
			[{ messages: question.messages, maxTokens, ...sampling, ...(reasoning ? { reasoning } : {}) }],
			signal,
		);
		const read = extractAnswer(question, result.text);
		return {
			...base,
			mechanism: mechanism.control,
			reasoning: result.reasoning ?? "",
			// An API that does not say is unknown (null), never 0.
			reasoningTokens: result.usage.reasoningTokens ?? null,
			...(result.usage.reasoningTokensFrom ? { reasoningTokensFrom: result.usage.reasoningTokensFrom } : {}),
			answer: result.text,
			...graded(question, read),
			usage: result.usage,
		};
	}

	// Budget forcing: open the reasoning, let it run to the end marker or B tokens, close it, cue the answer.
	const { completer } = mechanism;
	const { open, close, answerCue } = settings.markers;
	const prompt = await completer.chatPrompt(question.messages);
	const budget = setting?.budget ?? 0;
	let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
	let thought: CompletionResult | undefined;
	if (budget > 0) {
		[thought] = await completer.complete(
			[{ prompt: prompt + open, maxTokens: budget, stop: [close.trim()], ...sampling }],
			signal,
		);
		usage = combineUsage(usage, thought.usage);
	}
	const reasoning = thought?.text ?? "";
	// A model that does not reason is not shown thinking markers at all.
	const text = reasons
		? prompt + open + reasoning + (reasoning === "" ? close : closeAfter(reasoning, close)) + answerCue
		: prompt + answerCue;
	const [answer] = await completer.complete(
		[{ prompt: text, maxTokens: settings.maxAnswerTokens, ...sampling }],
		signal,
	);
	usage = combineUsage(usage, answer.usage);
	const read = extractAnswer(question, answer.text);
	const reasoningTokens = thought ? (thought.tokenIds?.length ?? thought.usage.outputTokens) : 0;
	const details: GenerationDetails = {
		...base,
		mechanism: reasons ? "forcing" : "none",
		reasoning,
		reasoningTokens,
		...(thought?.tokenIds ? { reasoningIds: thought.tokenIds } : {}),
		...(thought ? { stoppedEarly: thought.finishReason === "stop" } : {}),
		answer: answer.text,
		...graded(question, read),
		text,
		usage: { ...usage, reasoningTokens },
	};
	if (settings.scoreClasses && example.kind === "classification") {
		const read = answer.promptTokenIds;
		const ids = read && backend.info.addsBos ? read.slice(1) : read;
		const scored = await scoreClasses(backend, example, question, text, ids, settings, signal);
		details.classLogprobs = scored.logprobs;
		details.classTokens = scored.tokens;
	}
	return details;
}

function graded(question: Question, read: ReturnType<typeof extractAnswer>) {
	return {
		...(read.answer === undefined ? {} : { extracted: read.answer }),
		...(question.answerIndex === undefined ? {} : { predicted: read.predicted ?? -1 }),
		correct: read.correct ? (1 as const) : (0 as const),
	};
}

/**
 * Each class's log-prob after the recorded text: the prize's scoring of `text + class`. Where the
 * completer said which ids it read for `text` (`textIds`, BOS left out), the context is those ids,
 * so a chat template's special tokens are scored as the model read them, not as plain text.
 */
async function scoreClasses(
	backend: Backend,
	example: ClassificationExample,
	question: Question,
	text: string,
	textIds: number[] | undefined,
	settings: AskSettings,
	signal?: AbortSignal,
): Promise<{ logprobs: number[]; tokens: number[] }> {
	const asked: ClassificationExample = { ...example, prompt: text, classes: question.scored };
	const planned = await planExample(backend, asked, {
		boundary: settings.boundary,
		truncate: settings.truncate,
		contextLength: settings.contextLength,
	});
	if (planned.kind === "problem")
		throw new ClassScoreError(
			`row ${example.index} (line ${example.line}): after the reasoning, ${planned.problem.message}`,
		);
	const plan: ExamplePlan = planned.plan;
	if (textIds && plan.kind === "continuations" && !plan.truncated)
		for (const request of plan.requests)
			if (request.context.text === text) request.context = { ids: textIds, text };
	const scored = await scoreExample(backend, plan, signal);
	return { logprobs: scored.logprobs, tokens: scored.tokens };
}
