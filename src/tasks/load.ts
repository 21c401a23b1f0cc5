/**
 * @module Reading and validating task files and uploaded task text: one streaming pass from bytes to
 * rows to checked examples, with the task card read first (it may name the type).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { type CardText, findCard, readCard } from "./card.js";
import { csvRowReader } from "./csv-rows.js";
import { DiagnosticLog, defaultMaxDiagnostics } from "./diagnostics.js";
import { jsonlRowReader } from "./jsonl-rows.js";
import type { RowReader } from "./source-rows.js";
import { TaskChecker } from "./task-checker.js";
import { canonicalType } from "./type-names.js";
import type { LoadedTask, TaskTypeName, ValidationResult } from "./types.js";
import { decodeUtf8, InvalidUtf8Error } from "./utf8-text.js";

export interface TaskReadOptions {
	/** The task type; by default the card's `type`, else inferred from the columns. */
	type?: TaskTypeName;
	/** Diagnostics of each severity kept (the rest are counted in `summary.omitted`). Default 50. */
	maxDiagnostics?: number;
	/** Stops reading; the promise then rejects with the signal's reason. */
	signal?: AbortSignal;
}

export interface TaskTextOptions extends TaskReadOptions {
	/** The task card that came with the upload, if any (no card gives a `card-missing` warning). */
	card?: CardText;
}

const extensions = [".csv", ".jsonl"];

type Input = { kind: "file"; path: string } | { kind: "text"; content: string | Uint8Array };

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) yield chunk as Buffer;
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
	yield bytes;
}

async function check(
	file: string,
	input: Input,
	card: CardText | undefined | "find",
	options: TaskReadOptions,
	keepExamples: boolean,
): Promise<LoadedTask> {
	const log = new DiagnosticLog(file, options.maxDiagnostics ?? defaultMaxDiagnostics);
	const extension = extname(file).toLowerCase();
	const name = basename(file, extname(file));
	const typeName = options.type ?? "classification";
	const unresolved = (): LoadedTask => ({
		file,
		name,
		type: canonicalType(typeName),
		typeName,
		typeSource: "unresolved",
		valid: false,
		errors: log.errors,
		warnings: log.warnings,
		summary: {
			rows: 0,
			examples: 0,
			classCounts: {},
			answerShare: [],
			errorCount: log.errorCount,
			warningCount: log.warningCount,
			omitted: log.omitted,
		},
		examples: [],
	});

	if (input.kind === "file") {
		const problem = await fileProblem(input.path);
		if (problem) {
			log.add("error", { line: 1, column: 1, ...problem });
			return unresolved();
		}
	}
	if (!extensions.includes(extension)) {
		log.add("error", {
			code: "unknown-extension",
			line: 1,
			column: 1,
			value: basename(file),
			message: `"${extension || "(none)"}" is not a task file extension: a task is a .csv or a .jsonl file`,
			fix: "save the task as CSV (pandas: df.to_csv(path)) or JSON lines (df.to_json(path, orient='records', lines=True))",
		});
		return unresolved();
	}

	const cardText = card === "find" ? await findCard(file) : card;
	const taskCard = readCard(cardText, file, log);
	if (options.type && taskCard?.type && options.type !== taskCard.type) {
		log.add("warning", {
			code: "type-override",
			line: 1,
			column: 1,
			value: options.type,
			message: `the type asked for (${options.type}) differs from the card's (${taskCard.type}); using ${options.type}`,
			fix: `drop --type, or change the card's type to ${options.type}`,
		});
	}
	const checker = new TaskChecker({ log, typeOption: options.type, cardType: taskCard?.type, keepExamples });
	const reader: RowReader = extension === ".csv" ? csvRowReader(checker) : jsonlRowReader(checker);
	let stoppedEarly = false;
	try {
		if (input.kind === "text" && typeof input.content === "string") {
			reader.push(input.content);
		} else {
			const chunks = input.kind === "file" ? fileChunks(input.path) : oneChunk(input.content as Uint8Array);
			for await (const text of decodeUtf8(chunks)) {
				options.signal?.throwIfAborted();
				reader.push(text);
			}
		}
		reader.end();
	} catch (error) {
		if (!(error instanceof InvalidUtf8Error)) throw error;
		stoppedEarly = true;
		const { byteOffset, line, column, bytes } = error.where;
		log.add("error", {
			code: "invalid-utf8",
			line,
			column,
			value: bytes,
			message: `byte ${byteOffset} is not valid UTF-8 (${bytes}); reading stopped there`,
			fix: "save the file as UTF-8 (pandas: to_csv(path, encoding='utf-8'); Excel: CSV UTF-8)",
		});
	}
	const summary = checker.finish(stoppedEarly);
	return {
		file,
		name,
		type: canonicalType(checker.typeName),
		typeName: checker.typeName,
		typeSource: checker.typeSource,
		valid: log.errorCount === 0,
		errors: log.errors,
		warnings: log.warnings,
		summary,
		...(taskCard ? { card: taskCard } : {}),
		...(cardText && taskCard ? { cardFile: cardText.file } : {}),
		examples: checker.examples,
	};
}

async function fileProblem(
	path: string,
): Promise<{ code: string; message: string; fix: string } | undefined> {
	try {
		const info = await stat(path);
		if (info.isFile()) return undefined;
		return {
			code: "not-a-file",
			message: "this is not a file",
			fix: "give the path of a .csv or .jsonl task file",
		};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === "ENOENT") {
			return {
				code: "file-not-found",
				message: "no such file",
				fix: "check the path (it is relative to the current folder)",
			};
		}
		return {
			code: "file-unreadable",
			message: `the file cannot be read (${code ?? String(error)})`,
			fix: "check its permissions",
		};
	}
}

function withoutExamples(task: LoadedTask): ValidationResult {
	const { examples: _, ...result } = task;
	return result;
}

/** Reads a task file with all its examples. Problems come back as diagnostics, never as exceptions. */
export function readTask(file: string, options: TaskReadOptions = {}): Promise<LoadedTask> {
	return check(file, { kind: "file", path: file }, "find", options, true);
}

/** Validates a task file as a stream, without keeping its examples (constant memory). */
export async function validateTask(file: string, options: TaskReadOptions = {}): Promise<ValidationResult> {
	return withoutExamples(await check(file, { kind: "file", path: file }, "find", options, false));
}

/** Reads an uploaded task; `name` is its file name (the extension picks the format). */
export function readTaskText(
	name: string,
	content: string | Uint8Array,
	options: TaskTextOptions = {},
): Promise<LoadedTask> {
	return check(name, { kind: "text", content }, options.card, options, true);
}

/** Validates an uploaded task without keeping its examples. */
export async function validateTaskText(
	name: string,
	content: string | Uint8Array,
	options: TaskTextOptions = {},
): Promise<ValidationResult> {
	return withoutExamples(await check(name, { kind: "text", content }, options.card, options, false));
}
