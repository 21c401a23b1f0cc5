/**
 * @module `invscale organisms train|report`: trains the organisms ladder (small models with causes
 * of inverse scaling built into their training text) and reports its own scaling law.
 */
import type { Command } from "commander";
import { CliError, exitCodes } from "../errors.js";

interface TrainFlags {
	config: string;
	out?: string;
	tasksOut?: string;
	only?: string;
}

const clock = (seconds: number) => {
	const s = Math.max(0, Math.round(seconds));
	return s >= 3600
		? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
		: `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
};

export function register(program: Command): void {
	const organisms = program
		.command("organisms")
		.description("the organisms: a ladder invscale trains itself, with known causes of inverse scaling");
	organisms
		.command("train")
		.description("train the organisms ladder from a config (builds llama.cpp's trainer once if needed)")
		.option("--config <file>", "the organisms config", "organisms/config.yaml")
		.option("--out <dir>", "where the ladder goes (default: the config's folder)")
		.option("--tasks-out <dir>", "where the task files go (default: <out>/tasks)")
		.option("--only <sizes>", "train only these sizes (comma-separated names)")
		.action(async (flags: TrainFlags) => {
			const { dirname, resolve } = await import("node:path");
			const { loadOrganismsConfig, OrganismsConfigError } = await import("../../organisms/load-config.js");
			const { ensureLlamaTool, LlamaToolError } = await import("../../native/llama-cpp-tools.js");
			const { trainOrganisms } = await import("../../organisms/train.js");
			let loaded: ReturnType<typeof loadOrganismsConfig>;
			try {
				loaded = loadOrganismsConfig(resolve(flags.config));
			} catch (error) {
				if (error instanceof OrganismsConfigError) throw new CliError(error.message, exitCodes.usage);
				throw error;
			}
			const only = flags.only
				?.split(",")
				.map((s) => s.trim())
				.filter(Boolean);
			const unknown = only?.filter((name) => !loaded.config.sizes.some((s) => s.name === name)) ?? [];
			if (unknown.length > 0)
				throw new CliError(
					`--only: no size named ${unknown.join(", ")} in ${flags.config}`,
					exitCodes.usage,
					`Sizes: ${loaded.config.sizes.map((s) => s.name).join(", ")}`,
				);
			const say = (line: string) => process.stderr.write(`${line}\n`);
			let finetune: string;
			try {
				finetune = await ensureLlamaTool("llama-finetune", { onLine: (line) => say(`  llama.cpp: ${line}`) });
			} catch (error) {
				if (error instanceof LlamaToolError) throw new CliError(error.message, exitCodes.failed, error.hint);
				throw error;
			}
			const outDir = resolve(flags.out ?? dirname(resolve(flags.config)));
			const tty = process.stderr.isTTY;
			let lastPrinted = 0;
			const started = Date.now();
			await trainOrganisms({
				config: loaded.config,
				configText: loaded.text,
				outDir,
				tasksDir: flags.tasksOut ? resolve(flags.tasksOut) : undefined,
				finetune,
				only,
				onEvent: (event) => {
					switch (event.kind) {
						case "corpus":
							say(
								`organisms: ${loaded.config.sizes.length} sizes × ${event.segments} segments, ${event.tokens.toLocaleString("en-US")} training tokens each → ${outDir}`,
							);
							return;
						case "segment-progress": {
							const now = Date.now();
							if (now - lastPrinted < (tty ? 500 : 30_000)) return;
							lastPrinted = now;
							const pct = Math.floor((100 * event.progress.done) / Math.max(1, event.progress.total));
							const eta = event.etaSeconds === null ? "" : `  ETA ${clock(event.etaSeconds)}`;
							const line = `  ${event.model} segment ${event.segment}: ${pct}%  loss ${event.progress.loss.toFixed(3)}${eta}`;
							if (tty) process.stderr.write(`\r${line.padEnd(70)}`);
							else say(line);
							return;
						}
						case "segment-done":
							if (tty) process.stderr.write(`${"\r".padEnd(72)}\r`);
							say(
								event.resumed
									? `  ${event.model} segment ${event.segment}: already trained (resumed)`
									: `  ${event.model} segment ${event.segment}: done in ${clock(event.seconds)}, training loss ${event.loss?.toFixed(3) ?? "unknown"}`,
							);
							return;
						case "written":
							say(`  wrote ${event.what}: ${event.path}`);
							return;
						default:
							return;
					}
				},
			});
			say(`organisms: trained in ${clock((Date.now() - started) / 1000)}`);
		});

	organisms
		.command("report")
		.description("score the held-out text on the ladder and fit its scaling law (loss against size)")
		.option("--dir <dir>", "the ladder's folder (ladder.yaml, held-out.csv)", "organisms")
		.option("--out <dir>", "where the held-out run is written", "runs")
		.option("--json", "print the points and the fit as JSON")
		.action(async (flags: { dir: string; out: string; json?: boolean }) => {
			const { existsSync } = await import("node:fs");
			const { join, resolve } = await import("node:path");
			const dir = resolve(flags.dir);
			if (!existsSync(join(dir, "ladder.yaml")) || !existsSync(join(dir, "held-out.csv")))
				throw new CliError(
					`${dir} holds no trained organisms ladder (ladder.yaml and held-out.csv)`,
					exitCodes.usage,
					"Give --dir the folder `invscale organisms train` wrote, e.g. --dir organisms.",
				);
			const { heldOutReport } = await import("../../organisms/held-out.js");
			const { formatCount } = await import("../../ladders/numbers.js");
			const report = await heldOutReport(dir, resolve(flags.out));
			if (flags.json) {
				process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
				return;
			}
			const lines = [
				`held-out loss of ${dir} (${report.tokens.toLocaleString("en-US")} tokens the ladder never trained on)`,
				"  model            non-embedding  loss/token",
				...report.points.map(
					(p) =>
						`  ${p.model.padEnd(16)} ${formatCount(p.nonEmbeddingParameters).padStart(13)}  ${p.lossPerToken === null ? "failed".padStart(10) : p.lossPerToken.toFixed(4).padStart(10)}`,
				),
				report.fit
					? `  power law: L(N) = ${report.fit.E.toFixed(3)} + ${report.fit.A.toPrecision(3)} · N^-${report.fit.alpha.toFixed(3)}  (R² ${report.fit.r2.toFixed(3)})`
					: "  power law: not fitted (needs three sizes with a loss)",
			];
			process.stdout.write(`${lines.join("\n")}\n`);
		});
}
