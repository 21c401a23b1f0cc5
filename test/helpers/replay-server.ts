/**
 * @module A loopback HTTP server that answers each route with the bytes of a fixture file, as a
 * real server would have sent them, and keeps every request it got. For wire-format tests.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReplayAnswer {
	status?: number;
	/** Path of the file whose bytes are the body. */
	file: string;
	headers?: Record<string, string>;
}

export interface ReplayServer {
	/** `http://127.0.0.1:PORT/v1` */
	baseUrl: string;
	requests: Array<{ method: string; path: string; body: unknown }>;
	close(): Promise<void>;
}

/** `answers` maps `"POST /v1/completions"` to the answers for its first, second, … call (the last repeats). */
export async function startReplayServer(answers: Record<string, ReplayAnswer[]>): Promise<ReplayServer> {
	const calls = new Map<string, number>();
	const requests: ReplayServer["requests"] = [];
	const server = createServer((req, res) => {
		let text = "";
		req.on("data", (chunk) => (text += chunk));
		req.on("end", () => {
			const route = `${req.method} ${req.url}`;
			requests.push({ method: req.method!, path: req.url!, body: text ? JSON.parse(text) : undefined });
			const list = answers[route];
			if (!list) {
				res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not Found"}');
				return;
			}
			const n = calls.get(route) ?? 0;
			calls.set(route, n + 1);
			const answer = list[Math.min(n, list.length - 1)]!;
			res
				.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers })
				.end(readFileSync(answer.file));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
