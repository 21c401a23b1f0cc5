/**
 * @module Keeping a folder private to the user who runs the server: the folder 700, the files in
 * it 600, whatever the umask. Files made later are private through the process's umask (077);
 * files and folders already there (from an earlier start) are made private once at start.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Sets the process's umask to 077 where the process may (not in a worker thread); returns whether it did. */
export function privateUmask(): boolean {
	try {
		process.umask(0o077);
		return true;
	} catch {
		return false;
	}
}

/** Makes `path` and everything under it private: folders 700, files 600 (links are left alone). */
export function makePrivate(path: string): void {
	if (!existsSync(path)) return;
	const stat = lstatSync(path);
	if (stat.isSymbolicLink()) return;
	if (stat.isDirectory()) {
		chmodSync(path, 0o700);
		for (const entry of readdirSync(path)) makePrivate(join(path, entry));
	} else chmodSync(path, 0o600);
}

/** Creates `dir` (and its parents) if needed and makes it and its contents private. */
export function privateFolder(dir: string): void {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	makePrivate(dir);
}
