/**
 * @module Taking in a submission: the request body (a task file and its card, base64 in JSON) is
 * checked against the size and content limits, stored as an upload, validated exactly as
 * `invscale validate` does (same diagnostics, row by row), then held to the contest's rules
 * (minimum examples, allowed task types, a card). Accepted versions get a content fingerprint.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { ApiError } from "../server/api-error.js";
import { formatMegabytes, readBody } from "../server/http-body.js";
import type { PlacedDiagnostic, UploadStore, UploadValidation } from "../server/uploads.js";
import { readTask } from "../tasks/index.js";
import type { ContestConfig } from "./contest-file.js";
import { fingerprint } from "./near-duplicates.js";

export const maxCardBytes = 256 * 1024;

const fileField = z.strictObject({
	name: z.string().min(1).max(200),
	/** The file's bytes, base64. */
	content: z.string().max(2 * 1024 * 1024 * 1024),
});

export const submissionBody = z.strictObject({
	task: fileField,
	card: fileField.optional(),
	type: z.string().max(40).optional(),
});

export interface IncomingFiles {
	task: { name: string; bytes: Buffer };
	card?: { name: string; bytes: Buffer };
	type?: string;
}

/** What one version's check says: the validation plus the contest's own rules, as row-level diagnostics. */
export interface Intake {
	uploadId: string;
	taskName: string;
	fileName: string;
	cardName: string | null;
	sha256: string;
	accepted: boolean;
	validation: UploadValidation;
	fingerprint: number[] | null;
}

/** Reads and checks the JSON body; every refusal names the limit or the field. */
export async function readSubmission(req: IncomingMessage, config: ContestConfig): Promise<IncomingFiles> {
	const type = String(req.headers["content-type"] ?? "");
	if (!type.startsWith("application/json"))
		throw new ApiError(
			415,
			"a submission is sent as JSON",
			"send Content-Type: application/json (the page and `invscale submit` do)",
		);
	const limit = config.rules.maxUploadBytes;
	// Base64 makes files a third larger; the card and field names fit in the margin.
	const bodyLimit = Math.ceil((limit + maxCardBytes) * 1.34) + 4096;
	let body: Buffer;
	try {
		body = await readBody(req, bodyLimit);
	} catch (error) {
		if (error instanceof ApiError && error.status === 413)
			throw new ApiError(
				413,
				`the upload is over the limit of ${formatMegabytes(limit)} for a task file`,
				"split the task or remove rows; the organisers set this limit in the contest file",
			);
		throw error;
	}
	let json: unknown;
	try {
		json = JSON.parse(body.toString("utf8"));
	} catch {
		throw new ApiError(
			400,
			"the request body is not valid JSON",
			"send { task: { name, content (base64) }, card?: { name, content } }",
		);
	}
	const parsed = submissionBody.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new ApiError(
			400,
			`${issue.path.join(".") || "body"}: ${issue.message}`,
			"send { task: { name, content (base64) }, card?: { name, content } }",
		);
	}
	const task = decode(parsed.data.task.content, "task.content");
	if (task.length > limit)
		throw new ApiError(
			413,
			`the task file is ${formatMegabytes(task.length)}, over the limit of ${formatMegabytes(limit)}`,
			"split the task or remove rows; the organisers set this limit in the contest file",
		);
	if (task.length === 0)
		throw new ApiError(400, "the task file is empty", "pick a task file with a header row and examples");
	textOnly(task, parsed.data.task.name);
	const card = parsed.data.card ? decode(parsed.data.card.content, "card.content") : undefined;
	if (card && card.length > maxCardBytes)
		throw new ApiError(
			413,
			`the card is ${formatMegabytes(card.length)}, over the limit of ${formatMegabytes(maxCardBytes)}`,
			"a card is a short YAML form",
		);
	if (card) textOnly(card, parsed.data.card!.name);
	return {
		task: { name: parsed.data.task.name, bytes: task },
		...(card ? { card: { name: parsed.data.card!.name, bytes: card } } : {}),
		...(parsed.data.type ? { type: parsed.data.type } : {}),
	};
}

