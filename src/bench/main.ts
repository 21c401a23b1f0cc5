/**
 * @module `npm run bench`: runs every benchmark section, prints its figures and writes them all to
 * `bench/results.json`. Sections are chosen with `npm run bench -- NAME…` (default: all).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { BenchSection } from "./section.js";

const sections: Array<() => Promise<{ section: BenchSection }>> = [
	// sections:begin
	() => import("./task-memory.js"),
	() => import("./bootstrap.js"),
	() => import("./scoring.js"),
	() => import("./few-shot.js"),
	() => import("./remote-scale.js"),
	() => import("./generation.js"),
	() => import("./verdicts/section.js"),
	// sections:end
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "bench", "results.json");
const wanted = process.argv.slice(2);
// Sections not run this time keep their last figures: running one section never erases the others.
const previous: Record<string, unknown> = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : {};
const results: Record<string, unknown> = {
	...previous,
	machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version },
	date: new Date().toISOString(),
};
console.log(
	`invscale bench on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}\n`,
);
for (const load of sections) {
	const { section } = await load();
	if (wanted.length > 0 && !wanted.includes(section.name)) continue;
	console.log(`== ${section.name}: ${section.description}`);
	results[section.name] = { ...(await section.run()), date: new Date().toISOString() };
	console.log("");
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`figures written to ${out}`);
