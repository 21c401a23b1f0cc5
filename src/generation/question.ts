/**
 * @module Tasks as questions: a prize classification example asked as a multiple-choice question
 * (lettered options, answer with one letter) or with its classes as free text, and an exact-answer
 * example asked as it is. Types that compare probabilities of texts cannot be asked.
 */
import type { ChatMessage } from "../backends/types.js";
import type { Example, TaskType } from "../tasks/types.js";

/** How a classification example's classes are offered: lettered options, or their own words. */
export type OptionsMode = "letters" | "text";

export interface QuestionOptions {
	/** Default "letters". */
	options?: OptionsMode;
	/** A system message put before the question, when given. */
	system?: string;
}

/** One example as a question: the messages to send and what a right answer looks like. */
export interface Question {
	index: number;
	messages: ChatMessage[];
	/**
	 * Classification: the answer that names each class (`A`, `B` … or the class's trimmed text),
	 * in class order. Empty for exact answers.
	 */
	choices: string[];
	/** Classification: each class's trimmed text (an answer may name the class instead of its letter). */
	texts: string[];
	/** Classification: the right class. */
	answerIndex?: number;
	/** Exact answers: the right answer and the other spellings that count as right. */
	expected?: string[];
	/**
	 * Classification: what is scored after the answer cue for each class when log-probs are read
	 * (" A", " B" … or the class as written in the task).
	 */
	scored: string[];
}

/** A task type that cannot be asked as a question, with why and what to do instead. */
export class QuestionError extends Error {
	readonly hint: string;
	constructor(type: TaskType) {
		super(
			`a ${type} task cannot be evaluated by generation: it compares the probabilities of given texts, which a generated answer does not have`,
		);
		this.name = "QuestionError";
		this.hint =
			type === "sequence_prob"
				? "score it with log-probs (drop --budgets/--samples), or rewrite it as an exact-answer task (prompt, answer)"
				: "score it with log-probs (drop --budgets/--samples), or rewrite it as a classification task (prompt, classes, answer_index)";
	}
}

/** Task types generation can evaluate. */
export function canAsk(type: TaskType): boolean {
	return type === "classification" || type === "exact_answer";
}

/** Letter of option `k`: A … Z, then AA, AB … for very long lists. */
export function optionLetter(k: number): string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	return k < 26 ? letters[k] : letters[Math.floor(k / 26) - 1] + letters[k % 26];
}

function listOf(items: string[]): string {
	if (items.length <= 2) return items.join(" or ");
	return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** The question for one example. Throws QuestionError for types that cannot be asked. */
export function buildQuestion(example: Example, options: QuestionOptions = {}): Question {
	const system: ChatMessage[] = options.system ? [{ role: "system", content: options.system }] : [];
	switch (example.kind) {
		case "classification": {
			const prompt = example.prompt.trimEnd();
			const texts = example.classes.map((c) => c.trim());
			if ((options.options ?? "letters") === "letters") {
				const choices = texts.map((_, k) => optionLetter(k));
				const lines = texts.map((text, k) => `${choices[k]}. ${text}`);
				const content = `${prompt}\n\n${lines.join("\n")}\n\nAnswer with the letter of the correct option only (${listOf(choices)}).`;
				return {
					index: example.index,
					messages: [...system, { role: "user", content }],
					choices,
					texts,
					answerIndex: example.answerIndex,
					scored: choices.map((c) => ` ${c}`),
				};
			}
			const quoted = texts.map((t) => JSON.stringify(t));
			const content = `${prompt}\n\nAnswer with one of ${listOf(quoted)} only.`;
			return {
				index: example.index,
				messages: [...system, { role: "user", content }],
				choices: texts,
				texts,
				answerIndex: example.answerIndex,
				scored: example.classes.map((c) => (c.startsWith(" ") ? c : ` ${c}`)),
			};
		}
		case "exact_answer":
			return {
				index: example.index,
				messages: [...system, { role: "user", content: example.prompt.trimEnd() }],
				choices: [],
				texts: [],
				expected: [example.answer, ...example.aliases],
				scored: [],
			};
		case "sequence_prob":
			throw new QuestionError("sequence_prob");
		case "logodds":
			throw new QuestionError("logodds");
	}
}

/** What a right reply to `question` says: the right option's letter or text, or the expected answer. */
export function rightAnswer(question: Question): string {
	if (question.answerIndex !== undefined) return question.choices[question.answerIndex];
	return question.expected?.[0] ?? "";
}

/**
 * `question` asked after demonstrations, as chat turns: each demonstration's question as a user
 * turn and its right answer as the assistant's, then the question. A system message stays first.
 */
export function withDemonstrations(question: Question, demonstrations: readonly Question[]): Question {
	if (demonstrations.length === 0) return question;
	const system = question.messages.filter((m) => m.role === "system");
	const turns = demonstrations.flatMap((demo): ChatMessage[] => [
		...demo.messages.filter((m) => m.role !== "system"),
		{ role: "assistant", content: rightAnswer(demo) },
	]);
	return {
		...question,
		messages: [...system, ...turns, ...question.messages.filter((m) => m.role !== "system")],
	};
}
