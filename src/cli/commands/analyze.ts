/** @module `invscale analyze TABLE.csv|FOLDER`: trend and verdict from a summary table or a prize output folder. */
import { statSync } from "node:fs";
import type { Command } from "commander";
import { metricByName } from "../../analysis/metric.js";
import { CliError, exitCodes } from "../errors.js";
import { type StatsFlags, statsOptions } from "./report.js";

export function register(program: Command): void {
	program
		.command("analyze")
		.description(
			"trend and verdict from a summary table (model,family,parameters,mean,se) or a folder of the prize's <model>.csv files",
		)
		.argument("<INPUT>", "a CSV summary table, or a folder written by the prize's pipeline")
		.option(
			"--metric <name>",
			"what the table's mean is: loss, accuracy (correct) or logodds_difference (folders: default the prize's plotted metric)",
		)
		.option("--x <axis>", "x axis: params, nonembedding or flops (6·N·D)", "params")
		.option("--invert", "the prize's invert option (folders only)")
		.option(
			"--sizes <file>",
			"folders only: CSV of model,family,parameters[,training_tokens] for <model>.csv names the prize's table does not know",
		)
		.option("--seed <n>", "bootstrap seed", "20221007")
		.option("--replicates <n>", "bootstrap replicates", "10000")
		.option("--json", "print the full analysis as JSON (non-finite numbers as null)")
		.action(
			async (input: string, flags: StatsFlags & { metric?: string; sizes?: string; json?: boolean }) => {
				const options = statsOptions(flags);
				const metric = flags.metric === undefined ? undefined : metricByName(flags.metric);
				if (flags.metric !== undefined && !metric) {
					throw new CliError(
						`--metric ${flags.metric}: unknown metric`,
						exitCodes.usage,
						"Use --metric loss, --metric accuracy (also: correct, classification_acc) or --metric logodds_difference.",
					);
				}
				let isDir: boolean;
				try {
					isDir = statSync(input).isDirectory();
				} catch {
					throw new CliError(
						`${input}: no such file or folder`,
						exitCodes.usage,
						"Give a CSV table or a folder of <model>.csv files.",
					);
				}
				if (flags.sizes && !isDir)
					throw new CliError(
						"--sizes is for folders of <model>.csv files",
						exitCodes.usage,
						"A summary table carries its sizes in its own parameters column.",
					);
				const { readPrizeFolder, readSizesTable, readSummaryTable } = await import(
					"../../report/read-table.js"
				);
				const { RunDirError, toJson } = await import("../../report/index.js");
				const { analyzeRun, analyzeSummaryTable } = await import("../../analysis/index.js");
				const { metricText } = await import("../../report/text.js");
				try {
					if (isDir) {
						const sizes = flags.sizes ? readSizesTable(flags.sizes) : undefined;
						const run = readPrizeFolder(input, undefined, sizes);
						if (metric) run.plotted = metric;
						const analysis = analyzeRun(run, options);
						process.stdout.write(
							flags.json
								? toJson(analysis)
								: `${metricText(analysis.metrics[0], `${run.task.name}: ${run.models.length} models, ${run.task.examples} examples (per-example paired bootstrap)`)}\n`,
						);
					} else {
						if (options.invert)
							throw new CliError(
								"--invert needs per-example rows",
								exitCodes.usage,
								"Invert the means yourself, or pass the prize's output folder.",
							);
						const rows = readSummaryTable(input);
						const analysis = analyzeSummaryTable(rows, metric ?? "loss", options);
						process.stdout.write(
							flags.json
								? toJson(analysis)
								: `${metricText(analysis, `${input}: ${rows.length} models, ${metric ?? "loss"} (parametric bootstrap from the standard errors)`)}\n`,
						);
					}
				} catch (error) {
					if (error instanceof RunDirError) throw new CliError(error.message, exitCodes.failed, error.fix);
					throw error;
				}
			},
		);
}
