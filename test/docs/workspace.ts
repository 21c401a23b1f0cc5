/**
 * @module The folder a guide's commands run in: the files its examples name (a task, local GGUF
 * files, ladder files pointing at local stand-in servers, tables, finished runs), an `invscale`
 * command on PATH, and a home of its own. Nothing in it needs the network.
 */

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { namedReference, referenceCachePath } from "../../src/report/reference-sources.js";
import { startChatTestServer } from "../../src/testing/chat-server.js";
import { fixturePath } from "../../src/testing/fixtures.js";
import { repoRoot } from "../helpers/cli.js";
import { makeGridRun } from "../helpers/grid-run.js";
import { makeRunDir } from "../helpers/make-run-dir.js";
import { randomModel } from "../helpers/models.js";

/** Chat stand-ins: Claude's Messages API and an OpenAI-compatible chat server. */
export interface StandIns {
	anthropic: string;
	chat: string;
	close(): Promise<void>;
}

/** Answers every question "A" after reasoning as long as the budget allows (a word per 64 tokens). */
export async function startStandIns(): Promise<StandIns> {
	const respond = (request: { budgetTokens?: number; thinking: boolean }) => ({
		text: "A",
		reasoning: request.thinking
			? "think ".repeat(Math.min(8, Math.ceil((request.budgetTokens ?? 64) / 64)))
			: "",
	});
	const anthropic = await startChatTestServer({ dialect: "anthropic", respond, model: "claude-sonnet-4-5" });
	const chat = await startChatTestServer({ dialect: "vllm", respond });
	return {
		anthropic: anthropic.baseUrl,
		chat: chat.baseUrl,
		close: async () => {
			await anthropic.close();
			await chat.close();
		},
	};
}

const lines = (path: string, count: number) =>
	`${readFileSync(path, "utf8").split("\n").slice(0, count).join("\n")}\n`;

/** A task with errors, as docs/tasks.md shows `invscale validate` reporting it. */
const BROKEN_TASK = `prompt,classes,answer_index
Q: first,"[' Yes', ' No']",0
Q: second,"[' Yes'; ' No']",1
Q: third,"[' Yes', ' No']",0
Q: fifth ,"[' Yes', ' No']",1
`;

const PAPER = `model,family,parameters,mean,se
opt-125m,opt,125M,0.55,0.01
opt-1.3b,opt,1.3B,0.65,0.01
opt-13b,opt,13B,0.75,0.01
opt-175b,opt,175B,0.85,0.01
`;

/** A folder of per-example prize files, one per model, with a loss that grows with size. */
function prizeFolder(dir: string, models: string[]): void {
	mkdirSync(dir, { recursive: true });
	models.forEach((model, m) => {
		const rows = Array.from({ length: 20 }, (_, i) => {
			const loss = 0.5 + 0.1 * m + 0.01 * (i % 5);
			return `${i},${loss},${i % 3 === 0 ? 0 : 1}," Yes",-0.1`;
		});
		writeFileSync(
			join(dir, `${model}.csv`),
			`index,loss,correct,predicted,total_logprob\n${rows.join("\n")}\n`,
		);
	});
}

/**
 * Fills `dir` for a guide. `home` is INVSCALE_HOME; `standIns` the servers the chat ladders name.
 */
