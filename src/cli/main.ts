#!/usr/bin/env node
/** @module The `invscale` command: parses arguments and hands each command to its module. */
import { Command, CommanderError } from "commander";
import { version } from "../version.js";
import { CliError, exitCodes } from "./errors.js";

const program = new Command()
	.name("invscale")
	.description("Find and measure inverse scaling: tasks on which bigger language models do worse.")
	.version(version)
	.showHelpAfterError("(run with --help for usage)")
	.exitOverride();

// Each command module registers itself; imports are lazy inside the actions so `--help` stays fast.
const commands: Array<() => Promise<{ register(program: Command): void }>> = [
	// commands:begin
	() => import("./commands/validate.js"),
	() => import("./commands/eval.js"),
	() => import("./commands/report.js"),
	() => import("./commands/analyze.js"),
	() => import("./commands/serve.js"),
	() => import("./commands/ladders.js"),
	() => import("./commands/pull.js"),
	() => import("./commands/tasks.js"),
	() => import("./commands/cache.js"),
	() => import("./commands/contest.js"),
	() => import("./commands/submit.js"),
	() => import("./commands/organisms.js"),
	// commands:end
];

async function main(): Promise<void> {
	for (const load of commands) (await load()).register(program);
	try {
		await program.parseAsync(process.argv);
	} catch (error) {
		if (error instanceof CommanderError) {
			process.exitCode = error.exitCode === 0 ? 0 : exitCodes.usage;
			return;
		}
		if (error instanceof CliError) {
			process.stderr.write(`invscale: ${error.message}\n`);
			if (error.hint) process.stderr.write(`  ${error.hint}\n`);
			process.exitCode = error.exitCode;
			return;
		}
		process.stderr.write(
			`invscale: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exitCode = exitCodes.internal;
	}
}

await main();
