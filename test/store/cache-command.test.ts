import { Command } from "commander";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { BackendInfo } from "../../src/backends/types.js";
import { formatBytes, register } from "../../src/cli/commands/cache.js";
import { CliError, exitCodes } from "../../src/cli/errors.js";
import { cacheScope } from "../../src/store/cache-keys.js";
import { openStore } from "../../src/store/store.js";
import { seq } from "../helpers/fake-backend.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

afterAll(removeTempStores);
afterEach(() => vi.restoreAllMocks());

const small: BackendInfo = {
	name: "pythia-70m",
	identity: `sha256:3f2a9c01b7e4${"0".repeat(52)}`,
	kind: "llama.cpp",
	contextLength: 2048,
	tokenizer: "bpe",
	addsBos: false,
};
const remote: BackendInfo = {
	...small,
	name: "llama-3-8b",
	kind: "openai",
	identity: "http://gpu:8000/v1|llama-3-8b|main",
};

function filledStore(): string {
	const path = tempStorePath();
	const store = openStore(path);
	for (const [info, n] of [
		[small, 3],
		[remote, 1],
	] as const) {
		store.cache.registerModel(info);
		const scope = cacheScope(info, "precision=fast");
		for (let i = 0; i < n; i++) {
			store.cache.putContinuations(
				scope,
				{ context: seq(`q${i}`), continuations: [seq("a"), seq("bc")] },
				{
					logprobs: [[-1], [-2, -3]],
				},
			);
		}
	}
	store.close();
	return path;
}

/** Runs `invscale cache …` in-process and returns what it printed on stdout. */
async function cli(...args: string[]): Promise<string> {
	const program = new Command().exitOverride();
	register(program);
	let out = "";
	vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
		out += String(chunk);
		return true;
	});
	await program.parseAsync(["node", "invscale", "cache", ...args]);
	return out;
}

describe("invscale cache stats", () => {
	it("lists entries per model with names, short identities and the path", async () => {
		const path = filledStore();
		const out = await cli("stats", "--store", path);
		const lines = out.split("\n");
		expect(lines[0]).toMatch(new RegExp(`^Score cache: ${path} \\(\\d+(\\.\\d)? KiB on disk\\)$`));
		expect(lines[2]).toMatch(
			/^model\s+identity\s+continuations\s+next-token\s+tokenizations\s+generations\s+data$/,
		);
		expect(lines[3]).toMatch(/^pythia-70m\s+sha256:3f2a9c01b7e4…\s+6\s+0\s+0\s+0\s+/);
		expect(lines[4]).toMatch(/^llama-3-8b\s+http:\/\/gpu:8000\/v1\|llama-3-8b\|main\s+2\s+0\s+0\s+0\s+/);
		expect(lines[5]).toMatch(/^total\s+8\s+0\s+0\s+0\s+\d+ B$/);
		expect(out).toContain("8 entries for 2 model(s).");
	});

	it("prints JSON for scripts, and says when there is no store yet", async () => {
		const path = filledStore();
		const stats = JSON.parse(await cli("stats", "--store", path, "--json"));
		expect(stats).toMatchObject({ path, exists: true, entries: 8 });
		expect(
			stats.models.map((m: { name: string; continuations: number }) => [m.name, m.continuations]),
		).toEqual([
			["pythia-70m", 6],
			["llama-3-8b", 2],
		]);
		const missing = `${tempStorePath()}.none`;
		expect(await cli("stats", "--store", missing)).toBe(
			`No store at ${missing} yet: the first run that caches scores creates it.\n`,
		);
	});
});

describe("invscale cache clear", () => {
	it("removes one model's entries by name or identity prefix", async () => {
		const path = filledStore();
		expect(await cli("clear", "--model", "pythia-70m", "--store", path, "--yes")).toMatch(
			new RegExp(`^Removed 6 cached entries for pythia-70m \\(sha256:3f2a9c01b7e4…\\) from ${path} \\(`),
		);
		const result = JSON.parse(
			await cli("clear", "--model", "http://gpu", "--store", path, "--yes", "--json"),
		);
		expect(result).toMatchObject({ removed: 2, models: [{ name: "llama-3-8b" }] });
		expect(JSON.parse(await cli("stats", "--store", path, "--json")).entries).toBe(0);
	});

	it("removes everything with --yes, and refuses to go on without it when it cannot ask", async () => {
		const path = filledStore();
		const refusal = await cli("clear", "--store", path).catch((error: unknown) => error);
		expect(refusal).toBeInstanceOf(CliError);
		expect((refusal as CliError).message).toBe(
			"Remove 8 cached entries for all models? Not asking: input is not a terminal.",
		);
		expect((refusal as CliError).hint).toBe("add --yes to confirm");
		expect(await cli("clear", "--store", path, "-y")).toMatch(/^Removed 8 cached entries for all models/);
		expect(await cli("clear", "--store", path, "-y")).toBe(
			`Nothing to clear: no cached entries for all models in ${path}.\n`,
		);
	});

	it("names the models it knows when --model matches none", async () => {
		const path = filledStore();
		const error = (await cli("clear", "--model", "gpt2", "--store", path, "--yes").catch(
			(e: unknown) => e,
		)) as CliError;
		expect(error.exitCode).toBe(exitCodes.usage);
		expect(error.message).toBe('no model named "gpt2" and no model identity starting with it in the cache');
		expect(error.hint).toBe(
			"models in the cache: pythia-70m sha256:3f2a9c01b7e4…, llama-3-8b http://gpu:8000/v1|llama-3-8b|main",
		);
	});
});

describe("formatBytes", () => {
	it("uses binary units with one decimal below ten", () => {
		expect(formatBytes(512)).toBe("512 B");
		expect(formatBytes(1536)).toBe("1.5 KiB");
		expect(formatBytes(20 * 1024 * 1024)).toBe("20 MiB");
	});
});