export async function prepareWorkspace(
	dir: string,
	guide: string,
	standIns: StandIns,
	home: string,
): Promise<void> {
	// The published table a named --reference fetches, as a run with network would have cached it.
	const published = referenceCachePath(namedReference("michaelov-bergen-2023")!.url!, {
		INVSCALE_HOME: home,
	});
	mkdirSync(dirname(published), { recursive: true });
	copyFileSync(fixturePath("michaelovBergen"), published);

	mkdirSync(join(dir, "bin"), { recursive: true });
	writeFileSync(
		join(dir, "bin", "invscale"),
		`#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, "dist", "cli", "main.js")}" "$@"\n`,
		{ mode: 0o755 },
	);
	// The repository's own paths, as the README's first command names them.
	symlinkSync(join(repoRoot, "dist"), join(dir, "dist"));
	const negation = join(repoRoot, "examples", "tasks", "negation-qa.csv");
	if (guide === "README.md" || guide === "docs/tasks.md") {
		// The main job on the whole example task, and `validate examples/tasks/*` on every file.
		symlinkSync(join(repoRoot, "examples"), join(dir, "examples"));
	} else {
		// Elsewhere the example task is cut to 60 rows, to keep the suite short: the same commands
		// and headings, on fewer examples.
		mkdirSync(join(dir, "examples", "tasks"), { recursive: true });
		for (const entry of readdirSync(join(repoRoot, "examples"))) {
			if (entry !== "tasks") symlinkSync(join(repoRoot, "examples", entry), join(dir, "examples", entry));
		}
		for (const entry of readdirSync(join(repoRoot, "examples", "tasks"))) {
			const target = join(dir, "examples", "tasks", entry);
			if (entry === "negation-qa.csv") writeFileSync(target, lines(negation, 1 + 2 * 60));
			else symlinkSync(join(repoRoot, "examples", "tasks", entry), target);
		}
	}
	mkdirSync(join(dir, "test"));
	symlinkSync(join(repoRoot, "test", "fixtures"), join(dir, "test", "fixtures"));

	const task = lines(negation, 1 + 2 * 12); // 12 rows of two lines each
	writeFileSync(join(dir, "my-task.csv"), guide === "docs/tasks.md" ? BROKEN_TASK : task);
	writeFileSync(join(dir, "task.csv"), task);
	// neg30.csv, cut to 10 rows: three budgets of generation on each row is the slow part.
	writeFileSync(join(dir, "neg30.csv"), lines(negation, 1 + 2 * 10));
	symlinkSync(fixturePath("stories260K"), join(dir, "stories260K.gguf"));

	// Local GGUF files: random-weight stand-ins of the names the guides use.
	for (const [file, shape] of [
		["a", "tiny-a"],
		["b", "tiny-b"],
		["c", "tiny-c"],
		["pythia-160m", "tiny-a"],
	] as const) {
		symlinkSync(await randomModel(shape), join(dir, `${file}.gguf`));
	}
	// A chat-templated model of that name is 600 MB; stories260K generates through the same path.
	symlinkSync(fixturePath("stories260K"), join(dir, "qwen3-0.6b-q8_0.gguf"));
	mkdirSync(join(dir, "home", "models"), { recursive: true });
	symlinkSync(join(dir, "a.gguf"), join(dir, "home", "models", "a.gguf"));
	writeFileSync(
		join(dir, "my-ladder.yaml"),
		"name: my-ladder\nmodels:\n  - { file: a.gguf, parameters: 1M }\n  - { file: b.gguf, parameters: 2M }\n",
	);

	// Chat and reasoning ladders, served by the local stand-ins instead of the vendors' APIs.
	const claude = `  - name: claude-sonnet\n    anthropic: { model: claude-sonnet-4-5, base_url: ${standIns.anthropic} }\n`;
	const chat = `  - name: chat-model\n    openai: { base_url: ${standIns.chat}, model: test-model, api: chat }\n`;
	writeFileSync(join(dir, "claude.yaml"), `name: claude\nmodels:\n${claude}`);
	writeFileSync(join(dir, "chat.yaml"), `name: reasoning\nmodels:\n${chat}${claude}`);
	writeFileSync(join(dir, "o-series.yaml"), `name: o-series\nmodels:\n${chat}`);

	// Tables for `invscale analyze`.
	writeFileSync(join(dir, "paper.csv"), PAPER);
	writeFileSync(join(dir, "numbers-from-a-paper.csv"), PAPER);
	// Michaelov & Bergen's table, 3 of its 12 tasks (each task is a bootstrap of its own).
	const keep = new Set([
		"Task",
		"isp_memo_trap",
		"isp_hindsight_neglect",
		"isp_pattern_matching_suppression",
	]);
	const table = readFileSync(fixturePath("michaelovBergen"), "utf8").split("\n");
	writeFileSync(
		join(dir, "all_results.tsv"),
		`${table.filter((row) => keep.has(row.split("\t")[2])).join("\n")}\n`,
	);
	prizeFolder(join(dir, "prize-results"), ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"]);
	prizeFolder(join(dir, "my-results"), ["mine-s", "mine-m", "mine-l"]);
	writeFileSync(
		join(dir, "sizes.csv"),
		"model,family,parameters\nmine-s,mine,10M\nmine-m,mine,100M\nmine-l,mine,1B\n",
	);

	// Finished runs the guides' `report` commands read.
	const pythia = (step?: number) =>
		[
			["pythia-160m", 162_322_944, 0.6],
			["pythia-410m", 405_334_016, 0.7],
			["pythia-1b", 1_011_781_632, 0.8],
		].map(([name, parameters, mean]) => ({
			name: name as string,
			family: "pythia",
			parameters: parameters as number,
			mean: mean as number,
			...(step ? { step, trainingTokens: step * 2_097_152 } : {}),
		}));
	if (guide !== "README.md") {
		makeRunDir(join(dir, "runs", "negation-qa"), pythia(143000), { examples: 40, task: "negation-qa" });
	}
	makeRunDir(join(dir, "runs", "my-task"), pythia(), { examples: 40, task: "my-task" });
	makeRunDir(join(dir, "runs", "memo-trap_classification"), pythia(143000), {
		examples: 40,
		task: "memo-trap_classification",
		typeName: "classification_acc",
	});
	makeGridRun(join(dir, "runs", "sizes-by-steps"));
	makeRunDir(
		join(dir, "runs", "few-shot"),
		[0, 1, 2, 4, 8].map((shots, i) => ({
			name: `pythia-410m-${shots}shot`,
			model: "pythia-410m",
			family: "pythia",
			parameters: 405_334_016,
			shots,
			mean: 0.6 + 0.02 * i,
		})),
		{ examples: 40, task: "few-shot" },
	);
	if (guide === "docs/cache.md") {
		// cache.md clears pythia-160m's scores: score something with it first.
		const ran = spawnSync(
			process.execPath,
			[
				join(repoRoot, "dist", "cli", "main.js"),
				"eval",
				"task.csv",
				"--models",
				"pythia-160m.gguf",
				"--out",
				"primed",
			],
			{ cwd: dir, env: { ...process.env, INVSCALE_HOME: home, INVSCALE_OFFLINE: "1" }, encoding: "utf8" },
		);
		if (ran.status !== 0) throw new Error(`priming the cache failed:\n${ran.stdout}${ran.stderr}`);
	}
	// contests.md's contest.yaml is the example contest.
	copyFileSync(join(repoRoot, "examples", "contest", "contest.yaml"), join(dir, "contest.yaml"));
}
