/**
 * @module Where reference tables come from: a file, a URL, or a published source known by name,
 * fetched from its public URL at run time and cached under INVSCALE_HOME/references (never
 * bundled). Offline, a cached table is used and an uncached one fails at once, saying what to do.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ReferencePoint } from "../analysis/reference.js";
import { hubSettings } from "../ladders/hub-settings.js";
import { referencesDir } from "../util/home.js";
import { version } from "../version.js";
import { RunDirError } from "./load-run.js";
import { parseReferenceTable } from "./reference-read.js";

export interface NamedReference {
	name: string;
	/** Other names accepted for it. */
	aliases: string[];
	title: string;
	/** Public address of the table; absent when no stable public table exists. */
	url?: string;
	/** Why there is no URL, and what to do instead. */
	unavailable?: string;
}

/** The published sources known by name. */
export const namedReferences: NamedReference[] = [
	{
		name: "michaelov-bergen-2023",
		aliases: ["pythia-isp", "emergent-inabilities"],
		title: "Michaelov & Bergen (2023)",
		// Pinned to a commit, so the cached copy never goes stale.
		url: "https://raw.githubusercontent.com/jmichaelov/emergent-inabilities/c9a9e8c3b5ab1faffc065d9d2b58b358804289f8/results/all_results.tsv",
	},
	{
		name: "lm-eval-opt",
		aliases: ["lm-evaluation-harness-opt"],
		title: "lm-evaluation-harness, OPT",
		unavailable:
			"No stable public table of lm-evaluation-harness numbers for OPT on the prize tasks exists: the harness's inverse_scaling_mc tasks print the results of the run you make, and only a one-model comparison (opt-1.3b) was ever posted. Run the harness, then write its numbers as a reference table in the long format (model,family,parameters,training_tokens,task,metric,mean,se,n,source) and pass that file.",
	},
];

export function namedReference(spec: string): NamedReference | undefined {
	const key = spec.trim().toLowerCase();
	return namedReferences.find((r) => r.name === key || r.aliases.includes(key));
}

export interface LoadedReference {
	/** What was asked for: a name, URL or path. */
	spec: string;
	/** Where the text came from: a path, or a URL with its cache file. */
	origin: string;
	points: ReferencePoint[];
	/** A note for the user (a cached copy used offline, say). */
	note?: string;
}

const isUrl = (spec: string) => /^https?:\/\//i.test(spec);

/** The cache file of a URL: `<INVSCALE_HOME>/references/<hash>-<file name>`. */
export function referenceCachePath(url: string, env: NodeJS.ProcessEnv = process.env): string {
	const digest = createHash("sha256").update(url).digest("hex").slice(0, 16);
	const base = (new URL(url).pathname.split("/").at(-1) || "table").replace(/[^\w.-]/g, "_");
	return join(referencesDir(env), `${digest}-${base}`);
}

/**
 * Reads each reference given to `report --reference`: a name from `namedReferences`, an http(s)
 * URL, or a file path. Throws RunDirError naming the reference and the fix.
 */
export async function loadReferences(
	specs: string[],
	env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedReference[]> {
	const loaded: LoadedReference[] = [];
	for (const spec of specs) {
		const named = namedReference(spec);
		if (named && !named.url)
			throw new RunDirError(`--reference ${spec}: ${named.title}`, named.unavailable ?? "");
		if (named?.url) {
			// A pinned URL: the cached copy is that table, used without the network.
			const { text, origin, note } = await fetchTable(named.url, env, true);
			loaded.push({ spec, origin, points: parseReferenceTable(text, named.url, named.title), note });
		} else if (isUrl(spec)) {
			const { text, origin, note } = await fetchTable(spec, env, false);
			loaded.push({ spec, origin, points: parseReferenceTable(text, spec), note });
		} else {
			if (!existsSync(spec))
				throw new RunDirError(
					`--reference ${spec}: no such file, and not a known source`,
					`Give a table file, an http(s) URL, or one of: ${namedReferences.map((r) => r.name).join(", ")}.`,
				);
			loaded.push({ spec, origin: spec, points: parseReferenceTable(readFileSync(spec, "utf8"), spec) });
		}
	}
	return loaded;
}

async function fetchTable(
	url: string,
	env: NodeJS.ProcessEnv,
	pinned: boolean,
): Promise<{ text: string; origin: string; note?: string }> {
	const cache = referenceCachePath(url, env);
	const cached = existsSync(cache) ? readFileSync(cache, "utf8") : undefined;
	const settings = hubSettings(env);
	if (cached !== undefined && (pinned || settings.offline)) return { text: cached, origin: cache };
	if (settings.offline)
		throw new RunDirError(
			`offline, and the reference table ${url} is not cached (${cache} is missing)`,
			`Run the same report once with network (the table is then cached), or download the table and pass the file: --reference all_results.tsv.`,
		);
	try {
		// No HF_TOKEN here: these addresses are not the hub's.
		const response = await fetch(url, {
			headers: { "user-agent": `invscale/${version}` },
			signal: AbortSignal.timeout(Math.max(settings.connectTimeoutMs, settings.idleTimeoutMs)),
		});
		if (!response.ok) throw new Error(`HTTP ${response.status}`);
		const text = await response.text();
		mkdirSync(referencesDir(env), { recursive: true });
		writeFileSync(`${cache}.part`, text);
		renameSync(`${cache}.part`, cache);
		return { text, origin: `${url} (cached as ${cache})` };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		if (cached !== undefined)
			return {
				text: cached,
				origin: cache,
				note: `${url} could not be fetched (${reason}); used the copy cached earlier`,
			};
		throw new RunDirError(
			`cannot fetch the reference table ${url} (${reason})`,
			"Check the address and the network, or download the table and pass the file: --reference FILE.",
		);
	}
}
