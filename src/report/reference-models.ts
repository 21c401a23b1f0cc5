/** @module The checkpoint of each model of a run (step or revision, where run.json records one), for matching published points. */
import type { RunModelRef } from "../analysis/reference.js";
import type { RunManifest } from "../run/manifest.js";

export function runModelRefs(manifest: RunManifest): RunModelRef[] {
	return manifest.models.map((m) => {
		// `coords` is absent only in a manifest that did not come through the run-file reader.
		const step = m.step ?? m.coords?.step;
		const revision = m.settings?.revision;
		return {
			name: m.name,
			...(typeof step === "number" && { step }),
			...(typeof revision === "string" && { revision }),
		};
	});
}
