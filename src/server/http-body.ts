/** @module Reading request bodies with a size limit: too big is a 413 that names the limit. */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";

/** Sizes as the page shows them (binary units): 100 MB, 1.5 MB, 64 KB. */
export function formatMegabytes(bytes: number): string {
	const mb = bytes / (1024 * 1024);
	if (mb < 1) return `${Math.ceil(bytes / 1024)} KB`;
	return `${mb >= 10 ? Math.round(mb) : Number(mb.toFixed(1))} MB`;
}

export function tooLarge(size: number | undefined, limit: number): ApiError {
	const what =
		size === undefined ? "the upload is larger than" : `the upload is ${formatMegabytes(size)}, over`;
	return new ApiError(
		413,
		`${what} the limit of ${formatMegabytes(limit)}`,
		`split the task into smaller files, or restart the server with a larger --max-upload-mb`,
	);
}

/** The whole body, refused with 413 as soon as it is known to exceed `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	const declared = Number(req.headers["content-length"]);
	if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared, limit);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw tooLarge(undefined, limit);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** A small JSON body (limit 1 MB), parsed; 400 when it is not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
	const type = String(req.headers["content-type"] ?? "");
	if (!type.startsWith("application/json")) {
		throw new ApiError(415, "this request needs a JSON body", "send Content-Type: application/json");
	}
	const body = await readBody(req, 1024 * 1024);
	try {
		return JSON.parse(body.toString("utf8"));
	} catch {
		throw new ApiError(400, "the request body is not valid JSON");
	}
}
