/** @module The checkpoint of each model of a run (step or revision, where run.json records one), for matching published points. */
import type { RunModelRef } from "../analysis/reference.js";
import type { RunManifest } from "../run/manifest.js";

/** Fields a model entry may carry about its checkpoint, depending on how the run was made. */
interface CheckpointFields {
	step?: number;
	revision?: string;
	coordinates?: { step?: number };
	settings?: { revision?: string };
}

export function runModelRefs(manifest: RunManifest): RunModelRef[] {
	return manifest.models.map((model) => {
		const m = model as typeof model & CheckpointFields;
		const step = m.step ?? m.coordinates?.step;
		const revision = m.revision ?? m.settings?.revision;
		return {
			name: m.name,
			...(typeof step === "number" && { step }),
			...(typeof revision === "string" && { revision }),
		};
	});
}