function decode(content: string, field: string): Buffer {
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 === 1)
		throw new ApiError(400, `${field}: not base64`, "send the file's bytes base64-encoded");
	return Buffer.from(content, "base64");
}

/** Task files and cards are text: a NUL byte means a binary file (a zip, a spreadsheet, an image). */
function textOnly(bytes: Buffer, name: string): void {
	if (bytes.includes(0))
		throw new ApiError(
			415,
			`${name} is not a text file (it contains NUL bytes): only UTF-8 CSV, JSONL and YAML are accepted`,
			"export the data as .csv or .jsonl; spreadsheets and zips are refused",
		);
}

/** The card validator's warnings that mean the card does not validate (not valid YAML, not a mapping, empty, fields missing or invalid). */
const cardRefusals = new Set(["card-missing", "card-invalid", "card-incomplete"]);

function contestError(file: string, code: string, message: string, fix: string): PlacedDiagnostic {
	return { severity: "error", code, file, line: 1, column: 1, message, fix };
}

/** Stores the files as an upload, validates them and applies the contest's rules. */
export async function takeIn(
	uploads: UploadStore,
	files: IncomingFiles,
	config: ContestConfig,
): Promise<Intake> {
	let upload = uploads.create(files.task.name, files.task.bytes, files.type);
	if (files.card) upload = uploads.setCard(upload.id, files.card.name, files.card.bytes);
	const validation = await uploads.validate(upload);
	const extra: PlacedDiagnostic[] = [];
	const rules = config.rules;
	if (validation.typeSource !== "unresolved" && validation.summary.examples < rules.minExamples)
		extra.push(
			contestError(
				upload.name,
				"contest-min-examples",
				`${validation.summary.examples} valid examples; this contest needs at least ${rules.minExamples}`,
				"add examples, or fix the rows with errors so they count",
			),
		);
	if (
		rules.taskTypes &&
		validation.typeSource !== "unresolved" &&
		!rules.taskTypes.includes(validation.typeName)
	)
		extra.push(
			contestError(
				upload.name,
				"contest-task-type",
				`task type ${validation.typeName} is not accepted here (this contest takes ${rules.taskTypes.join(", ")})`,
				"submit a task of an accepted type",
			),
		);
	if (rules.requireCard && !files.card)
		extra.push(
			contestError(
				upload.name,
				"contest-card-required",
				"this contest needs the task's card (what it tests, why it should scale inversely, licence, authors)",
				"add <task>.card.yaml; `invscale validate` shows what it holds",
			),
		);
	// A card that does not validate is no card: the validator's own problems, at their line and field, refuse it.
	const cardProblems =
		rules.requireCard && files.card ? validation.warnings.filter((w) => cardRefusals.has(w.code)) : [];
	const refusedCard = cardProblems.map(
		(w): PlacedDiagnostic => ({
			...w,
			severity: "error",
			fix: `${w.fix} (this contest needs a complete card)`,
		}),
	);
	// The file's own problems first, at their rows; then what the contest's rules add.
	const errors = [...validation.errors, ...refusedCard, ...extra];
	const accepted = validation.valid && extra.length === 0 && refusedCard.length === 0;
	const full: UploadValidation = {
		...validation,
		valid: accepted,
		errors,
		warnings: validation.warnings.filter((w) => !cardProblems.includes(w)),
		summary: {
			...validation.summary,
			errorCount: validation.summary.errorCount + extra.length + refusedCard.length,
			warningCount: validation.summary.warningCount - refusedCard.length,
		},
	};
	const sha256 = createHash("sha256").update(files.task.bytes).digest("hex");
	let print: number[] | null = null;
	if (accepted) {
		const task = await readTask(uploads.taskFile(upload), upload.type ? { type: upload.type } : {});
		print = fingerprint(task.examples);
	}
	return {
		uploadId: upload.id,
		taskName: validation.name,
		fileName: upload.name,
		cardName: upload.cardName ?? null,
		sha256,
		accepted,
		validation: full,
		fingerprint: print,
	};
}
