/**
 * @module The generated answers behind a generation run's rows (`details/<condition>.jsonl`), read
 * for the examples the report shows, so a reader sees the reasoning and the final answer of the
 * conditions at both ends of the axis.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GenerationDetails } from "../generation/types.js";
import { runFiles } from "../run/manifest.js";

/** What the report shows of one example's first sample under one condition. */
export interface ShownAnswer {
	reasoning: string;
	/** null: the API did not say. */
	reasoningTokens?: number | null;
	reasoningTokensFrom?: "derived" | "estimated";
	answer: string;
	extracted?: string;
}

/** condition → example index → its first sample's answer. */
export type GeneratedAnswers = Map<string, Map<number, ShownAnswer>>;

/** The first sample of the wanted examples under each condition (conditions without details are skipped). */
export function readGeneratedAnswers(
	dir: string,
	conditions: readonly string[],
	indices: ReadonlySet<number>,
): GeneratedAnswers {
	const out: GeneratedAnswers = new Map();
	for (const name of new Set(conditions)) {
		const file = join(dir, runFiles.modelDetails(name));
		if (!existsSync(file)) continue;
		const answers = new Map<number, ShownAnswer>();
		for (const line of readFileSync(file, "utf8").split("\n")) {
			if (line.trim() === "") continue;
			const d = JSON.parse(line) as GenerationDetails;
			if (d.sample !== 0 || !indices.has(d.index)) continue;
			answers.set(d.index, {
				reasoning: d.reasoning,
				...(d.reasoningTokens === undefined ? {} : { reasoningTokens: d.reasoningTokens }),
				...(d.reasoningTokensFrom === undefined ? {} : { reasoningTokensFrom: d.reasoningTokensFrom }),
				answer: d.answer,
				...(d.extracted === undefined ? {} : { extracted: d.extracted }),
			});
		}
		out.set(name, answers);
	}
	return out;
}
