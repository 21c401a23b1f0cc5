/**
 * @module Bench: what a fixed demonstration block saves. The same task is scored 0-shot, k-shot
 * with invscale's fixed block (`--shots k`), and k-shot with a fresh draw of k other examples per
 * row (built here, scored as a plain task); each reports the tokens the model evaluated and the time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEval } from "../engine/run-eval.js";
import { buildShotTask } from "../tasks/few-shot.js";
import { readTask } from "../tasks/index.js";
import { prizeJsonl } from "../tasks/prize-jsonl.js";
import type { ShotPlan } from "../tasks/shot-draws.js";
import type { Example } from "../tasks/types.js";
import { createPrng } from "../util/prng.js";
import { ensureBenchModels } from "./scoring/models.js";
import { benchClasses } from "./scoring/task.js";
import type { BenchSection } from "./section.js";

const rows = Number(process.env.INVSCALE_BENCH_SHOT_ROWS ?? 80);
const shots = Number(process.env.INVSCALE_BENCH_SHOTS ?? 8);

const words =
	"once upon a time there was a little girl named lily she liked to play with her dog in the park".split(" ");

/** A classification task of short stories (about 30 tokens each), deterministic. */
function writeTask(file: string): void {
	const prng = createPrng(3);
	const lines = ["prompt,classes,answer_index"];
	for (let i = 0; i < rows; i++) {
		const story = Array.from({ length: 20 + prng.nextInt(8) }, () => words[prng.nextInt(words.length)]).join(
			" ",
		);
		lines.push(
			`"${story}. It was a","[${benchClasses.map((c) => `'${c}'`).join(", ")}]",${i % benchClasses.length}`,
		);
	}
	writeFileSync(file, `${lines.join("\n")}\n`);
}

/** k other rows drawn afresh for every row: the design invscale does not use, built for comparison. */
function perExampleTask(examples: readonly Example[], separator: string): Example[] {
	const prng = createPrng(9);
	return examples.map((_, row) => {
		const others = examples.map((_, i) => i).filter((i) => i !== row);
		for (let i = others.length - 1; i > 0; i--) {
			const j = prng.nextInt(i + 1);
			[others[i], others[j]] = [others[j], others[i]];
		}
		const plan: ShotPlan = { shots, block: others.slice(0, shots), replaced: new Map() };
		return buildShotTask(examples, plan, separator).examples[row];
	});
}

async function score(
	file: string,
	model: { name: string; path: string },
	withShots: boolean,
	outDir: string,
) {
	const started = performance.now();
	const outcome = await runEval({
		tasks: [file],
		models: [{ name: model.name, family: "llama", source: { kind: "file", path: model.path } }],
		outDir,
		precision: "exact",
		store: false,
		report: false,
		concurrency: 1,
		...(withShots ? { shots: { values: [shots] } } : {}),
	});
	const ms = performance.now() - started;
	const run = JSON.parse(readFileSync(join(outcome.tasks[0].dir, "run.json"), "utf8"));
	const record = run.models[0];
	if (record.status !== "ok") throw new Error(`few-shot bench: ${record.error}`);
	return {
		tokensEvaluated: record.tokensEvaluated as number,
		sharedPrefixTokens: record.sharedPrefixTokens ?? 0,
		ms,
	};
}

export const section: BenchSection = {
	name: "few-shot",
	description: `tokens evaluated for ${rows} rows at ${shots} shots: one fixed block vs a draw per row`,
	async run() {
		const dir = mkdtempSync(join(tmpdir(), "invscale-"));
		try {
			const [model] = await ensureBenchModels(["llama-15m"]);
			const file = join(dir, "stories.csv");
			writeTask(file);
			const task = await readTask(file);
			const perRowFile = join(dir, "stories-per-row.jsonl");
			writeFileSync(perRowFile, prizeJsonl(perExampleTask(task.examples, "\n\n")));
			const zero = await score(file, model, false, join(dir, "zero"));
			const fixed = await score(file, model, true, join(dir, "fixed"));
			const perRow = await score(perRowFile, model, false, join(dir, "per-row"));
			const line = (name: string, r: { tokensEvaluated: number; ms: number }) =>
				console.log(
					`  ${name.padEnd(26)} ${String(r.tokensEvaluated).padStart(9)} tokens  ${(r.ms / 1000).toFixed(1).padStart(6)} s`,
				);
			line("0-shot", zero);
			line(`${shots}-shot, one fixed block`, fixed);
			line(`${shots}-shot, a draw per row`, perRow);
			console.log(
				`  the fixed block's shared context: ${fixed.sharedPrefixTokens} tokens over all rows; evaluated ${(perRow.tokensEvaluated / fixed.tokensEvaluated).toFixed(1)}× fewer tokens than a draw per row`,
			);
			return { rows, shots, model: model.name, zero, fixed, perRow };
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	},
};
