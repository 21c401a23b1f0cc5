/** @module What the in-repo test servers share: reading a request body, answering JSON, reading a completions prompt. */
import type { IncomingMessage, ServerResponse } from "node:http";

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
