/**
 * @module llama.cpp's own tools for tests (`llama-finetune`, `llama-server`): found as the product
 * finds them (environment variable, an earlier build, PATH), or a one-line skip; under CI a
 * missing tool is a failure, since `.ci/run` builds them first.
 */
import { findLlamaTool, type LlamaTool, toolEnvVar } from "../../src/native/llama-cpp-tools.js";
import { isCi } from "./browser.js";

export type ToolLookup = { found: true; path: string } | { found: false; reason: string };

export function lookupLlamaTool(tool: LlamaTool): ToolLookup {
	const path = findLlamaTool(tool);
	if (path) return { found: true, path };
	const reason = `${tool} not found (set ${toolEnvVar[tool]}, put it on PATH, or build it with \`npx tsx scripts/build-llama-tools.ts\`)`;
	if (isCi()) throw new Error(`CI=true and ${reason}`);
	process.stderr.write(`\n${tool} tests skipped: ${reason}\n`);
	return { found: false, reason };
}
