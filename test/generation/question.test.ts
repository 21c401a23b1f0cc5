/** @module Tasks as questions: the text asked, and answers read from final answers, graded by hand-worked cases. */
import { describe, expect, it } from "vitest";
import { extractAnswer, parseNumber } from "../../src/generation/extract.js";
import { buildQuestion, QuestionError, withDemonstrations } from "../../src/generation/question.js";
import type { ClassificationExample, ExactAnswerExample } from "../../src/tasks/types.js";

const mc: ClassificationExample = {
	kind: "classification",
	index: 3,
	line: 5,
	extra: {},
	prompt: "Which is a fruit?",
	classes: [" carrot", " apple", " leek"],
	answerIndex: 1,
};
const exact = (answer: string, aliases: string[] = []): ExactAnswerExample => ({
	kind: "exact_answer",
	index: 0,
	line: 2,
	extra: {},
	prompt: "How many? ",
	answer,
	aliases,
});

describe("a classification example as a question", () => {
	it("lists the classes as lettered options and asks for one letter", () => {
		const q = buildQuestion(mc);
		expect(q.messages).toEqual([
			{
				role: "user",
				content:
					"Which is a fruit?\n\nA. carrot\nB. apple\nC. leek\n\nAnswer with the letter of the correct option only (A, B or C).",
			},
		]);
		expect(q.choices).toEqual(["A", "B", "C"]);
		expect(q.scored).toEqual([" A", " B", " C"]);
		expect(q.answerIndex).toBe(1);
	});

	it("offers the classes as free text, with a system message when given", () => {
		const q = buildQuestion(mc, { options: "text", system: "Be brief." });
		expect(q.messages).toEqual([
			{ role: "system", content: "Be brief." },
			{ role: "user", content: 'Which is a fruit?\n\nAnswer with one of "carrot", "apple" or "leek" only.' },
		]);
		expect(q.choices).toEqual(["carrot", "apple", "leek"]);
		expect(q.scored).toEqual([" carrot", " apple", " leek"]);
	});

	it("refuses sequence_prob and log-odds examples, saying what to do", () => {
		expect(() =>
			buildQuestion({ kind: "sequence_prob", index: 0, line: 2, extra: {}, prompt: "a", completion: " b" }),
		).toThrow(QuestionError);
		try {
			buildQuestion({
				kind: "logodds",
				index: 0,
				line: 2,
				extra: {},
				prompt: "a",
				otherPrompt: "b",
				classes: [" x", " y"],
				answerIndex: 0,
			});
		} catch (error) {
			expect((error as QuestionError).message).toMatch(/logodds task cannot be evaluated by generation/);
			expect((error as QuestionError).hint).toMatch(/classification task/);
		}
	});
});

describe("reading a letter", () => {
	const q = buildQuestion(mc);
	const cases: [string, number | undefined][] = [
		["B", 1],
		[" B", 1],
		["(B)", 1],
		["B.", 1],
		["**B**", 1],
		["B. apple", 1],
		["B) apple", 1],
		["The answer is C.", 2],
		["Answer: A", 0],
		["I pick option B", 1],
		["apple", 1], // the class's own text names it too
		[" A\n\nQuestion: which is a vegetable?\nA. pear", 0], // a forced answer that runs on
		["D", undefined], // not an option
		["I am not sure", undefined],
		["", undefined],
	];
	for (const [text, predicted] of cases) {
		it(`${JSON.stringify(text)} → ${predicted ?? "unparsed"}`, () => {
			const got = extractAnswer(q, text);
			expect(got.predicted).toBe(predicted);
			expect(got.correct).toBe(predicted === 1);
			expect(got.answer).toBe(predicted === undefined ? undefined : q.choices[predicted]);
		});
	}
});

describe("reading a class's text", () => {
	const q = buildQuestion(mc, { options: "text" });
	it("matches the text, or the one class it names", () => {
		expect(extractAnswer(q, "Apple.").predicted).toBe(1);
		expect(extractAnswer(q, "It is a leek, clearly").predicted).toBe(2);
		expect(extractAnswer(q, "carrot or apple").predicted).toBeUndefined(); // two classes named
		expect(extractAnswer(q, "pineapples").predicted).toBeUndefined(); // not as a whole word
	});
});

describe("exact answers", () => {
	it("compares numbers as numbers", () => {
		const q = buildQuestion(exact("1000"));
		expect(extractAnswer(q, "1,000")).toEqual({ answer: "1,000", correct: true });
		expect(extractAnswer(q, "The answer is 1000.0")).toEqual({ answer: "1000.0", correct: true });
		expect(extractAnswer(q, "First 3, then 7, so \\boxed{1e3}")).toEqual({ answer: "1e3", correct: true });
		expect(extractAnswer(q, "999")).toEqual({ answer: "999", correct: false });
		expect(extractAnswer(q, "I cannot tell")).toEqual({ correct: false });
	});

	it("reads fractions, signs and the last number", () => {
		expect(extractAnswer(buildQuestion(exact("0.5")), "It is 1/2").correct).toBe(true);
		expect(extractAnswer(buildQuestion(exact("-3")), "x = −3").correct).toBe(true);
		expect(extractAnswer(buildQuestion(exact("12")), "6 pairs make 12 shoes").correct).toBe(true);
		expect(parseNumber("1,2")).toBeUndefined();
		expect(parseNumber("$1,234.5")).toBe(1234.5);
	});

	it("compares text answers and aliases case- and punctuation-blind", () => {
		const q = buildQuestion(exact("Paris", ["City of Light"]));
		expect(extractAnswer(q, "paris.")).toEqual({ answer: "paris", correct: true });
		expect(extractAnswer(q, "Answer: the city of light")).toEqual({
			answer: "the city of light",
			correct: false,
		});
		expect(extractAnswer(q, '"City of Light"')).toEqual({ answer: "city of light", correct: true });
		expect(extractAnswer(q, "   ")).toEqual({ correct: false });
	});

	it("asks the prompt as it is, without its trailing space", () => {
		expect(buildQuestion(exact("4")).messages).toEqual([{ role: "user", content: "How many?" }]);
	});
});

describe("questions after demonstrations", () => {
	it("each demonstration is a user turn and its right answer the assistant's; the system message stays first", () => {
		const other: ClassificationExample = { ...mc, index: 7, prompt: "Which is a root?", answerIndex: 0 };
		const system = "Answer briefly.";
		const q = withDemonstrations(buildQuestion(mc, { system }), [buildQuestion(other, { system })]);
		expect(q.messages.map((m) => [m.role, m.content.split("\n")[0]])).toEqual([
			["system", "Answer briefly."],
			["user", "Which is a root?"],
			["assistant", "A"],
			["user", "Which is a fruit?"],
		]);
		expect(q.answerIndex).toBe(1);
		// Classes as text: the demonstration answers with the class's text; exact answers with the answer.
		const text = withDemonstrations(buildQuestion(mc, { options: "text" }), [
			buildQuestion(other, { options: "text" }),
		]);
		expect(text.messages[1]).toEqual({ role: "assistant", content: "carrot" });
		const sum = withDemonstrations(buildQuestion(exact("4")), [buildQuestion({ ...exact("42"), index: 1 })]);
		expect(sum.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
		expect(sum.messages[1]!.content).toBe("42");
		// No demonstrations: the question as it is.
		expect(withDemonstrations(buildQuestion(mc), [])).toEqual(buildQuestion(mc));
	});
});
