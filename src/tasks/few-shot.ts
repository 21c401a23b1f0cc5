/**
 * @module Builds the k-shot version of a task from its own examples: each prompt becomes
 * demo_1 + sep + … + demo_k + sep + prompt, where a demonstration is an example's prompt plus its
 * correct class (or its completion). For the log-odds types the same block prefixes both prompts.
 */
import { codePointLength } from "../util/codepoints.js";
import { demonstrationsOf, type ShotPlan } from "./shot-draws.js";
import type { Example } from "./types.js";

export interface ShotTask {
	/** The built examples, in the task's order, with the same indices and classes. */
	examples: Example[];
	/**
	 * Per example index: the code points at the start of its prompts that other rows repeat (the
	 * part of its block before a replaced demonstration; all of it for most rows).
	 */
	sharedPrefix: Map<number, number>;
}

/** An example shown as a demonstration: its prompt followed by the answer. */
export function demonstration(example: Example): string {
	switch (example.kind) {
		case "classification":
		case "logodds":
			return example.prompt + example.classes[example.answerIndex];
		case "sequence_prob":
			return example.prompt + example.completion;
		case "exact_answer":
			return `${example.prompt} ${example.answer}`;
	}
}

/** The k-shot task of `plan`. Line numbers become those of the built JSONL file (one row a line). */
export function buildShotTask(examples: readonly Example[], plan: ShotPlan, separator: string): ShotTask {
	const texts = examples.map(demonstration);
	const blockText = (positions: readonly number[]) => positions.map((p) => texts[p] + separator).join("");
	// Code points of the shared block up to each place: what a row with a replacement there still shares.
	const upTo = [0];
	for (const p of plan.block) upTo.push(upTo[upTo.length - 1] + codePointLength(texts[p] + separator));
	const built: Example[] = [];
	const sharedPrefix = new Map<number, number>();
	for (const [row, example] of examples.entries()) {
		const block = blockText(demonstrationsOf(plan, row));
		const place = plan.replaced.get(row)?.[0];
		sharedPrefix.set(example.index, upTo[place ?? plan.block.length]);
		const line = row + 1;
		built.push(
			example.kind === "logodds"
				? { ...example, line, prompt: block + example.prompt, otherPrompt: block + example.otherPrompt }
				: { ...example, line, prompt: block + example.prompt },
		);
	}
	return { examples: built, sharedPrefix };
}
