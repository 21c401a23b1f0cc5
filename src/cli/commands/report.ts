/** @module `invscale report RUN_DIR`: writes report.html and report.json for a run (or a folder of runs). */
import type { Command } from "commander";
import { X_AXES, type XAxis } from "../../analysis/axis.js";
import { GROUP_DIMENSIONS, type GroupDimension } from "../../analysis/groups.js";
import { CliError, exitCodes } from "../errors.js";

export interface StatsFlags {
	x?: string;
	groupBy?: string;
	invert?: boolean;
	seed: string;
	replicates: string;
}

/** Validates the statistics flags shared by `report` and `analyze`. */
export function statsOptions(flags: StatsFlags): {
	x: XAxis | undefined;
	groupBy: GroupDimension[] | undefined;
	invert: boolean;
	seed: number;
	replicates: number;
} {
	if (flags.x !== undefined && !X_AXES.includes(flags.x as XAxis)) {
		throw new CliError(`--x ${flags.x}: unknown axis`, exitCodes.usage, `Use --x ${X_AXES.join(", ")}.`);
	}
	const seed = Number(flags.seed);
	if (!Number.isInteger(seed) || seed < 0)
		throw new CliError(
			`--seed ${flags.seed}: not a non-negative integer`,
			exitCodes.usage,
			"Example: --seed 1",
		);
	const replicates = Number(flags.replicates);
	if (!Number.isInteger(replicates) || replicates < 100) {
		throw new CliError(
			`--replicates ${flags.replicates}: need an integer of at least 100`,
			exitCodes.usage,
			"The default, 10000, gives stable 95% intervals.",
		);
	}
	return {
		x: flags.x as XAxis | undefined,
		groupBy: groupByOption(flags.groupBy),
		invert: flags.invert ?? false,
		seed,
		replicates,
	};
}

/** `--group-by size,training` (or `none`): the dimensions that get one trend per value. */
function groupByOption(value: string | undefined): GroupDimension[] | undefined {
	if (value === undefined) return undefined;
	if (value.trim() === "none") return [];
	const dims = value.split(",").map((d) => d.trim());
	for (const d of dims)
		if (!GROUP_DIMENSIONS.includes(d as GroupDimension))
			throw new CliError(
				`--group-by ${value}: unknown dimension "${d}"`,
				exitCodes.usage,
				`Use --group-by with ${GROUP_DIMENSIONS.join(", ")} (comma-separated), or none.`,
			);
	return dims as GroupDimension[];
}

/** The help text of `--group-by`, shared by `report` and `analyze`. */
export const GROUP_BY_HELP =
	"one trend per value of: size, training, shots, budget (comma-separated) or none (default: the dimensions crossed with the axis)";

/** The help text of `--x`, shared by `report` and `analyze`. */
export const X_HELP =
	"x axis: params, nonembedding, tokens, step, flops (6·N·D), shots or budget (default: the coordinate the conditions vary in, size first)";

export function register(program: Command): void {
	program
		.command("report")
		.description("analyse a run and write report.html (self-contained) and report.json into RUN_DIR")
		.argument("<RUN_DIR>", "a task's run directory (with run.json), or a folder holding several")
		.option("--x <axis>", X_HELP)
		.option("--group-by <dims>", GROUP_BY_HELP)
		.option("--invert", "the prize's invert option: loss → −ln(1 − e^(−loss)), accuracy → 1 − correct")
		.option("--seed <n>", "bootstrap seed", "20221007")
		.option("--replicates <n>", "bootstrap replicates", "10000")
		.option("--no-png", "do not write PNG charts beside the SVGs")
		.option(
			"--reference <table>",
			"published results to draw and compare with: a table file, a URL, or michaelov-bergen-2023 (repeatable)",
			(value: string, previous: string[]) => [...previous, value],
			[] as string[],
		)
		.option(
			"--json",
			"print each task's comparison with the published results (and the files written) as JSON",
		)
		.action(
			async (runDir: string, flags: StatsFlags & { png: boolean; reference: string[]; json?: boolean }) => {
				const options = statsOptions(flags);
				const { writeReport, RunDirError } = await import("../../report/index.js");
				const { metricText } = await import("../../report/text.js");
				try {
					const { loadReferences } = await import("../../report/reference-sources.js");
					const references = await loadReferences(flags.reference);
					for (const r of references) if (r.note) process.stderr.write(`note: ${r.note}\n`);
					const result = await writeReport(runDir, { ...options, png: flags.png, references });
					const tasks = result.kind === "task" ? [result] : result.tasks;
					if (flags.json) {
						const { toJson } = await import("../../report/json.js");
						process.stdout.write(
							`${toJson({
								html: result.htmlPath,
								json: result.jsonPath,
								references: references.map((r) => ({
									spec: r.spec,
									origin: r.origin,
									points: r.points.length,
								})),
								tasks: tasks.map((t) => ({ task: t.analysis.task.name, dir: t.dir, reference: t.reference })),
							})}\n`,
						);
						return;
					}
					for (const t of tasks) {
						process.stdout.write(
							`${metricText(t.analysis.metrics[0], `${t.analysis.task.name} (${t.analysis.task.examples} examples)`)}\n\n`,
						);
					}
					if (result.kind === "tasks") {
						for (const r of result.analysis.rows) {
							process.stdout.write(
								`  ${r.task}: ${r.verdict}, q (BH) = ${r.q === null ? "—" : r.q.toFixed(3)}${r.discovery ? " *" : ""}${r.interaction ? `; size × training interaction ${r.interaction.estimate.toPrecision(3)}, q = ${r.interaction.q === null ? "—" : r.interaction.q.toFixed(3)}` : ""}\n`,
							);
						}
					}
					const { referenceText } = await import("../../report/reference-text.js");
					for (const t of tasks)
						if (t.reference) process.stdout.write(referenceText(t.analysis.task.name, t.reference));
					process.stdout.write(`wrote ${result.htmlPath}\nwrote ${result.jsonPath}\n`);
				} catch (error) {
					if (error instanceof RunDirError) throw new CliError(error.message, exitCodes.failed, error.fix);
					throw error;
				}
			},
		);
}
