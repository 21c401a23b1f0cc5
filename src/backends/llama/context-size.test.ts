import { describe, expect, it } from "vitest";
import { randomModel } from "../../../test/helpers/models.js";
import { openLlamaBackend } from "./backend.js";

const SHORT = "Once upon a time, there was a little girl named Lily.";
const LONG = "She liked to play with her dog in the park, and the sun was warm. ".repeat(20);

describe("the context window follows the longest sequence of each task", () => {
	it.each(["fast", "exact"] as const)(
		"%s: a later, longer task gets larger contexts, and no score moves with the window",
		async (precision) => {
			const path = await randomModel("tiny-b");
			const growing = await openLlamaBackend(path, { precision, sequences: 2, threads: 2 });
			const large = await openLlamaBackend(path, { precision, sequences: 2, threads: 2 });
			try {
				const request = async (text: string) => {
					const ids = (await growing.tokenize(text)).map((t) => t.id);
					return {
						context: { ids: ids.slice(0, -3), text: "" },
						continuations: [{ ids: ids.slice(-3), text: "" }],
					};
				};
				const short = await request(SHORT);
				const long = await request(LONG);
				expect(long.context.ids.length).toBeGreaterThan(300);
				await growing.prepare({ maxSequenceTokens: 1 + short.context.ids.length + 3 });
				const first = await growing.scoreContinuations([short]);
				await growing.prepare({ maxSequenceTokens: 1 + long.context.ids.length + 3 });
				const [afterGrowing, longScores] = await growing.scoreContinuations([short, long]);
				await large.prepare({ maxSequenceTokens: 1 + long.context.ids.length + 3 });
				const [inLarge] = await large.scoreContinuations([short]);
				expect(afterGrowing).toEqual(first[0]);
				expect(inLarge).toEqual(first[0]);
				expect(longScores!.logprobs[0]).toHaveLength(3);
			} finally {
				await growing.dispose();
				await large.dispose();
			}
		},
	);
});
