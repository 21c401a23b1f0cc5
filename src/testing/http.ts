/** @module What the in-repo test servers share: reading a request body, answering JSON, reading a completions prompt. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on("data", (chunk: Buffer) => chunks.push(chunk));
		req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		req.on("error", reject);
	});
}

/** Answers `body` as JSON, unless the connection is already gone (a replica killed mid-request). */
export function json(res: ServerResponse, status: number, body: unknown): void {
	if (res.destroyed) return;
	res.writeHead(status, { "content-type": "application/json" });
	res.end(JSON.stringify(body));
}

/** The `prompt` of a completions request: one text, one id list, or a list of either. */
export function readPrompts(prompt: unknown): Array<string | number[]> | undefined {
	const isIds = (v: unknown): v is number[] =>
		Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x));
	if (typeof prompt === "string" || isIds(prompt)) return [prompt];
	if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === "string" || isIds(p))) {
		return prompt as Array<string | number[]>;
	}
	return undefined;
}

/** A test server listening on a free loopback port: its `/v1` base URL, and a close that drops every connection. */
export interface LocalServer {
	baseUrl: string;
	close(): Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1 at a free port. A handler that throws is answered 500 by
 * `onError` (each dialect words its errors its own way) unless it already answered.
 */
export async function listenLocally(
	handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
	onError: (res: ServerResponse, message: string) => void,
): Promise<LocalServer> {
	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (!res.headersSent) onError(res, error instanceof Error ? error.message : String(error));
		});
	});
	server.keepAliveTimeout = 60_000;
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
