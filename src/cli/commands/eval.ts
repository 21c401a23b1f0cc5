/** @module `invscale eval TASK… (--models … | --ladder …)`: scores tasks on a ladder and writes the prize layout. */
import { type Command, Option } from "commander";
import { parseShotValues, ShotsError } from "../../engine/shot-variants.js";
import { CliError, exitCodes } from "../errors.js";

interface EvalFlags {
	models?: string;
	ladder?: string;
	laddersConfig?: string;
	out: string;
	type?: string;
	boundary: "strict" | "lenient";
	truncate: "none" | "left";
	precision: "fast" | "exact";
	cache: boolean;
	store?: string;
	report: boolean;
	offline?: boolean;
	concurrency?: string;
	budgets?: string;
	samples?: string;
	temperature?: string;
	seed?: string;
	options: "letters" | "text";
	budgetMechanism: "auto" | "forcing" | "native";
	thinkOpen?: string;
	thinkClose?: string;
	answerCue?: string;
	maxAnswerTokens?: string;
	system?: string;
	shots?: string;
	shotsSeparator?: string;
	shotsSeed?: string;
	reference: string[];
}

/** A report input error (a bad reference table) as the command line shows errors. */
function rethrowRunDir(error: unknown): never {
	const fix = (error as { fix?: unknown }).fix;
	if (error instanceof Error && error.name === "RunDirError")
		throw new CliError(error.message, exitCodes.failed, typeof fix === "string" ? fix : undefined);
	throw error;
}

/** A whole number ≥ `min` from a flag, or a usage error naming the flag. */
function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!(Number.isSafeInteger(n) && n >= min))
		throw new CliError(`${flag} must be a whole number of at least ${min}, not ${value}`, exitCodes.usage);
	return n;
}

/** `\n`, `\t` and `\\` in a flag's text, so a shell user can type a separator with line breaks. */
function unescapeFlag(text: string): string {
	return text.replace(/\\([nt\\])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : "\\"));
}

/** `--shots 0,1,2,4,8` and its companions, checked; undefined when no sweep is asked for. */
function shotsFlags(flags: EvalFlags): { values: number[]; separator?: string; seed?: number } | undefined {
	if (flags.shots === undefined) {
		if (flags.shotsSeparator !== undefined || flags.shotsSeed !== undefined)
			throw new CliError(
				"--shots-separator and --shots-seed need --shots",
				exitCodes.usage,
				"e.g. --shots 0,1,4",
			);
		return undefined;
	}
	let values: number[];
	try {
		values = parseShotValues(flags.shots);
	} catch (error) {
		if (!(error instanceof ShotsError)) throw error;
		throw new CliError(
			`--shots: ${error.message}`,
			exitCodes.usage,
			error.hint.replace("e.g. ", "e.g. --shots "),
		);
	}
	const seed = flags.shotsSeed === undefined ? undefined : Number(flags.shotsSeed);
	if (seed !== undefined && !(/^\d+$/.test(flags.shotsSeed!.trim()) && Number.isSafeInteger(seed)))
		throw new CliError(`--shots-seed must be a whole number, not ${flags.shotsSeed}`, exitCodes.usage);
	return {
		values,
		...(flags.shotsSeparator !== undefined ? { separator: unescapeFlag(flags.shotsSeparator) } : {}),
		...(seed !== undefined ? { seed } : {}),
	};
}

