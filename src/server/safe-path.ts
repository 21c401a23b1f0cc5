/** @module Confining paths from the client to a folder: no absolute paths, no `..`, no escape through links. */
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

export type SafePath = { ok: true; path: string } | { ok: false; reason: string };

/** True when `child` is `root` or lies under it (both already resolved). */
export function isInside(root: string, child: string): boolean {
	const rel = relative(root, child);
	return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function realOrSelf(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}

/**
 * Resolves a client-given relative path (already URL-decoded) inside `root`. Refuses absolute paths,
 * drive letters, backslashes, NUL bytes and any `..` segment, then checks containment again after
 * resolving symbolic links, so neither the text nor the file system can lead outside `root`.
 */
export function resolveInside(root: string, given: string): SafePath {
	if (given.length === 0) return { ok: false, reason: "the path is empty" };
	if (given.includes("\0")) return { ok: false, reason: "the path contains a NUL byte" };
	if (given.includes("\\")) return { ok: false, reason: "the path contains a backslash" };
	if (isAbsolute(given) || /^[A-Za-z]:/.test(given))
		return { ok: false, reason: "absolute paths are not allowed" };
	const segments = given.split("/");
	if (segments.some((s) => s === "..")) return { ok: false, reason: "the path may not contain .." };
	const base = resolve(root);
	const path = resolve(base, ...segments.filter((s) => s !== "" && s !== "."));
	if (!isInside(base, path)) return { ok: false, reason: "the path leads outside its folder" };
	if (!isInside(realOrSelf(base), realOrSelf(path).split(sep).join(sep))) {
		return { ok: false, reason: "the path leads outside its folder through a link" };
	}
	return { ok: true, path };
}

/** Decodes a URL path segment; undefined when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}
