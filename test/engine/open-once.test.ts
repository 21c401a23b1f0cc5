/**
 * The engine opens each model once for all of its conditions: a three-k sweep over two models
 * loads two models, each scoring its three conditions in a row.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import * as llama from "../../src/backends/llama/backend.js";
import { runEval } from "../../src/engine/run-eval.js";
import type { EvalEvent } from "../../src/engine/types.js";
import { randomModel } from "../helpers/models.js";

vi.mock("../../src/backends/llama/backend.js", async (original) => {
	const real = await original<typeof import("../../src/backends/llama/backend.js")>();
	return { ...real, openLlamaBackend: vi.fn(real.openLlamaBackend) };
});

describe("conditions share their model", () => {
	it("a model is loaded once and scores all of its conditions before the next is loaded", async () => {
		const paths = [await randomModel("tiny-a"), await randomModel("tiny-b")];
		const events: EvalEvent[] = [];
		const outcome = await runEval(
			{
				tasks: [join(import.meta.dirname, "..", "fixtures", "eval", "classification.csv")],
				models: paths.map((path, i) => ({
					name: ["tiny-a", "tiny-b"][i],
					family: "tiny",
					source: { kind: "file", path },
				})),
				outDir: mkdtempSync(join(tmpdir(), "invscale-once-")),
				shots: { values: [2, 0, 1] },
				store: false,
				report: false,
			},
			(event) => events.push(event),
		);
		expect(outcome.status).toBe("complete");
		const opened = vi.mocked(llama.openLlamaBackend).mock.calls.map(([path]) => path);
		expect(opened).toEqual(paths);
		expect(events.filter((e) => e.type === "model-end").map((e) => (e as { model: string }).model)).toEqual([
			"tiny-a-0shot",
			"tiny-a-1shot",
			"tiny-a-2shot",
			"tiny-b-0shot",
			"tiny-b-1shot",
			"tiny-b-2shot",
		]);
	});
});
