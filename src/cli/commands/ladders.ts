/** @module `invscale ladders`: every ladder (catalog and user), its models, sizes and what is on disk. */
import type { Command } from "commander";
import type { ListedLadder, ListedModel } from "../../ladders/listing.js";
import { formatCount } from "../../ladders/numbers.js";
import { formatBytes } from "../download-progress.js";

interface LaddersFlags {
	json?: boolean;
	laddersConfig?: string;
}

export function register(program: Command): void {
	program
		.command("ladders")
		.description(
			"list the model ladders: the catalog and your own, with sizes and what is already downloaded",
		)
		.option("--json", "print the list as JSON")
		.option(
			"--ladders-config <file>",
			"a YAML file of your own ladders (read after $INVSCALE_HOME/ladders.yaml)",
		)
		.action(async (flags: LaddersFlags) => {
			const { listLadders } = await import("../../ladders/listing.js");
			const { defaultLaddersConfig } = await import("../../ladders/user-ladders.js");
			const { modelsDir } = await import("../../util/home.js");
			const ladders = listLadders({ configFile: flags.laddersConfig });
			if (flags.json) {
				process.stdout.write(`${JSON.stringify({ modelsDir: modelsDir(), ladders }, null, 2)}\n`);
				return;
			}
			process.stdout.write(
				renderLadderList(ladders, { modelsDir: modelsDir(), userConfig: defaultLaddersConfig() }),
			);
		});
}

function stateText(model: ListedModel): string {
	const state = model.state;
	switch (state.kind) {
		case "present":
			return "on disk";
		case "partial":
			return state.total
				? `partial (${Math.floor((100 * state.bytes) / state.total)}%)`
				: `partial (${formatBytes(state.bytes)})`;
		case "missing":
			return "-";
		case "remote":
			return "server";
		case "wrong-size":
			return `wrong size (${formatBytes(state.bytes)})`;
	}
}

const count = (value: number | undefined) => (value === undefined ? "?" : formatCount(value));

function table(rows: string[][]): string[] {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	return rows.map((row) =>
		`  ${row.map((cell, column) => cell.padEnd(widths[column])).join("  ")}`.trimEnd(),
	);
}

export function renderLadderList(
	ladders: ListedLadder[],
	where: { modelsDir: string; userConfig: string },
): string {
	const lines: string[] = [];
	for (const ladder of ladders) {
		const origin =
			ladder.origin === "user"
				? ` (yours, ${ladder.file})`
				: ladder.subsetOf
					? ` (part of ${ladder.subsetOf})`
					: "";
		lines.push(`${ladder.name}${origin}${ladder.description ? `: ${ladder.description}` : ""}`);
		const rows = [["model", "family", "params", "non-emb", "tokens", "file", "on disk"]];
		for (const model of ladder.models)
			rows.push([
				model.name,
				model.family,
				model.parameters === undefined && model.nominalParameters !== undefined
					? `≈${formatCount(model.nominalParameters)}`
					: count(model.parameters),
				count(model.nonEmbeddingParameters),
				count(model.trainingTokens),
				model.bytes === undefined ? "?" : `${model.bytesExact ? "" : "≈"}${formatBytes(model.bytes)}`,
				stateText(model),
			]);
		lines.push(...table(rows));
		const files = ladder.models.filter((model) => model.state.kind !== "remote");
		const missing = files.filter((model) => model.state.kind !== "present");
		const toFetch = missing.reduce((sum, model) => sum + (model.bytes ?? 0), 0);
		const approximate = missing.some((model) => !model.bytesExact);
		if (files.length > 0)
			lines.push(
				missing.length === 0
					? "  all files on disk"
					: `  to download: ${missing.length} of ${files.length} files, ${approximate ? "≈" : ""}${formatBytes(toFetch)}`,
			);
		lines.push("");
	}
	lines.push(
		`Model files live in ${where.modelsDir}. Fetch a ladder ahead with \`invscale pull NAME\`; pick sizes with NAME:SIZE,SIZE (e.g. pythia:160m,410m).`,
		`Add your own ladders in ${where.userConfig} or a file given with --ladders-config.`,
	);
	return `${lines.join("\n")}\n`;
}
