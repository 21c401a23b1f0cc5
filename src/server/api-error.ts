/** @module Errors the API answers with: a status, a plain message and a hint, never a stack trace. */
import type { ServerResponse } from "node:http";

/** An error meant for the person using the app: `message` says what went wrong, `hint` what to do. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = "ApiError";
	}
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		"content-type": "application/json; charset=utf-8",
		"content-length": Buffer.byteLength(text),
		"cache-control": "no-store",
	});
	res.end(text);
}

/**
 * Answers `{ error, hint }`. Errors that are not ApiErrors are logged on the server and reach the
 * user as a generic 500 with their message only.
 */
export function sendError(res: ServerResponse, error: unknown, log: (line: string) => void = () => {}): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	if (error instanceof ApiError) {
		sendJson(res, error.status, { error: error.message, ...(error.hint ? { hint: error.hint } : {}) });
		return;
	}
	const message = error instanceof Error ? error.message : String(error);
	log(`internal error: ${error instanceof Error ? (error.stack ?? message) : message}`);
	sendJson(res, 500, {
		error: `the server could not do this: ${message}`,
		hint: "try again; if it keeps happening, the server's terminal shows the details",
	});
}
