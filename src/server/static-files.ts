/**
 * @module The browser app's files: `web/` and the browser builds of vega and vega-lite from
 * node_modules (the app works offline; nothing comes from a CDN).
 */
import { existsSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveInside } from "./safe-path.js";

const here = dirname(fileURLToPath(import.meta.url));

/** `web/` beside `src/` or `dist/` (both two levels above this file). */
export const webRoot = join(here, "..", "..", "web");

/** A package file found by walking up from this module to the nearest node_modules that has it. */
function packageFile(pkg: string, file: string): string | undefined {
	let dir = here;
	for (;;) {
		const candidate = join(dir, "node_modules", pkg, file);
		if (existsSync(candidate)) return candidate;
		const up = dirname(dir);
		if (up === dir) return undefined;
		dir = up;
	}
}

const vendor: Record<string, [string, string]> = {
	"vega.min.js": ["vega", "build/vega.min.js"],
	"vega-lite.min.js": ["vega-lite", "build/vega-lite.min.js"],
};

const types: Record<string, string> = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
	".json": "application/json; charset=utf-8",
};

export function contentType(path: string): string {
	return types[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/** Serves `urlPath` (already decoded) from web/ or the vendor builds; false when there is no such file. */
export function serveStatic(urlPath: string, res: ServerResponse): boolean {
	let file: string | undefined;
	if (urlPath.startsWith("/vendor/")) {
		const entry = vendor[urlPath.slice("/vendor/".length)];
		file = entry ? packageFile(...entry) : undefined;
	} else {
		const relativePath = urlPath === "/" ? "index.html" : urlPath.slice(1);
		const safe = resolveInside(webRoot, relativePath);
		file = safe.ok ? safe.path : undefined;
	}
	if (!file) return false;
	let body: Buffer;
	try {
		body = readFileSync(file);
	} catch {
		return false;
	}
	res.writeHead(200, {
		"content-type": contentType(file),
		"content-length": body.length,
		"cache-control": "no-cache",
		"x-content-type-options": "nosniff",
		"content-security-policy":
			"default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'",
	});
	res.end(body);
	return true;
}
