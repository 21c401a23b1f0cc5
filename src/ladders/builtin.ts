/**
 * @module The built-in ladders that ship inside invscale: the organisms ladder (small models
 * trained by invscale itself, see docs/organisms.md) and its checkpoint grid. They need no
 * download, so they work offline on a fresh install.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadLadderFile } from "./ladder-file.js";
import type { Ladder } from "./types.js";

/** The folder of the shipped organisms (`organisms/` at the package root, from src/ or dist/). */
export const ORGANISMS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "organisms");

/** The built-in ladder used when `eval` is given no --ladder or --models. */
export const DEFAULT_LADDER = "organisms";

const builtinFiles: Record<string, string> = {
	organisms: join(ORGANISMS_DIR, "ladder.yaml"),
	"organisms-checkpoints": join(ORGANISMS_DIR, "checkpoints.yaml"),
};

export const builtinLadderNames = (): string[] =>
	Object.keys(builtinFiles).filter((name) => existsSync(builtinFiles[name]));

/** A built-in ladder by name, or undefined. */
export function builtinLadder(name: string): Ladder | undefined {
	const file = builtinFiles[name];
	return file !== undefined && existsSync(file) ? loadLadderFile(file) : undefined;
}
