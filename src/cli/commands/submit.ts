/**
 * @module `invscale submit FILE --contest URL`: sends a task and its card to a hosted contest and
 * prints the receipt, or every problem the contest found (the same diagnostics as `invscale validate`).
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import { CliError, exitCodes } from "../errors.js";

interface SubmitFlags {
	contest: string;
	token?: string;
	revise?: string;
	type?: string;
	card?: string;
}

interface Placed {
	file: string;
	line: number;
	column: number;
	row?: number;
	message: string;
	fix: string;
	severity: string;
}

export function register(program: Command): void {
	program
		.command("submit")
		.description("submit a task (with its card) to a contest hosted with `invscale contest`")
		.argument("<file>", "the task file (.csv or .jsonl); its card is found beside it")
		.requiredOption("--contest <url>", "the contest's address, e.g. https://bounty.example.org")
		.option("--token <token>", "your contest token (default: $INVSCALE_CONTEST_TOKEN)")
		.option("--revise <id>", "send a new version of this submission instead of a new submission")
		.option("--card <file>", "the task card, when it is not beside the task")
		.option("-t, --type <type>", "task type, when the columns cannot tell")
		.action(async (file: string, flags: SubmitFlags) => {
			const token = flags.token ?? process.env.INVSCALE_CONTEST_TOKEN;
			if (!token)
				throw new CliError(
					"a contest token is needed",
					exitCodes.usage,
					"pass --token or set INVSCALE_CONTEST_TOKEN",
				);
			let base: URL;
			try {
				base = new URL(flags.contest);
			} catch {
				throw new CliError(
					`--contest must be an address like https://bounty.example.org, not ${flags.contest}`,
					exitCodes.usage,
				);
			}
			const { findCard } = await import("../../tasks/card.js");
			let task: Buffer;
			try {
				task = await readFile(file);
			} catch (error) {
				throw new CliError(`cannot read ${file}: ${(error as Error).message}`, exitCodes.usage);
			}
			const card = flags.card
				? { file: flags.card, content: await readFile(flags.card, "utf8") }
				: await findCard(file);
			const body = {
				task: { name: basename(file), content: task.toString("base64") },
				...(card
					? { card: { name: basename(card.file), content: Buffer.from(card.content).toString("base64") } }
					: {}),
				...(flags.type ? { type: flags.type } : {}),
			};
			const path = flags.revise
				? `api/contest/submissions/${encodeURIComponent(flags.revise)}/versions`
				: "api/contest/submissions";
			let response: Response;
			try {
				response = await fetch(new URL(path, base.href.endsWith("/") ? base : `${base.href}/`), {
					method: "POST",
					headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
					body: JSON.stringify(body),
				});
			} catch (error) {
				throw new CliError(`cannot reach ${base.origin}: ${(error as Error).message}`, exitCodes.failed);
			}
			const answer = (await response.json().catch(() => ({}))) as {
				error?: string;
				hint?: string;
				receipt?: {
					submission: string | null;
					version: number | null;
					sha256: string;
					accepted: boolean;
					receivedAt: string;
				};
				validation?: {
					errors: Placed[];
					warnings: Placed[];
					summary: { errorCount: number; warningCount: number };
				};
			};
			if (!response.ok) {
				const retry = response.headers.get("retry-after");
				throw new CliError(
					`the contest refused the submission (${response.status}): ${answer.error ?? response.statusText}`,
					exitCodes.failed,
					[answer.hint, retry ? `retry after ${retry} s` : undefined].filter(Boolean).join("; ") || undefined,
				);
			}
			const r = answer.receipt!;
			const v = answer.validation!;
			const line = (d: Placed) =>
				`  ${d.file}:${d.line}:${d.column}${d.row !== undefined ? ` (row ${d.row})` : ""}: ${d.severity}: ${d.message}\n    fix: ${d.fix}\n`;
			for (const d of v.errors) process.stdout.write(line(d));
			for (const d of v.warnings) process.stdout.write(line(d));
			if (r.accepted)
				process.stdout.write(
					`accepted: submission ${r.submission} version ${r.version}, sha256 ${r.sha256}, received ${r.receivedAt}\n`,
				);
			else
				process.stdout.write(
					`not accepted: nothing was kept (sha256 ${r.sha256}, received ${r.receivedAt}); ${v.summary.errorCount} error(s) to fix, then send the file again${r.submission ? ` with --revise ${r.submission}` : ""}. Refused uploads do not count against the hourly limit.\n`,
				);
			process.exitCode = r.accepted ? exitCodes.ok : exitCodes.failed;
		});
}
