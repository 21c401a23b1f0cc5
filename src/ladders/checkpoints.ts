/**
 * @module Checkpoint coordinates of a ladder entry: a revision named `stepN` gives step N, and a
 * Pythia checkpoint given by its step alone gets its training tokens (step × 2,097,152).
 */
import { PYTHIA_TOKENS_PER_STEP } from "../run/conditions.js";
import { parseHfUri } from "./hf-uri.js";
import type { LadderModel } from "./types.js";

/** The step a revision name says, for the hub's `step64000` convention (Pythia, OLMo). */
export function stepOfRevision(revision: string | undefined): number | undefined {
	const match = revision === undefined ? null : /^step(\d+)$/.exec(revision);
	return match ? Number(match[1]) : undefined;
}

/** Whether a model is a Pythia model: its family says so, or its name starts with `pythia-`. */
export function isPythia(name: string, family: string | undefined): boolean {
	return family?.toLowerCase() === "pythia" || name.toLowerCase().startsWith("pythia-");
}

/**
 * Step and training tokens of an entry: what it gives, the step its revision names, and for
 * Pythia (1024 sequences of 2048 tokens per step) the tokens a step stands for.
 */
export function checkpointCoordinates(entry: {
	name: string;
	family?: string;
	step?: number;
	trainingTokens?: number;
	revision?: string;
}): { step?: number; trainingTokens?: number } {
	const step = entry.step ?? stepOfRevision(entry.revision);
	const trainingTokens =
		entry.trainingTokens ??
		(step !== undefined && isPythia(entry.name, entry.family) ? step * PYTHIA_TOKENS_PER_STEP : undefined);
	return { step, trainingTokens };
}

/**
 * The checkpoint a ladder model is at, when not the default: its own `revision`, else the revision
 * of its hub URI or of the server's `--revision`.
 */
export function revisionOf(model: LadderModel): string | undefined {
	if (model.revision !== undefined) return model.revision;
	const source = model.source;
	if (source.kind === "openai") return source.revision;
	if (source.kind === "hf") {
		const parsed = parseHfUri(source.uri);
		return parsed.ok && parsed.ref.revision !== "main" ? parsed.ref.revision : undefined;
	}
	return undefined;
}
