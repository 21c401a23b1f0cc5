/**
 * @module Reads `run.json` and `summary.json` of any schema invscale has written into today's
 * shape: runs of version 1 (one condition per model, no coordinates) get their conditions'
 * `model` and `coords` derived, so every reader sees conditions.
 */
import { coordinatesOf } from "./conditions.js";
import {
	type ModelSummary,
	RUN_SCHEMA,
	RUN_SCHEMA_V1,
	type RunManifest,
	type RunModel,
	type RunSummary,
	SUMMARY_SCHEMA,
	SUMMARY_SCHEMA_V1,
} from "./manifest.js";

/** A run.json or summary.json this version cannot read. */
export class ManifestSchemaError extends Error {
	constructor(
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = "ManifestSchemaError";
	}
}

type Loose<T> = Partial<T> & Record<string, unknown>;

function checkSchema(found: unknown, known: readonly string[], what: string): void {
	if (typeof found === "string" && known.includes(found)) return;
	throw new ManifestSchemaError(
		`${what} has schema ${JSON.stringify(found)}; this invscale reads ${known.join(" and ")}`,
		typeof found === "string" && found.startsWith("invscale.")
			? "it was written by a newer invscale: upgrade invscale to read it"
			: `this is not an invscale ${what}`,
	);
}

/** A condition of run.json in today's shape: version 1 entries get `model` and `coords`. */
function upgradeRunModel(entry: Loose<RunModel>): RunModel {
	const model = entry as RunModel;
	// A checkpoint written as a plain `revision` field (hand-made manifests) is the condition's setting.
	const revision = typeof entry.revision === "string" ? entry.revision : undefined;
	const settings = model.settings ?? (revision !== undefined ? { revision } : undefined);
	return {
		...model,
		...(settings ? { settings } : {}),
		model: model.model ?? model.name,
		coords:
			model.coords ??
			coordinatesOf(
				{
					parameters: model.parameters ?? model.info?.parameters,
					nonEmbeddingParameters: model.nonEmbeddingParameters ?? model.info?.nonEmbeddingParameters,
					trainingTokens: model.trainingTokens,
					step: model.step,
				},
				settings,
			),
	};
}

/** Parsed run.json of schema 1 or 2, as a schema-2 manifest. */
export function upgradeRunManifest(raw: unknown): RunManifest {
	const manifest = raw as Loose<RunManifest>;
	checkSchema(manifest?.schema, [RUN_SCHEMA, RUN_SCHEMA_V1], "run.json");
	const models = Array.isArray(manifest.models) ? manifest.models : [];
	return {
		...(manifest as RunManifest),
		schema: RUN_SCHEMA,
		models: models.map((m) => upgradeRunModel(m as Loose<RunModel>)),
	};
}

/** Parsed summary.json of schema 1 or 2, as a schema-2 summary. */
export function upgradeRunSummary(raw: unknown): RunSummary {
	const summary = raw as Loose<RunSummary>;
	checkSchema(summary?.schema, [SUMMARY_SCHEMA, SUMMARY_SCHEMA_V1], "summary.json");
	const models = Array.isArray(summary.models) ? summary.models : [];
	return {
		...(summary as RunSummary),
		schema: SUMMARY_SCHEMA,
		models: models.map((entry) => {
			const m = entry as ModelSummary;
			return {
				...m,
				model: m.model ?? m.name,
				coords:
					m.coords ??
					coordinatesOf(
						{
							parameters: m.parameters,
							nonEmbeddingParameters: m.nonEmbeddingParameters,
							trainingTokens: m.trainingTokens,
						},
						m.settings,
					),
			};
		}),
	};
}