export function register(program: Command): void {
	program
		.command("eval")
		.description("score task files on a ladder of models and write per-model results, summary and report")
		.argument(
			"<tasks...>",
			"task files (.csv or .jsonl), or prize catalog tasks: prize:memo-trap, prize:memo-trap,neqa, prize:all",
		)
		.option("--models <files>", "comma-separated GGUF files, e.g. small.gguf,large.gguf")
		.option(
			"--ladder <ladder>",
			"a catalog ladder (pythia, pythia:160m,410m …), one of yours, or a ladder .yaml (default: the built-in organisms)",
		)
		.option("--ladders-config <file>", "a YAML file of your own ladders")
		.option("--out <dir>", "output folder; each task writes <out>/<task name>/", "runs")
		.option("--type <type>", "task type, when the columns alone cannot say")
		.addOption(
			new Option(
				"--boundary <mode>",
				"a token across the prompt/class join: error, or count it with the class",
			)
				.choices(["strict", "lenient"])
				.default("strict"),
		)
		.addOption(
			new Option("--truncate <mode>", "prompts longer than the context window: error, or drop their start")
				.choices(["none", "left"])
				.default("none"),
		)
		.addOption(
			new Option("--precision <mode>", "fast: llama.cpp defaults; exact: f32 KV cache, no flash attention")
				.choices(["fast", "exact"])
				.default("fast"),
		)
		.option("--no-cache", "do not read or write the score cache")
		.option("--store <file>", "score cache file (default: $INVSCALE_HOME/store.sqlite)")
		.option("--no-report", "skip report.html")
		.option("--offline", "never touch the network; models must be on disk")
		.option(
			"--reference <table>",
			"published results to compare with in the report: a table file, a URL, or michaelov-bergen-2023 (repeatable)",
			(value: string, previous: string[]) => [...previous, value],
			[] as string[],
		)
		.option("--concurrency <n>", "examples in flight per model (default: what the backend serves at once)")
		.option(
			"--shots <k,k,…>",
			"few-shot sweep: score each model with k demonstrations from the task's own examples, e.g. 0,1,2,4,8",
		)
		.option(
			"--shots-separator <text>",
			'put after each demonstration (\\n is a line break; default "\\n\\n")',
		)
		.option("--shots-seed <n>", "seed of the demonstrations' draw, recorded in run.json (default 1)")
		.option(
			"--budgets <list>",
			"evaluate by generation at these reasoning budgets: tokens (0,16,64; 0 = no reasoning) or effort levels (low,medium,high)",
		)
		.option(
			"--samples <n>",
			"answers drawn per example and budget (needs --temperature); accuracy is their mean",
		)
		.option("--temperature <t>", "sampling temperature of generation (default 0: greedy)")
		.option("--seed <n>", "seed of the first sample; sample s uses seed + s (default 0)")
		.addOption(
			new Option("--options <mode>", "classes asked as lettered options, or as their own text")
				.choices(["letters", "text"])
				.default("letters"),
		)
		.addOption(
			new Option(
				"--budget-mechanism <mode>",
				"forcing: invscale cuts the reasoning at the budget; native: the API's own control; auto: forcing where the backend continues text",
			)
				.choices(["auto", "forcing", "native"])
				.default("auto"),
		)
		.option("--think-open <text>", 'budget forcing: written to open the reasoning (default "<think>\\n")')
		.option("--think-close <text>", 'budget forcing: written to close it (default "\\n</think>\\n\\n")')
		.option("--answer-cue <text>", 'budget forcing: written before the answer (default "Answer:")')
		.option("--max-answer-tokens <n>", "tokens allowed for the final answer (default 32)")
		.option("--system <text>", "a system message put before every question")
		.action(async (tasks: string[], flags: EvalFlags) => {
			if (flags.models && flags.ladder) {
				throw new CliError(
					"give one of --models or --ladder, not both",
					exitCodes.usage,
					"e.g. --models a.gguf,b.gguf or --ladder pythia-small",
				);
			}
			if (!flags.models && !flags.ladder) {
				const { DEFAULT_LADDER } = await import("../../ladders/builtin.js");
				flags.ladder = DEFAULT_LADDER;
				process.stderr.write(
					`no --ladder or --models: scoring on the built-in ${DEFAULT_LADDER} ladder (small models trained by invscale, offline; see docs/organisms.md)\n`,
				);
			}
			const { isTaskTypeName, taskTypeNames, formatDiagnostic } = await import("../../tasks/index.js");
			if (flags.type && !isTaskTypeName(flags.type)) {
				throw new CliError(
					`unknown task type ${JSON.stringify(flags.type)}`,
					exitCodes.usage,
					`choose one of: ${taskTypeNames.join(", ")}`,
				);
			}
			const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
			if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
				throw new CliError(
					`--concurrency must be a positive whole number, not ${flags.concurrency}`,
					exitCodes.usage,
				);
			}
			const shots = shotsFlags(flags);
			const generation = await generationFlags(flags);
			const { ladderFromModelPaths, resolveLadder } = await import("../../ladders/index.js");
			const ladder = flags.models
				? ladderFromModelPaths(
						flags.models
							.split(",")
							.map((s) => s.trim())
							.filter(Boolean),
					)
				: await resolveLadder(flags.ladder!, { configFile: flags.laddersConfig });
			// Catalog tasks are fetched (or found on disk) before anything else is touched.
			const { resolveTaskArgs } = await import("../prize-tasks.js");
			const resolved = await resolveTaskArgs(tasks, { offline: flags.offline });
			// References are read before anything runs, so a bad table fails at once.
			const { loadReferences } = await import("../../report/reference-sources.js");
			const references = flags.report ? await loadReferences(flags.reference).catch(rethrowRunDir) : [];
			const combined = flags.report && (resolved.files.length > 1 || references.length > 0);
			const { runEval, EvalSetupError } = await import("../../engine/run-eval.js");
			const { createEvalProgress } = await import("../eval-progress.js");
			const display = createEvalProgress(process.stderr);
			const controller = new AbortController();
			const interrupt = () => {
				if (controller.signal.aborted) process.exit(130);
				process.stderr.write(
					"\nstopping after the examples in flight (Ctrl-C again to quit now; finished work is cached)\n",
				);
				controller.abort();
			};
			process.on("SIGINT", interrupt);
			try {
				const outcome = await runEval(
					{
						tasks: resolved.files,
						taskProvenance: resolved.provenance,
						models: ladder.models,
						...(shots ? { shots } : {}),
						ladderName: flags.ladder ? ladder.name : undefined,
						outDir: flags.out,
						type: flags.type as never,
						boundary: flags.boundary,
						truncate: flags.truncate,
						precision: flags.precision,
						store: flags.cache ? flags.store : false,
						// Several tasks: the combined report below writes each task's report too.
						report: flags.report && !combined,
						offline: flags.offline,
						concurrency,
						...(generation ? { generation } : {}),
						signal: controller.signal,
					},
					(event) => {
						if (event.type === "validated" && event.errors.length > 0) {
							for (const d of event.errors) process.stderr.write(`${formatDiagnostic(d)}\n`);
						}
						display(event);
					},
				);
				display.close();
				if (combined && (outcome.status === "complete" || outcome.status === "partial")) {
					const { writeCombinedTasksReport } = await import("../combined-report.js");
					await writeCombinedTasksReport(flags.out, outcome.tasks, { references });
				}
				switch (outcome.status) {
					case "complete":
						return;
					case "invalid":
						throw new CliError(
							"the task files have errors; nothing was scored",
							exitCodes.failed,
							"fix the rows above (invscale validate shows every problem)",
						);
					case "partial":
						process.stderr.write(
							"some models failed: their errors are above and in run.json; the others' results are kept\n",
						);
						process.exitCode = exitCodes.partial;
						return;
					case "cancelled":
						process.exitCode = 130;
						return;
					case "failed":
						throw new CliError("no model could score the task (see the errors above and run.json)");
				}
			} catch (error) {
				if (error instanceof EvalSetupError) throw new CliError(error.message, exitCodes.usage, error.hint);
				throw error;
			} finally {
				process.off("SIGINT", interrupt);
			}
		});
}

