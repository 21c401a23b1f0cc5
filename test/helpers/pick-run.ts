/**
 * @module A generation run of `pick`, a task of n two-option questions ("Q<i>: which one?", the
 * right answer alternating), through the whole engine into a fresh folder, with its files read back.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEval } from "../../src/engine/run-eval.js";
import type { EvalOptions } from "../../src/engine/types.js";
import { parseBudgets } from "../../src/generation/budget.js";
import type { GenerationDetails } from "../../src/generation/types.js";
import type { LadderModel } from "../../src/ladders/types.js";
import type { RunManifest, RunSummary } from "../../src/run/manifest.js";
import { tempStorePath } from "./temp-store.js";

/** Runs `pick` on `model` at `budgets` (none: plain questions), in a store removed by removeTempStores. */
export async function runPick(
	n: number,
	model: LadderModel,
	budgets: string | undefined,
	extra: Partial<EvalOptions> = {},
) {
	const dir = mkdtempSync(join(tmpdir(), "invscale-pick-"));
	const rows = Array.from({ length: n }, (_, i) => `"Q${i}: which one?","[' yes', ' no']",${i % 2}`);
	writeFileSync(join(dir, "pick.csv"), `prompt,classes,answer_index\n${rows.join("\n")}\n`);
	const outcome = await runEval({
		tasks: [join(dir, "pick.csv")],
		models: [model],
		outDir: join(dir, "runs"),
		store: tempStorePath(),
		...extra,
		...(budgets === undefined ? {} : { generation: { budgets: parseBudgets(budgets) } }),
	});
	const read = (file: string) => readFileSync(join(dir, "runs", "pick", file), "utf8");
	return {
		outcome,
		read,
		summary: JSON.parse(read("summary.json")) as RunSummary,
		manifest: JSON.parse(read("run.json")) as RunManifest,
		details: (name: string) =>
			read(`details/${name}.jsonl`)
				.trim()
				.split("\n")
				.map((l) => JSON.parse(l) as GenerationDetails),
	};
}
