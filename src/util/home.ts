/** @module INVSCALE_HOME: where invscale keeps downloaded models and its SQLite store. */
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The invscale home folder: `$INVSCALE_HOME`, else `$XDG_CACHE_HOME/invscale`, else
 * `~/.cache/invscale`. Read at call time so tests and the server can point it elsewhere.
 */
export function invscaleHome(env: NodeJS.ProcessEnv = process.env): string {
	if (env.INVSCALE_HOME) return env.INVSCALE_HOME;
	const cache = env.XDG_CACHE_HOME || join(homedir(), ".cache");
	return join(cache, "invscale");
}

/** Folder for downloaded model files. */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(invscaleHome(env), "models");
}

/** Default path of the SQLite store (score cache and run registry). */
export function storePath(env: NodeJS.ProcessEnv = process.env): string {
	return join(invscaleHome(env), "store.sqlite");
}

/** Folder for downloaded task files (the prize catalog's, under `<owner>/<dataset>/`). */
export function tasksDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(invscaleHome(env), "tasks");
}

/** Folder for published reference tables fetched by URL. */
export function referencesDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(invscaleHome(env), "references");
}
