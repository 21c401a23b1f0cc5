/** @module Temporary store files for tests, removed after each test file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const folders: string[] = [];

/** A fresh path (file not yet created) inside a new temporary folder. */
export function tempStorePath(name = "store.sqlite"): string {
	const folder = mkdtempSync(join(tmpdir(), "invscale-"));
	folders.push(folder);
	return join(folder, name);
}

export function removeTempStores(): void {
	for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}
