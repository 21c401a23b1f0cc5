/**
 * @module Uploaded task files: each kept in `<data>/uploads/<id>/` under its own name (with its card
 * beside it as `<name>.card.yaml`, where the engine finds it), and validated exactly as
 * `invscale validate` does. Nothing uploaded is ever run or evaluated.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { CatalogProvenance } from "../run/manifest.js";
import { isTaskTypeName, plottedMetric, validateTaskText } from "../tasks/index.js";
import type { Diagnostic, PlottedMetric, TaskTypeName, ValidationResult } from "../tasks/types.js";
import { ApiError } from "./api-error.js";
import { resolveInside } from "./safe-path.js";

export interface Upload {
	id: string;
	/** The file name as uploaded, e.g. `negation-qa.csv`; its stem names the task. */
	name: string;
	bytes: number;
	cardName?: string;
	type?: TaskTypeName;
	/** For a task taken from the prize catalog: its provenance (both hashes), for run.json. */
	catalog?: CatalogProvenance;
	createdAt: string;
}

/** A diagnostic with the text of the line it points at, so the page can show the problem in place. */
export interface PlacedDiagnostic extends Diagnostic {
	source?: string;
}

export interface UploadValidation extends Omit<ValidationResult, "errors" | "warnings"> {
	plottedMetric: PlottedMetric;
	errors: PlacedDiagnostic[];
	warnings: PlacedDiagnostic[];
}

const taskName = /^[^/\\:*?"<>|]{1,120}\.(csv|jsonl)$/i;
const cardName = /^[^/\\:*?"<>|]{1,120}\.(ya?ml|md)$/i;
/** Control characters (U+0000–U+001F) in a name. */
const hasControl = (name: string) => [...name].some((c) => c.charCodeAt(0) < 32);
const idPattern = /^[0-9a-f]{16}$/;

function checkName(name: string, pattern: RegExp, what: string, hint: string): void {
	if (!pattern.test(name) || hasControl(name) || name.startsWith(".") || name.includes("..")) {
		throw new ApiError(400, `${JSON.stringify(name)} is not a usable ${what} name`, hint);
	}
}

export class UploadStore {
	constructor(readonly root: string) {}

	private folder(id: string): string {
		if (!idPattern.test(id)) throw new ApiError(404, "no such upload", "upload the task file again");
		const safe = resolveInside(this.root, id);
		if (!safe.ok || !existsSync(safe.path))
			throw new ApiError(404, "no such upload", "upload the task file again");
		return safe.path;
	}

	get(id: string): Upload {
		return JSON.parse(readFileSync(join(this.folder(id), "upload.json"), "utf8")) as Upload;
	}

	/** Path of the uploaded task file on the server (for the engine). */
	taskFile(upload: Upload): string {
		return join(this.folder(upload.id), "task", upload.name);
	}

	create(name: string, content: Uint8Array, type?: string): Upload {
		checkName(name, taskName, "task file", "name the file like my-task.csv or my-task.jsonl");
		const id = randomBytes(8).toString("hex");
		const dir = join(this.root, id);
		mkdirSync(join(dir, "task"), { recursive: true });
		writeFileSync(join(dir, "task", name), content);
		const upload: Upload = {
			id,
			name,
			bytes: content.byteLength,
			...(type ? { type: checkType(type) } : {}),
			createdAt: new Date().toISOString(),
		};
		this.save(upload);
		return upload;
	}

	setCard(id: string, name: string, content: Uint8Array): Upload {
		checkName(name, cardName, "card", "a task card is a .yaml file (or .md with YAML front matter)");
		const upload = this.get(id);
		const dir = join(this.folder(id), "task");
		const stem = upload.name.slice(0, -extname(upload.name).length);
		for (const old of [".card.yaml", ".card.yml", ".md"]) rmSync(join(dir, `${stem}${old}`), { force: true });
		// Stored under the task's own name so the engine finds it beside the task, as on the command line.
		const stored = name.toLowerCase().endsWith(".md") ? `${stem}.md` : `${stem}.card.yaml`;
		writeFileSync(join(dir, stored), content);
		const next = { ...upload, cardName: name };
		this.save(next);
		return next;
	}

	/** Deletes an upload and its card (one that was refused and is not kept). */
	remove(id: string): void {
		rmSync(this.folder(id), { recursive: true, force: true });
	}

	setCatalog(id: string, catalog: CatalogProvenance): Upload {
		const next = { ...this.get(id), catalog };
		this.save(next);
		return next;
	}

	setType(id: string, type: string | undefined): Upload {
		const upload = this.get(id);
		const { type: _, ...rest } = upload;
		const next: Upload = type ? { ...rest, type: checkType(type) } : rest;
		this.save(next);
		return next;
	}

	private save(upload: Upload): void {
		writeFileSync(join(this.root, upload.id, "upload.json"), `${JSON.stringify(upload, null, 2)}\n`);
	}

	/** Validates the upload with its card and type, as `invscale validate` would. */
	async validate(upload: Upload): Promise<UploadValidation> {
		const dir = join(this.folder(upload.id), "task");
		const content = readFileSync(join(dir, upload.name));
		const stem = upload.name.slice(0, -extname(upload.name).length);
		const cardFile = [`${stem}.card.yaml`, `${stem}.md`].find((f) => existsSync(join(dir, f)));
		const card = cardFile
			? { file: upload.cardName ?? cardFile, content: readFileSync(join(dir, cardFile), "utf8") }
			: undefined;
		const result = await validateTaskText(upload.name, content, {
			...(upload.type ? { type: upload.type } : {}),
			...(card ? { card } : {}),
		});
		const taskLines = lineReader(new TextDecoder().decode(content));
		const cardLines = card ? lineReader(card.content) : () => undefined;
		const place = (d: Diagnostic): PlacedDiagnostic => {
			const source =
				d.file === upload.name
					? taskLines(d.line)
					: card && d.file === card.file
						? cardLines(d.line)
						: undefined;
			return source === undefined ? d : { ...d, source };
		};
		return {
			...result,
			plottedMetric: plottedMetric(result.typeName),
			errors: result.errors.map(place),
			warnings: result.warnings.map(place),
		};
	}
}

function checkType(type: string): TaskTypeName {
	if (!isTaskTypeName(type)) {
		throw new ApiError(
			400,
			`unknown task type ${JSON.stringify(type)}`,
			"leave the type on automatic, or pick one from the list",
		);
	}
	return type;
}

/** The text of a 1-based physical line, cut to 300 characters for display. */
function lineReader(text: string): (line: number) => string | undefined {
	let lines: string[] | undefined;
	return (line) => {
		lines ??= text.split(/\r?\n/);
		const value = lines[line - 1];
		return value === undefined ? undefined : value.length > 300 ? `${value.slice(0, 299)}…` : value;
	};
}
