/**
 * @module The HTTP API of the app: uploads and their validation, ladders, runs (start, progress,
 * cancel, resume), results, the per-example table and downloads. Every handler answers JSON or a
 * file; every failure is an ApiError with a message and a hint.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { z } from "zod";
import { X_AXES, type XAxis } from "../analysis/axis.js";
import type { Ladder } from "../ladders/index.js";
import { RunDirError } from "../report/index.js";
import { runFiles } from "../run/manifest.js";
import { finishedRunStatuses } from "../store/index.js";
import { version } from "../version.js";
import { ApiError, sendJson } from "./api-error.js";
import { exampleTable, exampleTableCsv } from "./example-table.js";
import { readBody, readJson } from "./http-body.js";
import {
	endpointSchema,
	type LadderChoice,
	ladderChoiceSchema,
	listLadderSources,
	probeEndpoint,
	resolveChoice,
} from "./ladder-sources.js";
import { prizeTaskList, uploadPrizeTask } from "./prize-tasks.js";
import type { RunManager } from "./run-manager.js";
import { runResult } from "./run-results.js";
import { runSweep, sweepFields, sweepSettings } from "./run-sweep.js";
import { writeRunZip } from "./run-zip.js";
import { resolveInside } from "./safe-path.js";
import { streamRun } from "./sse.js";
import { contentType } from "./static-files.js";
import { readStoredRunOptions, type StoredRunOptions } from "./stored-run-options.js";
import type { UploadStore } from "./uploads.js";

export interface ApiContext {
	uploads: UploadStore;
	runs: RunManager;
	modelsDir: string | undefined;
	maxUploadBytes: number;
	tokenRequired: boolean;
}

export interface ApiRequest {
	req: IncomingMessage;
	res: ServerResponse;
	/** Decoded path segments after `/api/`. */
	segments: string[];
	query: URLSearchParams;
}

type Handler = (ctx: ApiContext, r: ApiRequest) => Promise<void> | void;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
	throw new ApiError(400, `${where}${issue.message}`, "check the form and try again");
}

function ladderLabel(choice: LadderChoice, modelCount: number): string {
	switch (choice.kind) {
		case "ladder":
			return choice.sizes?.length ? `${choice.name} (${choice.sizes.join(", ")})` : choice.name;
		case "files":
			return `${modelCount} model file${modelCount === 1 ? "" : "s"}`;
		case "endpoint":
			return new URL(choice.endpoint.baseUrl).host;
	}
}

function taskDirOf(ctx: ApiContext, id: string): string {
	const record = ctx.runs.record(id);
	const dir = ctx.runs.taskDir(record);
	if (!finishedRunStatuses.includes(record.status) || !existsSync(join(dir, runFiles.manifest))) {
		throw new ApiError(409, "this run has no results yet", "wait for it to finish, or resume it");
	}
	return dir;
}

/** Reading a run directory can fail when its files were changed by hand: say so plainly. */
function fromRunDir<T>(read: () => T): T {
	try {
		return read();
	} catch (error) {
		if (error instanceof RunDirError) throw new ApiError(409, error.message, error.fix);
		throw error;
	}
}

function download(res: ServerResponse, name: string, type: string): void {
	res.setHeader("content-type", type);
	res.setHeader("content-disposition", `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`);
	res.setHeader("cache-control", "no-store");
}

const uploadHandlers = {
	async create(ctx: ApiContext, r: ApiRequest) {
		const name = r.query.get("name") ?? "";
		const type = r.query.get("type") || undefined;
		const body = await readBody(r.req, ctx.maxUploadBytes);
		if (body.length === 0)
			throw new ApiError(
				400,
				"the upload is empty",
				"pick a task file with a header row and at least one example",
			);
		const upload = ctx.uploads.create(name, body, type);
		sendJson(r.res, 201, { upload, validation: await ctx.uploads.validate(upload) });
	},
	async card(ctx: ApiContext, r: ApiRequest, id: string) {
		const body = await readBody(r.req, Math.min(ctx.maxUploadBytes, 1024 * 1024));
		const upload = ctx.uploads.setCard(id, r.query.get("name") ?? "", body);
		sendJson(r.res, 200, { upload, validation: await ctx.uploads.validate(upload) });
	},
	async type(ctx: ApiContext, r: ApiRequest, id: string) {
		const { type } = parse(z.object({ type: z.string().max(40).optional() }), await readJson(r.req));
		const upload = ctx.uploads.setType(id, type || undefined);
		sendJson(r.res, 200, { upload, validation: await ctx.uploads.validate(upload) });
	},
	async get(ctx: ApiContext, r: ApiRequest, id: string) {
		const upload = ctx.uploads.get(id);
		sendJson(r.res, 200, { upload, validation: await ctx.uploads.validate(upload) });
	},
};

