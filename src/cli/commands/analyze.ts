/** @module `invscale analyze TABLE.csv|FOLDER`: trend and verdict from a summary table or a prize output folder. */
import { statSync } from "node:fs";
import type { Command } from "commander";
import { axisSpec } from "../../analysis/axis.js";
import { metricByName, metricInfo } from "../../analysis/metric.js";
import { CliError, exitCodes } from "../errors.js";
import { GROUP_BY_HELP, type StatsFlags, statsOptions, X_HELP } from "./report.js";

export function register(program: Command): void {
	program
		.command("analyze")
		.description(
			"trend and verdict from a summary table (model,family,parameters,training_tokens,step,shots,task,mean,se,n; or Michaelov & Bergen's all_results.tsv) or a folder of the prize's <model>.csv files",
		)
		.argument("<INPUT>", "a CSV or TSV summary table, or a folder written by the prize's pipeline")
		.option(
			"--metric <name>",
			"what the table's mean is: loss, accuracy (correct) or logodds_difference (folders: default the prize's plotted metric)",
		)
		.option("--x <axis>", X_HELP)
		.option("--group-by <dims>", GROUP_BY_HELP)
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
				const { readPrizeFolder, readSizesTable, readTable } = await import("../../report/read-table.js");
				const { RunDirError, toJson } = await import("../../report/index.js");
				const { analyzeRun, analyzeSummaryTable, analyzeTables } = await import("../../analysis/index.js");
				const { metricText, tablesText } = await import("../../report/text.js");
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
						const table = readTable(input);
						const what = metric ?? table.metric ?? "loss";
						if (table.hasTaskColumn || table.tasks.length > 1) {
							const analysis = analyzeTables(table.tasks, what, options);
							const conditions = table.tasks.reduce((n, t) => n + t.rows.length, 0);
							process.stdout.write(
								flags.json
									? toJson({ file: input, format: table.format, ...analysis })
									: `${tablesText(analysis, `${input}: ${table.tasks.length} task${table.tasks.length === 1 ? "" : "s"}, ${conditions} rows, ${metricInfo[what].label.toLowerCase()} along ${axisSpec(analysis.axis).noun} (parametric bootstrap from the standard errors)`)}\n`,
							);
						} else {
							const rows = table.tasks[0].rows;
							const analysis = analyzeSummaryTable(rows, what, options);
							process.stdout.write(
								flags.json
									? toJson(analysis)
									: `${metricText(analysis, `${input}: ${rows.length} models, ${what} (parametric bootstrap from the standard errors)`)}\n`,
							);
						}
					}
				} catch (error) {
					if (error instanceof RunDirError) throw new CliError(error.message, exitCodes.failed, error.fix);
					throw error;
				}
			},
		);
}
