/**
 * @module Server-sent events of one run: the run's state at once, then after every change (at most
 * four times a second), and a last message when it finishes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RunManager, RunView } from "./run-manager.js";

const minGapMs = 250;
const heartbeatMs = 15_000;

export function streamRun(manager: RunManager, id: string, req: IncomingMessage, res: ServerResponse): void {
	const first = manager.view(id);
	res.writeHead(200, {
		"content-type": "text/event-stream; charset=utf-8",
		"cache-control": "no-store",
		connection: "keep-alive",
		"x-accel-buffering": "no",
	});
	let lastSent = 0;
	let timer: NodeJS.Timeout | undefined;
	let pending: RunView | undefined;
	let ended = false;
	const send = (view: RunView) => {
		lastSent = Date.now();
		res.write(`event: run\ndata: ${JSON.stringify(view)}\n\n`);
		if (view.finished) finish();
	};
	const finish = () => {
		if (ended) return;
		ended = true;
		unsubscribe();
		clearTimeout(timer);
		clearInterval(heartbeat);
		res.end();
	};
	const unsubscribe = manager.subscribe(id, (view) => {
		if (ended) return;
		if (view.finished || Date.now() - lastSent >= minGapMs) {
			clearTimeout(timer);
			timer = undefined;
			pending = undefined;
			send(view);
			return;
		}
		pending = view;
		timer ??= setTimeout(() => {
			timer = undefined;
			if (pending && !ended) send(pending);
			pending = undefined;
		}, minGapMs);
	});
	const heartbeat = setInterval(() => res.write(": still here\n\n"), heartbeatMs);
	req.on("close", finish);
	send(first);
}
