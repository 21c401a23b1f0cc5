/**
 * @module `hf:owner/repo/file.gguf` URIs, optionally at a revision (`hf:owner/repo/file.gguf#step64000`
 * or `hf:owner/repo@step64000/file.gguf`): parsing, the download URL and the local cache path.
 */
import { join } from "node:path";

export interface HfFileRef {
	owner: string;
	repo: string;
	/** Git revision (branch, tag or commit); `main` unless the URI says `owner/repo@rev/…` or `…#rev`. */
	revision: string;
	/** Path of the file inside the repository, `/`-separated. */
	file: string;
}

const segment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses `hf:owner/repo[@revision]/path/file.gguf[#revision]`; returns a reason when it is not one. */
export function parseHfUri(uri: string): { ok: true; ref: HfFileRef } | { ok: false; reason: string } {
	if (!uri.startsWith("hf:")) return { ok: false, reason: `"${uri}" does not start with "hf:"` };
	const [path, fragment, ...more] = uri.slice(3).replace(/^\/+/, "").split("#");
	if (more.length > 0 || fragment === "")
		return {
			ok: false,
			reason: `"${uri}" has an invalid revision after "#" (write e.g. …/file.gguf#step64000)`,
		};
	const parts = path.split("/");
	if (parts.length < 3)
		return { ok: false, reason: `"${uri}" needs owner, repository and file: hf:owner/repo/file.gguf` };
	const [owner, repoAndRevision, ...fileParts] = parts;
	const [repo, atRevision, ...extra] = repoAndRevision.split("@");
	if (atRevision !== undefined && fragment !== undefined && atRevision !== fragment)
		return {
			ok: false,
			reason: `"${uri}" names two revisions, "${atRevision}" and "${fragment}"; give one (…/file.gguf#${fragment})`,
		};
	const revision = fragment ?? atRevision ?? "main";
	const bad = [owner, repo, revision, ...fileParts].find((part) => !segment.test(part) || part === "..");
	if (extra.length > 0 || bad !== undefined)
		return { ok: false, reason: `"${uri}" has an invalid part${bad ? ` "${bad}"` : ""}` };
	return { ok: true, ref: { owner, repo, revision, file: fileParts.join("/") } };
}

/** The same file at `revision`, written `hf:owner/repo/file.gguf#revision` (`main` has no suffix). */
export function hfUriAt(ref: HfFileRef, revision: string = ref.revision): string {
	const base = `hf:${ref.owner}/${ref.repo}/${ref.file}`;
	return revision === "main" ? base : `${base}#${revision}`;
}

/** `${endpoint}/${owner}/${repo}/resolve/${revision}/${file}`, the hub's download address. */
export function hfFileUrl(ref: HfFileRef, endpoint: string): string {
	const base = endpoint.replace(/\/+$/, "");
	const file = ref.file.split("/").map(encodeURIComponent).join("/");
	return `${base}/${ref.owner}/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/${file}`;
}

/** Where a hub file lives under the models folder: `<models>/<owner>/<repo>/<file>`. */
export function hfCachePath(ref: HfFileRef, modelsFolder: string): string {
	const repoFolder = ref.revision === "main" ? ref.repo : `${ref.repo}@${ref.revision}`;
	return join(modelsFolder, ref.owner, repoFolder, ...ref.file.split("/"));
}

/**
 * The file's base name (`pythia-160m.Q8_0.gguf`), also accepted directly under the models folder
 * for the default revision (every revision of a file has the same name, so only the cache path,
 * which holds the revision, tells them apart).
 */
export function hfFileName(ref: HfFileRef): string {
	return ref.file.split("/").at(-1) ?? ref.file;
}

/** `${endpoint}/datasets/${owner}/${repo}/resolve/${revision}/${file}`, a hub dataset file's download address. */
export function hfDatasetFileUrl(dataset: string, file: string, endpoint: string, revision = "main"): string {
	const base = endpoint.replace(/\/+$/, "");
	const path = file.split("/").map(encodeURIComponent).join("/");
	return `${base}/datasets/${dataset}/resolve/${encodeURIComponent(revision)}/${path}`;
}
