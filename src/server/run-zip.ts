/**
 * @module The download of a run: a zip of the task's run directory in the prize layout
 * (`<task>/<model>.csv`, labelled_data.jsonl, the data copy, run.json, the plots, report.html),
 * streamed file by file. Files go in byte for byte as the engine wrote them.
 */
import { createReadStream, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Writable } from "node:stream";
import { Zip, ZipDeflate } from "fflate";

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export function filesUnder(dir: string): string[] {
	const out: string[] = [];
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const full = join(folder, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile()) out.push(relative(dir, full).split(sep).join("/"));
		}
	};
	walk(dir);
	return out.sort();
}

/** Writes a zip of `dir` to `out`, each file under `<folder>/`; resolves when the zip is complete. */
export async function writeRunZip(dir: string, folder: string, out: Writable): Promise<void> {
	const done = new Promise<void>((resolve, reject) => {
		const zip = new Zip((error, chunk, final) => {
			if (error) {
				reject(error);
				return;
			}
			out.write(chunk);
			if (final) resolve();
		});
		(async () => {
			for (const file of filesUnder(dir)) {
				const entry = new ZipDeflate(`${folder}/${file}`, { level: 6 });
				zip.add(entry);
				for await (const chunk of createReadStream(join(dir, file))) entry.push(chunk as Buffer);
				entry.push(new Uint8Array(0), true);
			}
			zip.end();
		})().catch(reject);
	});
	await done;
}