const startSchema = z.object({
	uploadId: z.string().max(40),
	ladder: ladderChoiceSchema,
	...sweepFields,
});

const sweepSchema = z.object({ uploadId: z.string().max(40), ...sweepFields });

/** The upload's task as a sweep is checked against it; refuses a task with errors. */
async function sweepTaskOf(ctx: ApiContext, uploadId: string) {
	const upload = ctx.uploads.get(uploadId);
	const validation = await ctx.uploads.validate(upload);
	if (!validation.valid) {
		throw new ApiError(
			422,
			`the task has ${validation.summary.errorCount} error(s); nothing was started`,
			"fix the rows listed under the task and upload it again",
		);
	}
	const task = { file: validation.file, type: validation.type, examples: validation.summary.examples };
	return { upload, validation, task };
}

/** Checks the form's shots and budgets against the task, as a run would: the settings each model gets. */
async function checkSweep(ctx: ApiContext, r: ApiRequest): Promise<void> {
	const { uploadId, ...input } = parse(sweepSchema, await readJson(r.req));
	const { task } = await sweepTaskOf(ctx, uploadId);
	sendJson(r.res, 200, { settings: sweepSettings(runSweep(input, task)) });
}

async function startRun(ctx: ApiContext, r: ApiRequest): Promise<void> {
	const { uploadId, ladder: choice, ...input } = parse(startSchema, await readJson(r.req));
	const { upload, validation, task } = await sweepTaskOf(ctx, uploadId);
	const { shots, generation } = runSweep(input, task);
	let ladder: Ladder;
	try {
		ladder = resolveChoice(choice, ctx.modelsDir);
	} catch (error) {
		if (error instanceof ApiError) throw error;
		const hint = (error as { hint?: unknown }).hint;
		throw new ApiError(
			400,
			error instanceof Error ? error.message : String(error),
			typeof hint === "string" ? hint : undefined,
		);
	}
	if (ladder.models.length === 0)
		throw new ApiError(400, "the ladder has no models", "pick at least one model");
	const options: StoredRunOptions = {
		version: 2,
		taskName: validation.name,
		uploadId: upload.id,
		taskFile: ctx.uploads.taskFile(upload),
		...(upload.catalog && { catalog: upload.catalog }),
		...(upload.type ? { type: upload.type } : {}),
		choice,
		ladderName: ladder.name,
		models: ladder.models,
		...(shots ? { shots } : {}),
		...(generation ? { generation } : {}),
	};
	sendJson(r.res, 201, ctx.runs.start(options, ladderLabel(choice, ladder.models.length)));
}

async function runFile(ctx: ApiContext, r: ApiRequest, id: string, rest: string[]): Promise<void> {
	const dir = taskDirOf(ctx, id);
	const safe = resolveInside(dir, rest.join("/"));
	if (!safe.ok)
		throw new ApiError(400, `path refused: ${safe.reason}`, "ask for a file of the run by its name");
	if (!existsSync(safe.path) || !statSync(safe.path).isFile())
		throw new ApiError(404, "the run has no such file");
	r.res.writeHead(200, {
		"content-type": contentType(safe.path),
		"content-length": statSync(safe.path).size,
		"cache-control": "no-store",
		"x-content-type-options": "nosniff",
		// The report is a self-contained page: it may not run scripts from or talk to anywhere.
		"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
	});
	createReadStream(safe.path).pipe(r.res);
}

