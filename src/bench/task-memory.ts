/**
 * @module Bench: validating a generated 1,000,000-row CSV task in a child process, reporting its peak
 * resident memory (VmHWM) and the time. Validation streams, so memory must stay far below 300 MB.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { BenchSection } from "./section.js";

const rows = 1_000_000;

/** Writes a classification task of `count` distinct rows; one row in 20 has a quoted newline. */
async function writeTask(file: string, count: number): Promise<void> {
	const out = createWriteStream(file);
	const write = async (text: string) => {
		if (!out.write(text)) await once(out, "drain");
	};
	await write(",prompt,classes,answer_index,source\n");
	const batch: string[] = [];
	for (let i = 0; i < count; i++) {
		const prompt = i % 20 === 0 ? `"Q: Is ${i} not ""even""?\nA:"` : `Q: Is ${i} not even? A:`;
		batch.push(`${i},${prompt},"[' Yes', ' No', ' Maybe']",${i % 3},gen-${i % 7}\n`);
		if (batch.length === 10_000) {
			await write(batch.join(""));
			batch.length = 0;
		}
	}
	await write(batch.join(""));
	await new Promise<void>((resolve, reject) =>
		out.end((error?: Error | null) => (error ? reject(error) : resolve())),
	);
}

/** Runs in the child: validates the file, then reports its own peak memory. */
const childScript = (moduleUrl: string, file: string) => `
import { readFileSync } from "node:fs";
const { validateTask } = await import(${JSON.stringify(moduleUrl)});
const start = performance.now();
const result = await validateTask(${JSON.stringify(file)});
const ms = performance.now() - start;
const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
const peakKb = hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS;
console.log(JSON.stringify({ ms, peakKb, examples: result.summary.examples, errors: result.summary.errorCount, warnings: result.summary.warningCount }));
`;

export const section: BenchSection = {
	name: "task-memory",
	description: `peak memory and time to validate a ${rows.toLocaleString("en")}-row CSV task (streaming)`,
	async run() {
		const dir = mkdtempSync(join(tmpdir(), "invscale-"));
		try {
			const file = join(dir, "big.csv");
			await writeTask(file, rows);
			const bytes = statSync(file).size;
			const moduleUrl = new URL("../tasks/index.js", import.meta.url).href;
			const { stdout } = await promisify(execFile)(
				process.execPath,
				["--input-type=module", "-e", childScript(moduleUrl, pathToFileURL(file).pathname)],
				{ maxBuffer: 1 << 20 },
			);
			const figures = JSON.parse(stdout.trim()) as {
				ms: number;
				peakKb: number;
				examples: number;
				errors: number;
				warnings: number;
			};
			const peakMb = figures.peakKb / 1024;
			console.log(`  file          ${(bytes / 1e6).toFixed(1)} MB, ${rows.toLocaleString("en")} rows`);
			console.log(
				`  examples      ${figures.examples.toLocaleString("en")} valid, ${figures.errors} errors, ${figures.warnings} warnings`,
			);
			console.log(
				`  time          ${(figures.ms / 1000).toFixed(2)} s (${Math.round(rows / (figures.ms / 1000)).toLocaleString("en")} rows/s)`,
			);
			console.log(
				`  peak memory   ${peakMb.toFixed(0)} MB resident (VmHWM of the validating process; limit 300 MB)`,
			);
			return {
				rows,
				fileBytes: bytes,
				seconds: figures.ms / 1000,
				peakRssMb: Math.round(peakMb),
				examples: figures.examples,
				warnings: figures.warnings,
			};
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	},
};
