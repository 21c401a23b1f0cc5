import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { register as registerLadders } from "../../src/cli/commands/ladders.js";
import { register as registerPull } from "../../src/cli/commands/pull.js";
import { LadderError } from "../../src/ladders/errors.js";
import {
	closedLoopbackEndpoint,
	generateBytes,
	type HubServer,
	startHubServer,
} from "../helpers/hub-server.js";

let home: string;
let hub: HubServer;
let out: string;
let err: string;

async function invscale(...args: string[]): Promise<void> {
	const program = new Command().exitOverride();
	registerLadders(program);
	registerPull(program);
	await program.parseAsync(["node", "invscale", ...args]);
}

beforeEach(async () => {
	home = mkdtempSync(join(tmpdir(), "invscale-"));
	hub = await startHubServer();
	vi.stubEnv("INVSCALE_HOME", home);
	vi.stubEnv("HF_ENDPOINT", hub.endpoint);
	out = "";
	err = "";
	vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
		out += String(chunk);
		return true;
	});
	vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
		err += String(chunk);
		return true;
	});
	hub.addFile("owner/a-GGUF", "a.Q8_0.gguf", generateBytes(30_000, 1));
	hub.addFile("owner/b-GGUF", "b.Q8_0.gguf", generateBytes(70_000, 2));
	writeFileSync(
		join(home, "ladders.yaml"),
		`ladders:
  - name: tiny
    models:
      - name: tiny-a
        uri: hf:owner/a-GGUF/a.Q8_0.gguf
        size: 30_000
        parameters: 1M
      - name: tiny-b
        uri: hf:owner/b-GGUF/b.Q8_0.gguf
        parameters: 2M
`,
	);
});

afterEach(async () => {
	vi.restoreAllMocks();
	vi.unstubAllEnvs();
	await hub.close();
	rmSync(home, { recursive: true, force: true });
});

describe("invscale pull and invscale ladders", () => {
	it("pulls a user ladder with progress, then lists it as on disk", async () => {
		await invscale("ladders", "--json");
		const before = JSON.parse(out).ladders.find((ladder: { name: string }) => ladder.name === "tiny");
		expect(before.models.map((model: { state: { kind: string } }) => model.state.kind)).toEqual([
			"missing",
			"missing",
		]);

		out = "";
		await invscale("pull", "tiny");
		expect(out).toBe("tiny: 2 models ready, 100 kB on disk (100 kB downloaded now)\n");
		expect(err).toContain("a.Q8_0.gguf  100%  30.0 kB / 30.0 kB");
		expect(err).toMatch(/b\.Q8_0\.gguf .*done/);
		expect(
			readFileSync(join(home, "models", "owner", "b-GGUF", "b.Q8_0.gguf")).equals(generateBytes(70_000, 2)),
		).toBe(true);

		out = "";
		await invscale("ladders");
		expect(out).toMatch(/tiny-a\s+default\s+1M\s+\?\s+\?\s+30\.0 kB\s+on disk/);
		expect(out).toContain("all files on disk");
		expect(out).toMatch(/pythia-160m\s+pythia\s+162M\s+85M\s+300B\s+175 MB\s+-/);

		out = "";
		await invscale("pull", "tiny");
		expect(out).toContain("(0 B downloaded now)");
		expect(hub.requests).toHaveLength(2);
	});

	it("fails within seconds, saying what to do, when the hub cannot be reached", async () => {
		vi.stubEnv("HF_ENDPOINT", await closedLoopbackEndpoint());
		const began = performance.now();
		const error = await invscale("pull", "pythia:160m").then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(LadderError);
		expect((error as LadderError).message).toContain("connection refused");
		expect((error as LadderError).hint).toContain("invscale pull pythia:160m");
		// A refused connection is final: no retry loop or connect timeout may stretch it out.
		expect(performance.now() - began).toBeLessThan(5000);
	});
});
