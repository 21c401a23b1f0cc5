/**
 * @module Every ladder the user can name (catalog, catalog subsets, the user's own), each model
 * with its sizes and what is on disk: the data behind `invscale ladders` and the web UI.
 */
import { builtinLadder, builtinLadderNames } from "./builtin.js";
import { catalogEntries, catalogModelToLadderModel } from "./catalog.js";
import { type ModelFileState, modelFileState } from "./local-files.js";
import type { LadderModel } from "./types.js";
import { loadUserLadders } from "./user-ladders.js";

export interface ListedModel {
	name: string;
	family: string;
	/** `hf:…` URI, local path, or server address. */
	location: string;
	parameters?: number;
	/** For catalog models: the size in the model's name (135M, 0.6B), when exact counts are left to the GGUF. */
	nominalParameters?: number;
	nonEmbeddingParameters?: number;
	trainingTokens?: number;
	/** Size of the file: exact when `bytesExact`, else an estimate (or unknown). */
	bytes?: number;
	bytesExact: boolean;
	state: ModelFileState;
}

export interface ListedLadder {
	name: string;
	/** built-in: shipped inside invscale (the organisms); catalog: downloaded on first use. */
	origin: "built-in" | "catalog" | "user";
	description?: string;
	/** For catalog subsets: the ladder they are taken from. */
	subsetOf?: string;
	/** For user ladders: the config file. */
	file?: string;
	models: ListedModel[];
}

function location(model: LadderModel): string {
	const source = model.source;
	return source.kind === "file"
		? source.path
		: source.kind === "hf"
			? source.uri
			: `${source.baseUrls.join(", ")} (${source.kind === "anthropic" ? "anthropic " : ""}${source.model})`;
}

function listModel(
	model: LadderModel,
	env: NodeJS.ProcessEnv,
	catalog?: { approximateBytes: number; nominalParameters: number },
): ListedModel {
	const approximateBytes = catalog?.approximateBytes;
	const state = modelFileState(model, env);
	const exact =
		model.source.kind === "hf" ? model.source.size : state.kind === "present" ? state.bytes : undefined;
	const bytes = exact ?? (state.kind === "present" ? state.bytes : approximateBytes);
	return {
		name: model.name,
		family: model.family,
		location: location(model),
		...(model.parameters !== undefined && { parameters: model.parameters }),
		...(catalog !== undefined && { nominalParameters: catalog.nominalParameters }),
		...(model.nonEmbeddingParameters !== undefined && {
			nonEmbeddingParameters: model.nonEmbeddingParameters,
		}),
		...(model.trainingTokens !== undefined && { trainingTokens: model.trainingTokens }),
		...(bytes !== undefined && { bytes }),
		bytesExact: exact !== undefined || state.kind === "present",
		state,
	};
}

/** Built-in ladders, catalog ladders and subsets, then the user's; a user ladder hides another of its name. */
export function listLadders(options: { configFile?: string; env?: NodeJS.ProcessEnv } = {}): ListedLadder[] {
	const env = options.env ?? process.env;
	const user = loadUserLadders(options.configFile, env);
	const userNames = new Set(user.map((entry) => entry.ladder.name));
	const catalog: ListedLadder[] = catalogEntries()
		.filter((entry) => !userNames.has(entry.name))
		.map((entry) => ({
			name: entry.name,
			origin: "catalog",
			description: entry.description,
			...(entry.subsetOf !== undefined && { subsetOf: entry.subsetOf }),
			models: entry.models.map((model) => listModel(catalogModelToLadderModel(model), env, model)),
		}));
	const builtin: ListedLadder[] = builtinLadderNames()
		.filter((name) => !userNames.has(name))
		.flatMap((name) => {
			const ladder = builtinLadder(name);
			if (!ladder) return [];
			return [
				{
					name,
					origin: "built-in" as const,
					...(ladder.description !== undefined && { description: ladder.description }),
					models: ladder.models.map((model) => listModel(model, env)),
				},
			];
		});
	const own: ListedLadder[] = user.map(({ ladder, file }) => ({
		name: ladder.name,
		origin: "user",
		...(ladder.description !== undefined && { description: ladder.description }),
		file,
		models: ladder.models.map((model) => listModel(model, env)),
	}));
	return [...builtin, ...catalog, ...own];
}
