/** @module `invscale cache stats` and `invscale cache clear`: look at and empty the score cache. */
import { existsSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import type { CacheStats, ModelRef, Store } from "../../store/index.js";
import { storePath } from "../../util/home.js";
import { CliError, exitCodes } from "../errors.js";

interface StatsFlags {
	store?: string;
	json?: boolean;
}

interface ClearFlags extends StatsFlags {
	model?: string;
	yes?: boolean;
}

export function register(program: Command): void {
	const cache = program
		.command("cache")
		.description("look at or empty the score cache (cached scores are what let a killed run resume)");
	cache
		.command("stats")
		.description("cached entries per model, size on disk and where the store is")
		.option("--store <path>", "SQLite store to read (default: store.sqlite under INVSCALE_HOME)")
		.option("--json", "print JSON for scripts")
		.action(async (flags: StatsFlags) => stats(flags.store ?? storePath(), Boolean(flags.json)));
	cache
		.command("clear")
		.description("remove cached scores: one model's with --model, else all of them (runs are kept)")
		.option("--model <model>", "a model name, or the start of a model identity (see `invscale cache stats`)")
		.option("--store <path>", "SQLite store to clear (default: store.sqlite under INVSCALE_HOME)")
		.option("-y, --yes", "do not ask for confirmation")
		.option("--json", "print JSON for scripts")
		.action(async (flags: ClearFlags) => clear(flags.store ?? storePath(), flags));
}

async function stats(path: string, json: boolean): Promise<void> {
	if (!existsSync(path)) {
		if (json) print(JSON.stringify({ path, exists: false, fileBytes: 0, entries: 0, models: [] }, null, 2));
		else print(`No store at ${path} yet: the first run that caches scores creates it.`);
		return;
	}
	const { cacheStats } = await import("../../store/index.js");
	const result = await withStore(path, (store) => cacheStats(store));
	if (json) print(JSON.stringify({ exists: true, ...result }, null, 2));
	else print(formatStats(result));
}

async function clear(path: string, flags: ClearFlags): Promise<void> {
	const json = Boolean(flags.json);
	if (!existsSync(path)) {
		if (json) print(JSON.stringify({ path, removed: 0, models: [] }, null, 2));
		else print(`Nothing to clear: no store at ${path}.`);
		return;
	}
	const { cacheStats, clearCache, countEntries, matchModels } = await import("../../store/index.js");
	await withStore(path, async (store) => {
		let models: ModelRef[] | undefined;
		if (flags.model !== undefined) {
			models = matchModels(store, flags.model);
			if (models.length === 0) throw noSuchModel(cacheStats(store), flags.model);
		}
		const identities = models?.map((m) => m.identity);
		const what = models ? models.map(describeModel).join(", ") : "all models";
		const count = countEntries(store, identities);
		if (count === 0) {
			if (json) print(JSON.stringify({ path, removed: 0, models: models ?? null }, null, 2));
			else print(`Nothing to clear: no cached entries for ${what} in ${path}.`);
			return;
		}
		if (!flags.yes) await confirm(`Remove ${count.toLocaleString("en-US")} cached entries for ${what}?`);
		const result = clearCache(store, identities);
		if (json) {
			print(JSON.stringify({ path, models: models ?? null, ...result }, null, 2));
			return;
		}
		const size = `${formatBytes(result.fileBytesBefore)} → ${formatBytes(result.fileBytesAfter)}`;
		print(
			`Removed ${result.removed.toLocaleString("en-US")} cached entries for ${what} from ${path} (${size}).` +
				(result.compacted ? "" : "\nAnother process is using the store, so the file was not compacted now."),
		);
	});
}

function formatStats(result: CacheStats): string {
	const lines = [`Score cache: ${result.path} (${formatBytes(result.fileBytes)} on disk)`];
	if (result.models.length === 0) {
		lines.push("", "No cached scores yet.");
		return lines.join("\n");
	}
	const rows = result.models.map((m) => [
		m.name ?? "(unnamed)",
		shortIdentity(m.identity),
		count(m.continuations),
		count(m.nextTokens),
		count(m.tokenizations),
		count(m.generations),
		formatBytes(m.bytes),
	]);
	const header = ["model", "identity", "continuations", "next-token", "tokenizations", "generations", "data"];
	const sum = (field: "continuations" | "nextTokens" | "tokenizations" | "generations" | "bytes") =>
		result.models.reduce((total, m) => total + m[field], 0);
	const total = [
		"total",
		"",
		count(sum("continuations")),
		count(sum("nextTokens")),
		count(sum("tokenizations")),
		count(sum("generations")),
		formatBytes(sum("bytes")),
	];
	lines.push("", ...table([header, ...rows, total], [false, false, true, true, true, true, true]));
	lines.push("", `${count(result.entries)} entries for ${result.models.length} model(s).`);
	return lines.join("\n");
}

/** Left-aligned text columns, right-aligned number columns, two spaces apart. */
function table(rows: string[][], numeric: boolean[]): string[] {
	const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => [...row[c]!].length)));
	return rows.map((row) =>
		row
			.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
			.join("  ")
			.trimEnd(),
	);
}

function count(n: number): string {
	return n.toLocaleString("en-US");
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ["KiB", "MiB", "GiB", "TiB"];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** File hashes are long; 12 hex digits tell models apart and are enough for `--model`. */
function shortIdentity(identity: string): string {
	const hash = /^sha256:([0-9a-f]{12})[0-9a-f]+$/.exec(identity);
	if (hash) return `sha256:${hash[1]}…`;
	return identity.length > 48 ? `${identity.slice(0, 47)}…` : identity;
}

function describeModel(model: ModelRef): string {
	return model.name ? `${model.name} (${shortIdentity(model.identity)})` : shortIdentity(model.identity);
}

function noSuchModel(stats: CacheStats, pattern: string): CliError {
	const known = stats.models.map((m) => `${m.name ?? "(unnamed)"} ${shortIdentity(m.identity)}`);
	return new CliError(
		`no model named "${pattern}" and no model identity starting with it in the cache`,
		exitCodes.usage,
		known.length > 0
			? `models in the cache: ${known.join(", ")}`
			: "the cache holds no models yet (see `invscale cache stats`)",
	);
}

async function confirm(question: string): Promise<void> {
	if (!process.stdin.isTTY) {
		throw new CliError(
			`${question} Not asking: input is not a terminal.`,
			exitCodes.usage,
			"add --yes to confirm",
		);
	}
	const prompt = createInterface({ input: process.stdin, output: process.stderr });
	try {
		const answer = await prompt.question(`${question} [y/N] `);
		if (!/^y(es)?$/i.test(answer.trim())) throw new CliError("nothing removed", exitCodes.ok);
	} finally {
		prompt.close();
	}
}

async function withStore<T>(path: string, use: (store: Store) => T | Promise<T>): Promise<T> {
	const { openStore, StoreError } = await import("../../store/index.js");
	let store: Store;
	try {
		store = openStore(path);
	} catch (error) {
		if (error instanceof StoreError) throw new CliError(error.message, exitCodes.failed, error.hint);
		throw error;
	}
	try {
		return await use(store);
	} finally {
		store.close();
	}
}

function print(text: string): void {
	process.stdout.write(`${text}\n`);
}
