/** @module `invscale pull LADDER | prize:…`: downloads a ladder's model files or catalog tasks ahead of a run, with progress. */
import type { Command } from "commander";

interface PullFlags {
	laddersConfig?: string;
}

export function register(program: Command): void {
	program
		.command("pull")
		.description(
			"download the model files of a ladder into INVSCALE_HOME/models (or prize tasks into INVSCALE_HOME/tasks), ahead of a run",
		)
		.argument(
			"<ladder>",
			"a catalog ladder (pythia, pythia:160m,410m …), one of yours, a ladder .yaml file, or prize:NAME,… / prize:all",
		)
		.option(
			"--ladders-config <file>",
			"a YAML file of your own ladders (read after $INVSCALE_HOME/ladders.yaml)",
		)
		.action(async (spec: string, flags: PullFlags) => {
			if (spec.startsWith("prize:")) {
				const { resolveTaskArgs } = await import("../prize-tasks.js");
				const { formatBytes } = await import("../download-progress.js");
				const resolved = await resolveTaskArgs([spec]);
				for (const file of resolved.fetched)
					if (!file.downloaded)
						process.stderr.write(`prize:${file.task.name}: already on disk (${file.path})\n`);
				const bytes = resolved.fetched.reduce((sum, file) => sum + file.provenance.bytes, 0);
				const fetched = resolved.fetched.filter((file) => file.downloaded);
				process.stdout.write(
					`${resolved.fetched.length} prize task${resolved.fetched.length === 1 ? "" : "s"} ready, ${formatBytes(bytes)} on disk (${fetched.length} downloaded now), each with its card\n`,
				);
				return;
			}
			const { statSync } = await import("node:fs");
			const { resolveLadder } = await import("../../ladders/resolve.js");
			const { ensureLadderFiles } = await import("../../ladders/ensure-ladder.js");
			const { createDownloadProgress, formatBytes } = await import("../download-progress.js");

			const ladder = await resolveLadder(spec, { configFile: flags.laddersConfig });
			const controller = new AbortController();
			const onInterrupt = () => controller.abort();
			process.once("SIGINT", onInterrupt);
			const display = createDownloadProgress(process.stderr);
			let current: string | undefined;
			let total = 0;
			let fetched = 0;
			try {
				await ensureLadderFiles(ladder, {
					signal: controller.signal,
					ladder: spec,
					onProgress: (progress) => {
						current = progress.file;
						display.update(progress);
					},
					onModelDone: (result) => {
						if (current) display.finish(current);
						current = undefined;
						if (result.kind === "server") {
							process.stderr.write(`${result.model.name}: served by a server, nothing to download\n`);
							return;
						}
						const bytes = statSync(result.path).size;
						total += bytes;
						if (result.downloaded) fetched += bytes;
						else process.stderr.write(`${result.model.name}: already on disk (${result.path})\n`);
					},
				});
			} catch (error) {
				if (current) display.finish(current, "failed");
				throw error;
			} finally {
				display.close();
				process.removeListener("SIGINT", onInterrupt);
			}
			process.stdout.write(
				`${ladder.name}: ${ladder.models.length} models ready, ${formatBytes(total)} on disk (${formatBytes(fetched)} downloaded now)\n`,
			);
		});
}
