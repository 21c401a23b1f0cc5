/** @module `invscale validate FILE… [--type T] [--json]`: checks task files and prints every problem. */
import type { Command } from "commander";
import type { TaskTypeName } from "../../tasks/types.js";
import { CliError, exitCodes } from "../errors.js";

interface ValidateFlags {
	type?: string;
	json?: boolean;
	max: string;
}

export function register(program: Command): void {
	program
		.command("validate")
		.description("check task files (.csv, .jsonl) and their cards; exit 1 when any file has errors")
		.argument("<files...>", "task files, or prize catalog tasks (prize:memo-trap, prize:all)")
		.option("-t, --type <type>", "task type, when the columns cannot tell (e.g. logodds vs absolute_logodds)")
		.option("--json", "print one JSON document (schema invscale.validate/1) instead of text")
		.option("--max <n>", "problems shown per file", "50")
		.action(async (files: string[], flags: ValidateFlags) => {
			const { formatValidation, isTaskTypeName, taskOfCard, taskTypeNames, validateTask, validationJson } =
				await import("../../tasks/index.js");
			if (flags.type !== undefined && !isTaskTypeName(flags.type)) {
				throw new CliError(
					`unknown task type "${flags.type}"`,
					exitCodes.usage,
					`use one of: ${taskTypeNames.join(", ")}`,
				);
			}
			const max = Number(flags.max);
			if (!Number.isInteger(max) || max < 0) {
				throw new CliError(`--max must be a whole number, not "${flags.max}"`, exitCodes.usage);
			}
			const type = flags.type as TaskTypeName | undefined;
			// A card is checked with its task, so `validate examples/tasks/*` checks each task once.
			const { resolveTaskArgs } = await import("../prize-tasks.js");
			const resolved = (await resolveTaskArgs(files)).files;
			const tasks: string[] = [];
			for (const file of resolved) {
				const task = (await taskOfCard(file)) ?? file;
				if (!tasks.includes(task)) tasks.push(task);
			}
			const results = [];
			for (const file of tasks) {
				const result = await validateTask(file, { type, maxDiagnostics: max });
				results.push(result);
				if (!flags.json) process.stdout.write(`${formatValidation(result, max)}\n\n`);
			}
			const report = validationJson(results);
			if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
			else if (tasks.length > 1) {
				const bad = results.filter((r) => !r.valid).length;
				process.stdout.write(
					bad === 0
						? `all ${tasks.length} tasks are valid\n`
						: `${bad} of ${tasks.length} tasks are invalid\n`,
				);
			}
			process.exitCode = report.valid ? exitCodes.ok : exitCodes.failed;
		});
}
