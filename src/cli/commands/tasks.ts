/** @module `invscale tasks`: the prize's 11 winning tasks (type, metric, cause, round, size) and what is on disk. */
import type { Command } from "commander";
import type { ListedPrizeTask } from "../../tasks/prize-listing.js";
import { formatBytes } from "../download-progress.js";

export function register(program: Command): void {
	program
		.command("tasks")
		.description("list the prize task catalog (use as prize:NAME) and what is already downloaded")
		.option("--json", "print the list as JSON")
		.action(async (flags: { json?: boolean }) => {
			const { listPrizeTasks } = await import("../../tasks/prize-listing.js");
			const { tasksDir } = await import("../../util/home.js");
			const { prizeDataset } = await import("../../tasks/prize-catalog.js");
			const tasks = listPrizeTasks();
			if (flags.json) {
				process.stdout.write(
					`${JSON.stringify({ tasksDir: tasksDir(), dataset: prizeDataset, tasks }, null, 2)}\n`,
				);
				return;
			}
			process.stdout.write(renderTaskList(tasks, tasksDir()));
		});
}

function stateText(task: ListedPrizeTask): string {
	switch (task.state.kind) {
		case "present":
			return task.matchesCatalog ? "on disk" : "on disk, differs from catalog";
		case "partial":
			return `partial (${Math.floor((100 * task.state.bytes) / task.bytes)}%)`;
		case "missing":
			return "-";
	}
}

export function renderTaskList(tasks: ListedPrizeTask[], folder: string): string {
	const rows = [["name", "type", "metric", "cause", "round", "size", "on disk"]];
	for (const task of tasks)
		rows.push([
			task.name,
			task.type,
			task.metric,
			task.cause,
			String(task.round),
			formatBytes(task.bytes),
			stateText(task),
		]);
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const lines = rows.map((row) =>
		`  ${row.map((cell, column) => cell.padEnd(widths[column])).join("  ")}`.trimEnd(),
	);
	const missing = tasks.filter((task) => task.state.kind !== "present");
	return `Inverse Scaling Prize, the 11 winning tasks (McKenzie et al. 2023; CC BY 4.0):
${lines.join("\n")}
  ${missing.length === 0 ? "all files on disk" : `to download: ${missing.length} of ${tasks.length} files, ${formatBytes(missing.reduce((sum, task) => sum + task.bytes, 0))}`}

Run one with \`invscale eval prize:memo-trap --ladder pythia-small\`; several with prize:memo-trap,neqa; all with prize:all.
Files live in ${folder}; fetch ahead with \`invscale pull prize:all\`. \`--json\` adds authors, descriptions and hashes.
`;
}
