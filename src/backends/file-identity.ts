/**
 * @module Identity of a model file: `sha256:<hex>` of its bytes. Hashing gigabytes takes seconds,
 * so the digest is remembered per (path, size, mtime) for the life of the process.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { sha256File } from "../util/hash.js";

const known = new Map<string, Promise<string>>();

export async function fileIdentity(path: string): Promise<string> {
	const stats = await stat(path);
	const key = `${resolve(path)}|${stats.size}|${stats.mtimeMs}`;
	let digest = known.get(key);
	if (!digest) {
		digest = sha256File(path).then((hex) => `sha256:${hex}`);
		known.set(key, digest);
	}
	return digest;
}
