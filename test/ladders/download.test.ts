import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DownloadProgress, ensureModelFile } from "../../src/ladders/download.js";
import type { LadderModel } from "../../src/ladders/types.js";
import { closeHubHome, openHubHome } from "../helpers/hub-home.js";
import {
	closedLoopbackEndpoint,
	generateBytes,
	type HubServer,
	startSilentServer,
} from "../helpers/hub-server.js";
import { ladderRejection } from "../helpers/ladder-errors.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function hubModel(name: string, bytes?: Buffer, extra: { size?: number; sha256?: string } = {}): LadderModel {
	return {
		name,
		family: "test",
		source: {
			kind: "hf",
			uri: `hf:owner/${name}-GGUF/${name}.Q8_0.gguf`,
			...(bytes && { size: bytes.length, sha256: sha256(bytes) }),
			...extra,
		},
	};
}

let home: string;
let hub: HubServer;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
	({ home, hub, env } = await openHubHome());
});
afterEach(() => closeHubHome({ home, hub }));

describe("ensureModelFile from the hub", () => {
	it("downloads a ladder into INVSCALE_HOME/models with progress, following the hub's redirect", async () => {
		const small = generateBytes(150_000, 1);
		const large = generateBytes(400_000, 2);
		hub.addFile("owner/small-GGUF", "small.Q8_0.gguf", small, { redirect: true });
		hub.addFile("owner/large-GGUF", "large.Q8_0.gguf", large);
		const seen: DownloadProgress[] = [];
		for (const [name, bytes] of [
			["small", small],
			["large", large],
		] as const) {
			const path = await ensureModelFile(hubModel(name, bytes), { env, onProgress: (p) => seen.push(p) });
			expect(path).toBe(join(home, "models", "owner", `${name}-GGUF`, `${name}.Q8_0.gguf`));
			expect(readFileSync(path).equals(bytes)).toBe(true);
			expect(existsSync(`${path}.part`)).toBe(false);
			expect(existsSync(`${path}.lock`)).toBe(false);
		}
		const largeProgress = seen.filter((p) => p.file === "large.Q8_0.gguf");
		expect(largeProgress.at(-1)).toMatchObject({ bytes: 400_000, total: 400_000 });
		const counts = largeProgress.map((p) => p.bytes);
		expect(counts).toEqual([...counts].sort((a, b) => a - b));
		expect(seen.filter((p) => p.file === "small.Q8_0.gguf").at(-1)?.bytes).toBe(150_000);
		// small: the resolve URL, then the redirect target; large: one request. No ranges asked.
		expect(hub.requests.map((r) => r.path)).toEqual([
			"/owner/small-GGUF/resolve/main/small.Q8_0.gguf",
			"/cdn/owner/small-GGUF/resolve/main/small.Q8_0.gguf",
			"/owner/large-GGUF/resolve/main/large.Q8_0.gguf",
		]);
		expect(hub.requests.every((r) => r.range === undefined)).toBe(true);
	});

	it("returns the cached file without asking the hub again", async () => {
		const bytes = generateBytes(10_000);
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", bytes);
		const first = await ensureModelFile(hubModel("m", bytes), { env });
		expect(await ensureModelFile(hubModel("m", bytes), { env })).toBe(first);
		expect(hub.requests).toHaveLength(1);
	});

	it("resumes a transfer broken off halfway, asking only for the remaining range", async () => {
		const bytes = generateBytes(300_000, 3);
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", bytes, { breakAfter: 120_000 });
		const path = await ensureModelFile(hubModel("m", bytes), { env });
		expect(readFileSync(path).equals(bytes)).toBe(true);
		expect(hub.requests.map((r) => r.range)).toEqual([undefined, "bytes=120000-"]);
	});

	it("keeps the .part of a broken transfer and resumes it on the next call", async () => {
		const bytes = generateBytes(200_000, 4);
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", bytes, { breakAfter: 80_000 });
		const error = await ladderRejection(ensureModelFile(hubModel("m", bytes), { env, retries: 0 }));
		expect(error.code).toBe("network");
		const part = join(home, "models", "owner", "m-GGUF", "m.Q8_0.gguf.part");
		expect(statSync(part).size).toBe(80_000);
		const path = await ensureModelFile(hubModel("m", bytes), { env });
		expect(readFileSync(path).equals(bytes)).toBe(true);
		expect(hub.requests.map((r) => r.range)).toEqual([undefined, "bytes=80000-"]);
	});

	it("deletes a file whose sha256 is wrong and says so", async () => {
		const bytes = generateBytes(50_000, 5);
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", bytes, { wrongBytes: true });
		const error = await ladderRejection(ensureModelFile(hubModel("m", bytes), { env }));
		expect(error.code).toBe("checksum");
		expect(error.message).toContain(`expected ${sha256(bytes)}`);
		expect(error.message).toContain("deleted");
		const folder = join(home, "models", "owner", "m-GGUF");
		expect(existsSync(join(folder, "m.Q8_0.gguf"))).toBe(false);
		expect(existsSync(join(folder, "m.Q8_0.gguf.part"))).toBe(false);
	});

	it("refuses before downloading when the hub's size differs from the expected size", async () => {
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", generateBytes(1000));
		const error = await ladderRejection(ensureModelFile(hubModel("m", undefined, { size: 2000 }), { env }));
		expect(error.code).toBe("checksum");
		expect(error.message).toContain("has 1000 bytes, but 2000 were expected");
	});

	it("sends HF_TOKEN as a bearer token and never prints it", async () => {
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", generateBytes(10), { status: 401 });
		const error = await ladderRejection(
			ensureModelFile(hubModel("m"), { env: { ...env, HF_TOKEN: "hf_secret123" } }),
		);
		expect(hub.requests[0].authorization).toBe("Bearer hf_secret123");
		expect(error.code).toBe("hub-error");
		expect(`${error.message} ${error.hint}`).not.toContain("hf_secret123");
		expect(error.hint).toContain("HF_TOKEN");
	});

	it("names a missing file on the hub (404)", async () => {
		const error = await ladderRejection(ensureModelFile(hubModel("absent"), { env }));
		expect(error.code).toBe("hub-error");
		expect(error.message).toContain("HTTP 404 for hf:owner/absent-GGUF/absent.Q8_0.gguf");
	});

	it("stops a stalled transfer after the idle timeout and keeps the partial file", async () => {
		const bytes = generateBytes(100_000, 6);
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", bytes, { stallAfter: 40_000 });
		const error = await ladderRejection(
			ensureModelFile(hubModel("m", bytes), { env, idleTimeoutMs: 300, retries: 0 }),
		);
		expect(error.code).toBe("network");
		expect(error.message).toContain("stalled (no data for 0.3 s)");
		expect(statSync(join(home, "models", "owner", "m-GGUF", "m.Q8_0.gguf.part")).size).toBe(40_000);
	});

	it("stops when the caller aborts", async () => {
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", generateBytes(100_000), { stallAfter: 10 });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const error = await ladderRejection(ensureModelFile(hubModel("m"), { env, signal: controller.signal }));
		expect(error.code).toBe("aborted");
	});
});

