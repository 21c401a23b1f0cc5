/**
 * @module llama.cpp's own tools for tests (`llama-finetune`, `llama-server`): found as the product
 * finds them (environment variable, an earlier build, PATH), or a one-line skip. CI does not build
 * them (a native build of about 10 minutes), so there these tests skip and say so.
 */
import { findLlamaTool, type LlamaTool, toolEnvVar } from "../../src/native/llama-cpp-tools.js";

export type ToolLookup = { found: true; path: string } | { found: false; reason: string };

export function lookupLlamaTool(tool: LlamaTool): ToolLookup {
	const path = findLlamaTool(tool);
	if (path) return { found: true, path };
	const reason = `${tool} not found (set ${toolEnvVar[tool]}, put it on PATH, or build it with \`npx tsx scripts/build-llama-tools.ts\`)`;
	process.stderr.write(`\n${tool} tests skipped: ${reason}\n`);
	return { found: false, reason };
}
