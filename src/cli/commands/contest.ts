/** @module `invscale contest CONTEST.yaml`: hosts a contest (the web app in contest mode); `--new-token` makes a token. */
import type { Command } from "commander";
import { CliError, exitCodes } from "../errors.js";

interface ContestFlags {
	port: string;
	host: string;
	dataDir?: string;
	store?: string;
	trustProxy?: boolean;
	newToken?: boolean;
	check?: boolean;
}

export function register(program: Command): void {
	program
		.command("contest")
		.description(
			"host an inverse-scaling contest: submissions, scoring on a private ladder, blind judging, results",
		)
		.argument("[file]", "the contest file (CONTEST.yaml)")
		.option("--port <n>", "port to listen on (0 picks a free one)", "7790")
		.option("--host <host>", "address to listen on (keep loopback behind a reverse proxy)", "127.0.0.1")
		.option(
			"--data-dir <dir>",
			"where submissions and runs are kept (default: $INVSCALE_HOME/contest/<contest>)",
		)
		.option(
			"--store <file>",
			"the SQLite store: people, submissions, runs, score cache (default: <data-dir>/store.sqlite)",
		)
		.option("--trust-proxy", "take client addresses from X-Forwarded-For (only behind your own proxy)")
		.option("--new-token", "print a new access token and the sha256 to put in the contest file, then exit")
		.option("--check", "check the contest file and exit")
		.action(async (file: string | undefined, flags: ContestFlags) => {
			if (flags.newToken) {
				const { hashToken, newToken } = await import("../../contest/tokens.js");
				const token = newToken();
				process.stdout.write(`token:        ${token}\ntoken_sha256: ${hashToken(token)}\n`);
				return;
			}
			if (!file) throw new CliError("name the contest file: invscale contest CONTEST.yaml", exitCodes.usage);
			const { ContestFileError, loadContestFile } = await import("../../contest/contest-file.js");
			let config: ReturnType<typeof loadContestFile>;
			try {
				config = loadContestFile(file);
			} catch (error) {
				if (error instanceof ContestFileError) throw new CliError(error.message, exitCodes.usage, error.hint);
				throw error;
			}
			if (flags.check) {
				process.stdout.write(
					`${config.file}: ${config.name}, ${config.rounds.length} round(s), ${config.publicLadder.models.length} public and ${config.privateLadder.models.length} private model(s), ${config.people.length} people named\n`,
				);
				return;
			}
			const port = Number(flags.port);
			if (!Number.isInteger(port) || port < 0 || port > 65535)
				throw new CliError(
					`--port must be a whole number from 0 to 65535, not ${flags.port}`,
					exitCodes.usage,
				);
			// Loading the server and opening the store take seconds: say what is happening meanwhile.
			const step = (line: string) => process.stderr.write(`${line}…\n`);
			step(`starting contest "${config.name}": loading the server`);
			const { startServer } = await import("../../server/index.js");
			const { invscaleHome } = await import("../../util/home.js");
			const { join } = await import("node:path");
			const dataDir = flags.dataDir ?? join(invscaleHome(), "contest", config.id);
			let app: Awaited<ReturnType<typeof startServer>>;
			try {
				app = await startServer({
					port,
					host: flags.host,
					contest: config,
					dataDir,
					// Its own store by default, so the local workbench never lists the contest's private runs.
					storeFile: flags.store ?? join(dataDir, "store.sqlite"),
					maxUploadBytes: config.rules.maxUploadBytes,
					trustProxy: flags.trustProxy === true,
					progress: step,
				});
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
					throw new CliError(`port ${port} is already in use`, exitCodes.usage, "pass another --port");
				throw error;
			}
			if (app.recoveredAtStart > 0)
				process.stderr.write(
					`${app.recoveredAtStart} scoring run(s) cut off at the last stop were queued again\n`,
				);
			process.stdout.write(`contest "${config.name}" is running at ${app.url}\npress Ctrl-C to stop\n`);
			await new Promise<void>((resolve) => {
				let stopping = false;
				const stop = () => {
					if (stopping) process.exit(130);
					stopping = true;
					process.stderr.write("stopping: runs in progress continue when the contest starts again\n");
					app.close().then(resolve, resolve);
				};
				process.once("SIGINT", stop);
				process.once("SIGTERM", stop);
			});
		});
}
