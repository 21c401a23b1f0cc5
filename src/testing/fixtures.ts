/**
 * @module The committed test fixtures (test/fixtures/): the one way tests and benchmarks reach
 * them, each file's sha256 checked once per process. Never imported by the product.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The fixtures that are data from elsewhere, with the sha256 and size in test/fixtures/README.md. */
export const FIXTURES = {
	/** The one real pretrained model: 260K parameters, TinyStories (karpathy/tinyllamas, MIT). */
	stories260K: {
		path: "test/fixtures/models/stories260K.gguf",
		sha256: "3c4a7c3a8313e00ae6a6b64df717828f4ba18391ea31ffb01abe9a2c4f7bb9a9",
	},
	/** Michaelov & Bergen (2023)'s all_results.tsv (jmichaelov/emergent-inabilities, MIT). */
	michaelovBergen: {
		path: "test/fixtures/data/pythia-isp-all_results.tsv",
		sha256: "0fe72671e1959fb002ffcc8bb9fd11b71183919126bdf1d09b64c19ebbed538d",
	},
} as const;

export type FixtureName = keyof typeof FIXTURES;

/** A fixture that is missing or not the committed bytes: one line, no stack to scroll past. */
export class FixtureError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "FixtureError";
		this.stack = `${this.name}: ${message}`;
	}
}

// src/testing and dist/testing both sit two folders below the repository root.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

// Keyed on globalThis so that test files sharing a worker process hash each file once.
const checkedKey = Symbol.for("invscale.fixtures.checked");
const store = globalThis as Record<symbol, Map<string, string> | undefined>;
const checked = store[checkedKey] ?? new Map<string, string>();
store[checkedKey] = checked;

/**
 * Absolute path of a fixture after checking its sha256 (once per process). Throws a FixtureError
 * naming the file and the expected sha256 when it is missing or differs. `root` is for tests of
 * this check.
 */
export function fixturePath(name: FixtureName, root = repoRoot): string {
	const { path, sha256 } = FIXTURES[name];
	const file = resolve(root, path);
	const known = checked.get(file);
	if (known === sha256) return file;
	const shown = relative(process.cwd(), file) || file;
	const restore =
		"restore it with `git checkout -- test/fixtures` (origin and licence in test/fixtures/README.md)";
	if (!existsSync(file)) {
		throw new FixtureError(`test fixture ${shown} is missing (expected sha256 ${sha256}); ${restore}`);
	}
	const actual = createHash("sha256").update(readFileSync(file)).digest("hex");
	if (actual !== sha256) {
		throw new FixtureError(`test fixture ${shown} has sha256 ${actual}, expected ${sha256}; ${restore}`);
	}
	checked.set(file, actual);
	return file;
}
