/** @module The contest API from the page: the session cookie travels by itself, the CSRF token in a header. */
import { ApiFailure, failure } from "../../js/api.js";

let csrf = null;

export function setCsrf(token) {
	csrf = token;
}

/** A JSON request to /api/contest/…; rejects with ApiFailure carrying the server's message and hint. */
export async function call(path, { method = "GET", json } = {}) {
	const headers = {};
	if (json !== undefined) headers["Content-Type"] = "application/json";
	if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
	let response;
	try {
		response = await fetch(`/api/contest/${path}`, {
			method,
			headers,
			credentials: "same-origin",
			body: json !== undefined ? JSON.stringify(json) : undefined,
		});
	} catch {
		throw new ApiFailure(0, "the contest server cannot be reached", "reload the page in a moment");
	}
	if (!response.ok) throw await failure(response);
	// A success without a JSON body (none today) reads as {}.
	return response.json().catch(() => ({}));
}

/** A file's bytes as base64, read in chunks (String.fromCharCode takes a limited number of arguments). */
export async function fileBase64(file) {
	const bytes = new Uint8Array(await file.arrayBuffer());
	let binary = "";
	for (let i = 0; i < bytes.length; i += 0x8000)
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}