describe("ensureModelFile offline", () => {
	it("uses the cached file and makes no request (option, INVSCALE_OFFLINE, HF_HUB_OFFLINE)", async () => {
		const bytes = generateBytes(20_000);
		hub.addFile("owner/m-GGUF", "m.Q8_0.gguf", bytes);
		const path = await ensureModelFile(hubModel("m", bytes), { env });
		const before = hub.requests.length;
		expect(await ensureModelFile(hubModel("m", bytes), { env, offline: true })).toBe(path);
		expect(await ensureModelFile(hubModel("m", bytes), { env: { ...env, INVSCALE_OFFLINE: "1" } })).toBe(
			path,
		);
		expect(await ensureModelFile(hubModel("m", bytes), { env: { ...env, HF_HUB_OFFLINE: "1" } })).toBe(path);
		expect(hub.requests.length - before).toBe(0);
	});

	it("names the missing file and how to get it, without touching the network", async () => {
		const error = await ladderRejection(
			ensureModelFile(hubModel("m"), { env: { ...env, INVSCALE_OFFLINE: "1" }, ladder: "pythia" }),
		);
		expect(error.code).toBe("model-missing");
		expect(error.message).toContain(join(home, "models", "owner", "m-GGUF", "m.Q8_0.gguf"));
		expect(error.hint).toContain("invscale pull pythia");
		expect(error.hint).toContain("--models");
		expect(hub.requests).toHaveLength(0);
	});

	it("accepts a file copied directly into the models folder", async () => {
		mkdirSync(join(home, "models"), { recursive: true });
		const flat = join(home, "models", "m.Q8_0.gguf");
		writeFileSync(flat, generateBytes(10));
		expect(await ensureModelFile(hubModel("m"), { env, offline: true })).toBe(flat);
	});
});

describe("ensureModelFile without network", () => {
	it("fails at once with a message saying what to do when the hub's port is closed", async () => {
		const endpoint = await closedLoopbackEndpoint();
		const started = Date.now();
		const error = await ladderRejection(
			ensureModelFile(hubModel("m"), { env: { ...env, HF_ENDPOINT: endpoint }, ladder: "pythia" }),
		);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(error.code).toBe("network");
		expect(error.message).toContain(`cannot reach the model hub at ${endpoint} (connection refused)`);
		expect(error.hint).toContain("--models");
		expect(error.hint).toContain("invscale pull pythia");
	});

	it("gives up on a hub that accepts and never answers after the connect timeout", async () => {
		const silent = await startSilentServer();
		try {
			const started = Date.now();
			const error = await ladderRejection(
				ensureModelFile(hubModel("m"), {
					env: { ...env, HF_ENDPOINT: silent.endpoint, INVSCALE_CONNECT_TIMEOUT_MS: "300" },
				}),
			);
			expect(Date.now() - started).toBeLessThan(5000);
			expect(silent.connections()).toBeGreaterThan(0);
			expect(error.code).toBe("network");
			expect(error.message).toContain("(no answer within 0.3 s)");
		} finally {
			await silent.close();
		}
	});
});

describe("ensureModelFile for local files", () => {
	it("returns an existing file and names a missing one", async () => {
		const path = join(home, "a.gguf");
		writeFileSync(path, "x");
		expect(await ensureModelFile({ name: "a", family: "default", source: { kind: "file", path } })).toBe(
			path,
		);
		const error = await ladderRejection(
			ensureModelFile({ name: "b", family: "default", source: { kind: "file", path: join(home, "b.gguf") } }),
		);
		expect(error.code).toBe("model-missing");
		expect(error.message).toContain(join(home, "b.gguf"));
	});
});