async function runAction(
	ctx: ApiContext,
	r: ApiRequest,
	id: string,
	action: string | undefined,
	rest: string[],
): Promise<void> {
	const method = r.req.method;
	if (action !== "files" && rest.length > 0) throw new ApiError(404, "no such API route");
	switch (`${method} ${action ?? ""}`) {
		case "GET ":
			return sendJson(r.res, 200, ctx.runs.view(id));
		case "DELETE ":
			ctx.runs.remove(id);
			return sendJson(r.res, 200, { deleted: id });
		case "GET events":
			return streamRun(ctx.runs, id, r.req, r.res);
		case "POST cancel":
			return sendJson(r.res, 200, ctx.runs.cancel(id));
		case "POST resume":
			return sendJson(r.res, 200, ctx.runs.resume(id));
		case "GET result": {
			const x = r.query.get("x") || undefined;
			if (x !== undefined && !X_AXES.includes(x as XAxis))
				throw new ApiError(400, `unknown axis "${x}"`, `use one of ${X_AXES.join(", ")}`);
			return sendJson(
				r.res,
				200,
				fromRunDir(() => runResult(taskDirOf(ctx, id), x as XAxis | undefined)),
			);
		}
		case "GET examples":
			return sendJson(
				r.res,
				200,
				fromRunDir(() => exampleTable(taskDirOf(ctx, id))),
			);
		case "GET examples.csv": {
			const table = fromRunDir(() => exampleTable(taskDirOf(ctx, id)));
			download(r.res, `${table.task}-examples.csv`, "text/csv; charset=utf-8");
			r.res.end(exampleTableCsv(table));
			return;
		}
		case "GET download.zip": {
			const record = ctx.runs.record(id);
			const dir = taskDirOf(ctx, id);
			const task = readStoredRunOptions(record.options).taskName;
			download(r.res, `${task}-${id}.zip`, "application/zip");
			await writeRunZip(dir, task, r.res);
			r.res.end();
			return;
		}
		case "GET files":
			return runFile(ctx, r, id, rest);
		default:
			throw new ApiError(404, "no such API route");
	}
}

/** Dispatches `/api/...`; throws ApiError for anything it cannot answer. */
export async function handleApi(ctx: ApiContext, r: ApiRequest): Promise<void> {
	const [head, id, action, ...rest] = r.segments;
	const method = r.req.method;
	const route: Record<string, Handler> = {
		"GET config": (c, q) =>
			sendJson(q.res, 200, {
				version,
				maxUploadBytes: c.maxUploadBytes,
				tokenRequired: c.tokenRequired,
				modelsDir: c.modelsDir ?? null,
			}),
		"GET ladders": (c, q) => sendJson(q.res, 200, listLadderSources(c.modelsDir)),
		"GET runs": (c, q) => sendJson(q.res, 200, c.runs.list()),
		"GET tasks": (_c, q) => sendJson(q.res, 200, prizeTaskList()),
		"POST runs": startRun,
		"POST sweep": checkSweep,
		"POST uploads": uploadHandlers.create,
	};
	if (r.segments.length === 1) {
		const handler = route[`${method} ${head}`];
		if (!handler) throw new ApiError(404, "no such API route");
		return handler(ctx, r);
	}
	if (head === "ladders" && id === "probe" && method === "POST" && r.segments.length === 2) {
		const endpoint = parse(endpointSchema, await readJson(r.req));
		const signal = AbortSignal.timeout(30_000);
		return sendJson(r.res, 200, { results: await probeEndpoint(endpoint, signal) });
	}
	if (head === "tasks" && id && method === "POST" && r.segments.length === 2)
		return sendJson(r.res, 201, await uploadPrizeTask(ctx.uploads, id, AbortSignal.timeout(600_000)));
	if (head === "uploads" && id) {
		if (method === "GET" && action === undefined) return uploadHandlers.get(ctx, r, id);
		if (method === "POST" && action === "card" && rest.length === 0) return uploadHandlers.card(ctx, r, id);
		if (method === "POST" && action === "type" && rest.length === 0) return uploadHandlers.type(ctx, r, id);
	}
	if (head === "runs" && id) return runAction(ctx, r, id, action, rest);
	throw new ApiError(404, "no such API route");
}
