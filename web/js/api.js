/** @module Talking to the server: JSON calls with the access token, live run events, downloads. */

const tokenKey = "invscale-token";

export class ApiFailure extends Error {
	constructor(status, message, hint) {
		super(message);
		this.status = status;
		this.hint = hint;
	}
}

export function setToken(token) {
	sessionStorage.setItem(tokenKey, token);
}

function headers(extra = {}) {
	const token = sessionStorage.getItem(tokenKey);
	return token ? { ...extra, "X-Invscale-Token": token } : extra;
}

/** The server's refusal as an ApiFailure: its JSON error and hint, else the status. */
export async function failure(response) {
	let body = {};
	try {
		body = await response.json();
	} catch {
		// Not JSON: fall back to the status text.
	}
	return new ApiFailure(
		response.status,
		body.error ?? `the server answered ${response.status} ${response.statusText}`,
		body.hint,
	);
}

/** A JSON request; rejects with ApiFailure carrying the server's message and hint. */
export async function api(path, { method = "GET", json, body, query } = {}) {
	const url = query ? `${path}?${new URLSearchParams(query)}` : path;
	let response;
	try {
		response = await fetch(url, {
			method,
			headers: headers(
				json !== undefined
					? { "Content-Type": "application/json" }
					: { "Content-Type": "application/octet-stream" },
			),
			body: json !== undefined ? JSON.stringify(json) : body,
		});
	} catch {
		throw new ApiFailure(
			0,
			"the server cannot be reached",
			"check that `invscale serve` is still running, then reload the page",
		);
	}
	if (!response.ok) throw await failure(response);
	return response.json();
}

/**
 * Follows a run's server-sent events (read through fetch, so the token travels as a header).
 * Calls onRun with each state; reconnects after a dropped connection until the run is finished
 * or `signal` aborts.
 */
export async function followRun(id, onRun, signal) {
	for (let attempt = 0; !signal.aborted; attempt++) {
		try {
			const response = await fetch(`/api/runs/${encodeURIComponent(id)}/events`, {
				headers: headers(),
				signal,
			});
			if (!response.ok) throw await failure(response);
			const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
			let buffer = "";
			let finished = false;
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				buffer += value;
				let end = buffer.indexOf("\n\n");
				while (end >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const data = block
						.split("\n")
						.filter((line) => line.startsWith("data: "))
						.map((line) => line.slice(6))
						.join("\n");
					if (data) {
						const run = JSON.parse(data);
						onRun(run);
						finished ||= run.finished;
					}
					end = buffer.indexOf("\n\n");
				}
			}
			if (finished) return;
		} catch (error) {
			if (signal.aborted) return;
			if (error instanceof ApiFailure && error.status !== 0 && error.status < 500) throw error;
		}
		await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * (attempt + 1))));
	}
}

/** Fetches a file with the token and hands it to the browser as a download. */
export async function downloadFile(path, fileName) {
	const response = await fetch(path, { headers: headers() });
	if (!response.ok) throw await failure(response);
	const blob = await response.blob();
	const url = URL.createObjectURL(blob);
	const a = document.createElement("a");
	a.href = url;
	a.download = fileName;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens a run's report.html in a new tab (fetched with the token, shown from a local copy). */
export async function openReport(path) {
	const tab = window.open("", "_blank");
	const response = await fetch(path, { headers: headers() });
	if (!response.ok) {
		tab?.close();
		throw await failure(response);
	}
	const blob = new Blob([await response.text()], { type: "text/html" });
	const url = URL.createObjectURL(blob);
	if (tab) tab.location.href = url;
	else window.location.href = url;
}