/** The generation options the flags ask for, or undefined when the run scores log-probs. */
async function generationFlags(flags: EvalFlags) {
	const { parseBudgets, BudgetError, defaultMarkers } = await import("../../generation/budget.js");
	const generating = [
		flags.samples,
		flags.temperature,
		flags.seed,
		flags.thinkOpen,
		flags.thinkClose,
		flags.answerCue,
	];
	if (flags.budgets === undefined) {
		if (generating.some((v) => v !== undefined))
			throw new CliError(
				"--samples, --temperature, --seed and the thinking markers apply to generation",
				exitCodes.usage,
				"add --budgets, e.g. --budgets 0 for answers without reasoning",
			);
		return undefined;
	}
	let budgets: ReturnType<typeof parseBudgets>;
	try {
		budgets = parseBudgets(flags.budgets);
	} catch (error) {
		if (error instanceof BudgetError) throw new CliError(error.message, exitCodes.usage, error.hint);
		throw error;
	}
	const temperature = flags.temperature === undefined ? undefined : Number(flags.temperature);
	if (temperature !== undefined && !(temperature >= 0 && Number.isFinite(temperature)))
		throw new CliError(
			`--temperature must be a number of at least 0, not ${flags.temperature}`,
			exitCodes.usage,
		);
	const samples = wholeNumber("--samples", flags.samples, 1);
	if (samples !== undefined && samples > 1 && !(temperature !== undefined && temperature > 0))
		throw new CliError(
			`--samples ${samples} at temperature 0 would draw the same greedy answer ${samples} times`,
			exitCodes.usage,
			"add --temperature, e.g. --temperature 0.7",
		);
	return {
		budgets,
		...(samples === undefined ? {} : { samples }),
		...(temperature === undefined ? {} : { temperature }),
		...(flags.seed === undefined ? {} : { seed: wholeNumber("--seed", flags.seed, 0) }),
		...(flags.maxAnswerTokens === undefined
			? {}
			: { maxAnswerTokens: wholeNumber("--max-answer-tokens", flags.maxAnswerTokens, 1) }),
		options: flags.options,
		mechanism: flags.budgetMechanism,
		markers: {
			open: flags.thinkOpen === undefined ? defaultMarkers.open : unescapeFlag(flags.thinkOpen),
			close: flags.thinkClose === undefined ? defaultMarkers.close : unescapeFlag(flags.thinkClose),
			answerCue: flags.answerCue === undefined ? defaultMarkers.answerCue : unescapeFlag(flags.answerCue),
		},
		...(flags.system === undefined ? {} : { system: flags.system }),
	};
}
