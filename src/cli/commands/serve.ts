/** @module `invscale serve`: starts the web app (upload a task, pick a ladder, run, read the verdict). */
import type { Command } from "commander";
import { CliError, exitCodes } from "../errors.js";

interface ServeFlags {
	port: string;
	host: string;
	modelsDir?: string;
	token?: string;
	maxUploadMb: string;
	dataDir?: string;
	store?: string;
}

export function register(program: Command): void {
	program
		.command("serve")
		.description(
			"start the web app: upload a task, pick a ladder, run it and read the verdict in the browser",
		)
		.option("--port <n>", "port to listen on (0 picks a free one)", "7788")
		.option("--host <host>", "address to listen on; anything but loopback needs --token", "127.0.0.1")
		.option("--models-dir <dir>", "a folder of GGUF files offered as a ladder")
		.option("--token <secret>", "require this token on every request (the page asks for it)")
		.option("--max-upload-mb <n>", "largest task file accepted, in MB", "100")
		.option("--data-dir <dir>", "where uploads and runs are kept (default: $INVSCALE_HOME/web)")
		.option("--store <file>", "run registry and score cache (default: $INVSCALE_HOME/store.sqlite)")
		.action(async (flags: ServeFlags) => {
			const port = Number(flags.port);
			if (!Number.isInteger(port) || port < 0 || port > 65535) {
				throw new CliError(
					`--port must be a whole number from 0 to 65535, not ${flags.port}`,
					exitCodes.usage,
				);
			}
			const maxUploadMb = Number(flags.maxUploadMb);
			if (!Number.isFinite(maxUploadMb) || maxUploadMb <= 0) {
				throw new CliError(
					`--max-upload-mb must be a positive number, not ${flags.maxUploadMb}`,
					exitCodes.usage,
				);
			}
			if (flags.token !== undefined && flags.token.length < 8) {
				throw new CliError(
					"--token must be at least 8 characters",
					exitCodes.usage,
					"e.g. --token $(openssl rand -hex 16)",
				);
			}
			const { startServer, ServerOptionsError } = await import("../../server/index.js");
			let app: Awaited<ReturnType<typeof startServer>>;
			try {
				app = await startServer({
					port,
					host: flags.host,
					...(flags.token !== undefined ? { token: flags.token } : {}),
					...(flags.modelsDir ? { modelsDir: flags.modelsDir } : {}),
					...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
					...(flags.store ? { storeFile: flags.store } : {}),
					maxUploadBytes: Math.round(maxUploadMb * 1024 * 1024),
				});
			} catch (error) {
				if (error instanceof ServerOptionsError)
					throw new CliError(error.message, exitCodes.usage, error.hint);
				const code = (error as NodeJS.ErrnoException).code;
				if (code === "EADDRINUSE") {
					throw new CliError(
						`port ${port} is already in use`,
						exitCodes.usage,
						"pass another --port, or --port 0 for a free one",
					);
				}
				throw error;
			}
			if (app.interruptedAtStart > 0) {
				process.stderr.write(
					`${app.interruptedAtStart} run(s) were cut off when the server last stopped; resume them in the page\n`,
				);
			}
			process.stdout.write(
				`invscale is running at ${app.url}${flags.token ? " (the page asks for the token)" : ""}\n`,
			);
			process.stdout.write("press Ctrl-C to stop\n");
			await new Promise<void>((resolve) => {
				let stopping = false;
				const stop = () => {
					if (stopping) process.exit(130);
					stopping = true;
					process.stderr.write("stopping: the running run is kept as interrupted and can be resumed\n");
					app.close().then(resolve, resolve);
				};
				process.once("SIGINT", stop);
				process.once("SIGTERM", stop);
			});
		});
}
