/**
 * @module A run folder made fit to publish: every local path the server wrote into its text files
 * (model files, the uploaded task) is replaced by what identifies the thing anywhere: a model
 * file by its name and sha256, the task by its file name. `hf:` URIs are identities already.
 */
import { readFileSync } from "node:fs";
import { basename, isAbsolute, join } from "node:path";
import { runFiles } from "../run/manifest.js";

interface ManifestPaths {
	task?: { file?: string };
	models?: { name?: string; source?: string; info?: { identity?: string } }[];
}

/** Local path → public identity, for the paths in a task run folder's run.json (longest first). */
export function publicIdentities(dir: string): [string, string][] {
	const manifest = JSON.parse(readFileSync(join(dir, runFiles.manifest), "utf8")) as ManifestPaths;
	const pairs = new Map<string, string>();
	for (const m of manifest.models ?? []) {
		if (!m.source || !isAbsolute(m.source)) continue;
		const sha = m.info?.identity?.startsWith("sha256:") ? m.info.identity : undefined;
		pairs.set(m.source, sha ? `${m.name ?? basename(m.source)} (${sha})` : (m.name ?? basename(m.source)));
	}
	const task = manifest.task?.file;
	if (task && isAbsolute(task)) pairs.set(task, basename(task));
	return [...pairs].sort((a, b) => b[0].length - a[0].length);
}

/** `text` with each local path replaced, as written raw, in JSON and in HTML. */
export function withoutPaths(text: string, pairs: readonly [string, string][]): string {
	let out = text;
	for (const [path, identity] of pairs) {
		for (const [from, to] of [
			[path, identity],
			[JSON.stringify(path).slice(1, -1), JSON.stringify(identity).slice(1, -1)],
			[escapeHtml(path), escapeHtml(identity)],
		] as const)
			out = out.split(from).join(to);
	}
	return out;
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Files whose text may hold paths (the data files hold the examples only). */
export function mayHoldPaths(file: string): boolean {
	return /\.(json|html|md|txt|ya?ml)$/i.test(file);
}
