/** @module The size of a regular file, or undefined when there is none at the path. */
import { statSync } from "node:fs";

/** The size in bytes of the regular file at `path`; undefined when it is missing or not a file. */
export function fileSize(path: string): number | undefined {
	try {
		const stat = statSync(path);
		return stat.isFile() ? stat.size : undefined;
	} catch {
		return undefined;
	}
}
