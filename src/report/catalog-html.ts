/** @module The reproducibility lines of a report for a task from the prize catalog: both hashes, said plainly. */
import type { RunManifest } from "../run/manifest.js";
import { escapeHtml as e } from "./format.js";

/** HTML for the rubric's reproducibility entry, or "" for a task not from the catalog. */
export function catalogProvenanceHtml(manifest: RunManifest): string {
	const c = manifest.task.catalog;
	if (!c) return "";
	if (c.matches)
		return `<br><span data-catalog="matches">Task file ${e(c.file)} from the prize catalog (prize:${e(c.name)}, ${e(c.uri)}): its sha256 is the catalog's.</span>`;
	return `<br><strong data-catalog="differs">The task file differs from the prize catalog's ${e(c.file)} (prize:${e(c.name)}): results may not be comparable with published ones.</strong><br><span class="mono">file &nbsp;&nbsp;&nbsp;sha256 ${e(c.sha256)} (${c.bytes.toLocaleString("en-US")} bytes)</span><br><span class="mono">catalog sha256 ${e(c.expectedSha256)} (${c.expectedBytes.toLocaleString("en-US")} bytes)</span>`;
}
