/**
 * @module A round's export in the prize's release layout, as one zip streamed file by file:
 *
 *     <contest>-<round>/README.md          the ranking and the winners
 *     <contest>-<round>/ranking.csv        rank, label, task, weighted score, judges, per-criterion means
 *     <contest>-<round>/submissions.csv    every submission: label, task, version, sha256, accepted
 *     <contest>-<round>/<task>/<task>.csv  the data as submitted, byte for byte (or .jsonl)
 *     <contest>-<round>/<task>/<task>.card.yaml
 *     <contest>-<round>/<task>/results/    the public-ladder run folder (<model>.csv, labelled_data.jsonl, report…),
 *                                          with model identities (name, sha256, hf: URI) in place of server paths
 *     <contest>-<round>/<task>/private/    the private-ladder run folder, only when asked for
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { Zip, ZipDeflate } from "fflate";
import { filesUnder } from "../server/run-zip.js";
import { spreadsheetCsv } from "../server/spreadsheet-csv.js";
import type { Principal } from "./authorize.js";
import { authorize } from "./authorize.js";
import type { ContestApp } from "./contest-app.js";
import { mayHoldPaths, publicIdentities, withoutPaths } from "./public-identities.js";

type Entry = { path: string; bytes: Uint8Array } | { path: string; file: string };

/** Folder names that are safe in a zip and unique within it. */
function uniqueName(name: string, taken: Set<string>): string {
	const base = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "task";
	let out = base;
	for (let i = 2; taken.has(out); i++) out = `${base}-${i}`;
	taken.add(out);
	return out;
}

function csvOf(rows: (string | number | null)[][]): Uint8Array {
	const [header, ...body] = rows;
	return new TextEncoder().encode(spreadsheetCsv(header!.map(String), body));
}

export function exportEntries(
	app: ContestApp,
	p: Principal,
	round: string,
	includePrivate: boolean,
): { folder: string; entries: Entry[] } {
	authorize(p, "export");
	const ranking = app.ranking(p, round);
	const folder = `${app.config.id}-${round}`;
	const entries: Entry[] = [];
	const taken = new Set<string>(["README.md", "ranking.csv", "submissions.csv"]);
	const subs = app.store.submissions({ round });
	const folders = new Map<string, string>();
	const rows: (string | number | null)[][] = [
		["label", "task", "folder", "version", "versions", "sha256", "accepted", "received_at", "winner"],
	];
	for (const s of subs) {
		const versions = app.store.versions(s.id);
		const v = versions.filter((x) => x.accepted).at(-1);
		const latest = versions.at(-1)!;
		if (!v) {
			rows.push([
				s.blindLabel,
				latest.taskName,
				null,
				latest.version,
				versions.length,
				latest.sha256,
				0,
				latest.createdAt,
				0,
			]);
			continue;
		}
		const name = uniqueName(v.taskName, taken);
		folders.set(s.id, name);
		rows.push([
			s.blindLabel,
			v.taskName,
			name,
			v.version,
			versions.length,
			v.sha256,
			1,
			v.createdAt,
			s.winner ? 1 : 0,
		]);
		const upload = app.uploads.get(v.uploadId);
		const taskDir = join(app.uploads.taskFile(upload), "..");
		for (const file of readdirSync(taskDir))
			entries.push({ path: `${name}/${file}`, file: join(taskDir, file) });
		const kinds: ("public" | "private")[] = includePrivate ? ["public", "private"] : ["public"];
		for (const kind of kinds) {
			const dir = app.evaluation.resultDir(s.id, v.version, kind);
			if (!dir || !existsSync(dir)) continue;
			const into = kind === "public" ? "results" : "private";
			// The public results are for publishing: model identities in place of the server's paths.
			const pairs = kind === "public" ? publicIdentities(dir) : [];
			for (const file of filesUnder(dir)) {
				const path = `${name}/${into}/${file}`;
				if (pairs.length > 0 && mayHoldPaths(file))
					entries.push({
						path,
						bytes: new TextEncoder().encode(withoutPaths(readFileSync(join(dir, file), "utf8"), pairs)),
					});
				else entries.push({ path, file: join(dir, file) });
			}
		}
	}
	const criteria = ranking.criteria;
	const rankingRows: (string | number | null)[][] = [
		[
			"rank",
			"label",
			"task",
			"folder",
			"score",
			"judges",
			...criteria.map((c) => c.id),
			"winner",
			"near_duplicate_of",
		],
		...ranking.rows.map((r) => [
			r.rank,
			r.blindLabel,
			(r as { task?: string }).task ?? null,
			folders.get(r.submissionId) ?? null,
			r.score === null ? null : Number(r.score.toFixed(4)),
			r.judges,
			...criteria.map((c) => (r.criteria[c.id] === undefined ? null : Number(r.criteria[c.id]!.toFixed(4)))),
			r.winner ? 1 : 0,
			r.flagged.map((f) => `${f.label} (${Math.round(f.similarity * 100)}%)`).join("; "),
		]),
	];
	const winners = ranking.rows.filter((r) => r.winner);
	const readme = [
		`# ${app.config.name}: ${round}`,
		"",
		`${subs.length} submission(s); ${ranking.rows.length} accepted and scored; ranked by the judges' weighted rubric scores (${criteria.map((c) => `${c.label} ×${c.weight}`).join(", ")}).`,
		"",
		"## Winners",
		"",
		...(winners.length > 0
			? winners.map(
					(w) =>
						`- ${(w as { task?: string }).task ?? w.blindLabel} (${w.blindLabel}): score ${w.score?.toFixed(2) ?? "–"}, see \`${folders.get(w.submissionId)}/results/report.html\``,
				)
			: ["None declared."]),
		"",
		"## Layout",
		"",
		"- `ranking.csv`, `submissions.csv`: the ranking and every submission",
		"- `<task>/`: the data and card as submitted; `results/` holds the public-ladder run in the prize layout",
		...(includePrivate
			? ["- `<task>/private/`: the private-ladder run (organisers only: do not publish)"]
			: []),
		"",
	].join("\n");
	entries.unshift(
		{ path: "README.md", bytes: new TextEncoder().encode(readme) },
		{ path: "ranking.csv", bytes: csvOf(rankingRows) },
		{ path: "submissions.csv", bytes: csvOf(rows) },
	);
	return { folder, entries };
}

/** Writes the zip of `entries` under `folder/` to `out`. */
export async function writeExportZip(folder: string, entries: Entry[], out: Writable): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const zip = new Zip((error, chunk, final) => {
			if (error) return reject(error);
			out.write(chunk);
			if (final) resolve();
		});
		(async () => {
			for (const e of entries) {
				const entry = new ZipDeflate(`${folder}/${e.path}`, { level: 6 });
				zip.add(entry);
				if ("bytes" in e) entry.push(e.bytes, true);
				else {
					for await (const chunk of createReadStream(e.file)) entry.push(chunk as Buffer);
					entry.push(new Uint8Array(0), true);
				}
			}
			zip.end();
		})().catch(reject);
	});
}
