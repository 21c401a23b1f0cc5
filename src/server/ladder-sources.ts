/**
 * @module The ladders the page offers: ladders from the catalog and the user's config, GGUF files in
 * the models folder, and OpenAI-compatible endpoints. A choice from the page becomes a Ladder here,
 * by name or by a path checked to stay inside the models folder; nothing the client sends is read as
 * an arbitrary path.
 */
import { type Dirent, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { z } from "zod";
import {
	catalogLadder,
	type Ladder,
	type LadderModel,
	type ListedLadder,
	ladderFromModelPaths,
	listLadders,
	loadUserLadders,
	parseCount,
	selectModels,
} from "../ladders/index.js";
import { ApiError } from "./api-error.js";
import { resolveInside } from "./safe-path.js";

export interface FolderModel {
	/** Path relative to the models folder, with `/` separators: what the page sends back. */
	path: string;
	name: string;
	bytes: number;
}

export interface LadderListing {
	ladders: ListedLadder[];
	/** Why the user's ladders config could not be read, if it could not. */
	laddersError?: string;
	modelsDir: string | null;
	folderModels: FolderModel[];
}

const maxDepth = 3;

/** GGUF files in `dir` and its subfolders (three levels), sorted by path. */
export function findGgufFiles(dir: string): FolderModel[] {
	const found: FolderModel[] = [];
	const walk = (folder: string, depth: number) => {
		let entries: Dirent[];
		try {
			entries = readdirSync(folder, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			if (entry.name.startsWith(".")) continue;
			const full = join(folder, entry.name);
			if (entry.isDirectory() && depth < maxDepth) walk(full, depth + 1);
			else if (/\.gguf$/i.test(entry.name)) {
				try {
					const info = statSync(full);
					if (!info.isFile()) continue;
					found.push({
						path: relative(dir, full).split(sep).join("/"),
						name: entry.name.replace(/\.gguf$/i, ""),
						bytes: info.size,
					});
				} catch {
					// A broken link is not a model.
				}
			}
		}
	};
	walk(dir, 0);
	return found.sort((a, b) => a.path.localeCompare(b.path));
}

export function listLadderSources(modelsDir: string | undefined): LadderListing {
	let ladders: ListedLadder[] = [];
	let laddersError: string | undefined;
	try {
		ladders = listLadders();
	} catch (error) {
		laddersError = error instanceof Error ? error.message : String(error);
	}
	return {
		ladders,
		...(laddersError ? { laddersError } : {}),
		modelsDir: modelsDir ?? null,
		folderModels: modelsDir ? findGgufFiles(modelsDir) : [],
	};
}

const endpointModel = z.object({
	model: z.string().trim().min(1).max(200),
	/** Parameters as people write them (160M, 1.4B); needed for the size axis. */
	parameters: z.string().trim().max(40).optional(),
});

export const endpointSchema = z.object({
	baseUrl: z
		.string()
		.trim()
		.url()
		.refine((u) => /^https?:\/\//i.test(u), "the address must start with http:// or https://"),
	apiKeyEnv: z
		.string()
		.trim()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name has letters, digits and _")
		.optional(),
	models: z.array(endpointModel).min(1).max(50),
});

export const ladderChoiceSchema = z.discriminatedUnion("kind", [
	z.object({
		kind: z.literal("ladder"),
		name: z.string().min(1).max(200),
		sizes: z.array(z.string().max(40)).max(100).optional(),
	}),
	z.object({ kind: z.literal("files"), files: z.array(z.string().min(1).max(1000)).min(1).max(100) }),
	z.object({ kind: z.literal("endpoint"), endpoint: endpointSchema }),
]);

export type LadderChoice = z.infer<typeof ladderChoiceSchema>;
export type Endpoint = z.infer<typeof endpointSchema>;

/** The ladder a choice names: a known ladder by name, model files inside the models folder, or an endpoint. */
export function resolveChoice(choice: LadderChoice, modelsDir: string | undefined): Ladder {
	switch (choice.kind) {
		case "ladder": {
			// Only names the listing offers: a name is never read as a file path here.
			const ladder =
				loadUserLadders().find((u) => u.ladder.name === choice.name)?.ladder ?? catalogLadder(choice.name);
			if (!ladder)
				throw new ApiError(
					400,
					`unknown ladder ${JSON.stringify(choice.name)}`,
					"pick a ladder from the list",
				);
			return choice.sizes && choice.sizes.length > 0 ? selectModels(ladder, choice.sizes) : ladder;
		}
		case "files": {
			if (!modelsDir) {
				throw new ApiError(400, "the server has no models folder", "start it with --models-dir FOLDER");
			}
			const paths = choice.files.map((file) => {
				const safe = resolveInside(modelsDir, file);
				if (!safe.ok)
					throw new ApiError(
						400,
						`model ${JSON.stringify(file)} refused: ${safe.reason}`,
						"pick models from the list",
					);
				if (!/\.gguf$/i.test(safe.path))
					throw new ApiError(400, `${JSON.stringify(file)} is not a .gguf file`, "pick models from the list");
				try {
					if (!statSync(safe.path).isFile()) throw new Error("not a file");
				} catch {
					throw new ApiError(
						400,
						`model ${JSON.stringify(file)} is not in the models folder`,
						"reload the page to see the files there now",
					);
				}
				return safe.path;
			});
			return ladderFromModelPaths(paths);
		}
		case "endpoint":
			return { name: "endpoint", models: endpointModels(choice.endpoint) };
	}
}

/** Ladder models for an endpoint's served models, named after them. */
export function endpointModels(endpoint: Endpoint): LadderModel[] {
	return endpoint.models.map((m) => {
		let parameters: number | undefined;
		if (m.parameters) {
			const parsed = parseCount(m.parameters);
			if (!parsed.ok)
				throw new ApiError(400, `${m.model}: size ${parsed.reason}`, "write sizes like 125M or 1.3B");
			parameters = parsed.value;
		}
		return {
			name: m.model.replace(/[^A-Za-z0-9._-]+/g, "_"),
			family: "endpoint",
			source: {
				kind: "openai",
				baseUrls: [endpoint.baseUrl.replace(/\/+$/, "")],
				model: m.model,
				...(endpoint.apiKeyEnv ? { apiKeyEnv: endpoint.apiKeyEnv } : {}),
			},
			...(parameters !== undefined ? { parameters } : {}),
		};
	});
}

export type ProbeResult =
	| {
			model: string;
			ok: true;
			info: { name: string; identity: string; contextLength: number; tokenizer: string; parallelism: number };
	  }
	| { model: string; ok: false; error: string; hint?: string };

/** Opens each endpoint model with its capability probe and reports what the server can do. */
export async function probeEndpoint(endpoint: Endpoint, signal: AbortSignal): Promise<ProbeResult[]> {
	const { openOpenAIBackend } = await import("../backends/openai/index.js");
	const results: ProbeResult[] = [];
	for (const model of endpointModels(endpoint)) {
		try {
			const backend = await openOpenAIBackend(model, { signal });
			const { name, identity, contextLength, tokenizer } = backend.info;
			results.push({
				model: model.name,
				ok: true,
				info: { name, identity, contextLength, tokenizer, parallelism: backend.parallelism },
			});
			await backend.dispose().catch(() => undefined);
		} catch (error) {
			const hint = (error as { hint?: unknown }).hint;
			results.push({
				model: model.name,
				ok: false,
				error: error instanceof Error ? error.message : String(error),
				...(typeof hint === "string" ? { hint } : {}),
			});
		}
	}
	return results;
}
