import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveLadder } from "../../src/ladders/resolve.js";
import { loadUserLadders } from "../../src/ladders/user-ladders.js";
import { ladderRejection } from "../helpers/ladder-errors.js";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
	home = mkdtempSync(join(tmpdir(), "invscale-"));
	env = { INVSCALE_HOME: home };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const names = (ladder: { models: Array<{ name: string }> }) => ladder.models.map((model) => model.name);

describe("resolveLadder", () => {
	it("finds catalog ladders and subsets", async () => {
		expect(names(await resolveLadder("gpt2", { env }))).toEqual([
			"distilgpt2",
			"gpt2",
			"gpt2-medium",
			"gpt2-large",
			"gpt2-xl",
		]);
		expect(names(await resolveLadder("pythia-small", { env }))).toHaveLength(3);
	});

	it("picks sizes by suffix, alias or full name, keeping ladder order", async () => {
		expect(names(await resolveLadder("pythia:410m,160m", { env }))).toEqual(["pythia-160m", "pythia-410m"]);
		expect(names(await resolveLadder("gpt2:xl,distil,gpt2", { env }))).toEqual([
			"distilgpt2",
			"gpt2",
			"gpt2-xl",
		]);
		expect(names(await resolveLadder("qwen3-base:0.6B,8b", { env }))).toEqual([
			"qwen3-0.6b-base",
			"qwen3-8b-base",
		]);
		const picked = await resolveLadder("pythia:160m", { env });
		expect(picked.name).toBe("pythia");
		expect(picked.description).toContain("pythia-160m");
	});

	it("lists the ladder's sizes when a size is unknown", async () => {
		const error = await ladderRejection(resolveLadder("pythia:160m,3b", { env }));
		expect(error.message).toBe('ladder "pythia" has no size "3b"');
		expect(error.hint).toContain("160m (pythia-160m)");
		expect(error.hint).toContain("6.9b (pythia-6.9b)");
	});

	it("lists the known ladders when a name is unknown", async () => {
		const error = await ladderRejection(resolveLadder("pythiaa", { env }));
		expect(error.code).toBe("unknown-ladder");
		expect(error.message).toBe('unknown ladder "pythiaa"');
		for (const name of ["pythia", "gpt2", "smollm2", "qwen3-base", "pythia-small"])
			expect(error.hint).toContain(name);
	});

	it("loads a ladder file by path, relative to cwd, with sizes too", async () => {
		writeFileSync(
			join(home, "l.yaml"),
			"name: l\nmodels:\n  - name: l-1m\n    file: a.gguf\n  - name: l-2m\n    file: b.gguf\n",
		);
		expect(names(await resolveLadder("l.yaml", { cwd: home, env }))).toEqual(["l-1m", "l-2m"]);
		expect(names(await resolveLadder("l.yaml:2m", { cwd: home, env }))).toEqual(["l-2m"]);
		const missing = await ladderRejection(resolveLadder("nope.yaml", { cwd: home, env }));
		expect(missing.message).toContain("no such file");
	});

	it("reads user ladders from INVSCALE_HOME/ladders.yaml and --ladders-config, the latter winning", async () => {
		writeFileSync(
			join(home, "ladders.yaml"),
			"ladders:\n  - name: mine\n    models:\n      - file: models/x.gguf\n  - name: pythia\n    models:\n      - file: p.gguf\n",
		);
		const extra = join(home, "extra.yaml");
		writeFileSync(extra, "- name: mine\n  models:\n    - file: y.gguf\n    - file: z.gguf\n");
		expect((await resolveLadder("mine", { env })).models[0].source).toEqual({
			kind: "file",
			path: join(home, "models", "x.gguf"),
		});
		expect(names(await resolveLadder("mine", { env, configFile: extra }))).toEqual(["y", "z"]);
		// A user ladder shadows the catalog ladder of the same name.
		expect(names(await resolveLadder("pythia", { env }))).toEqual(["p"]);
		const error = await ladderRejection(resolveLadder("other", { env }));
		expect(error.hint).toContain("your ladders: mine, pythia");
	});

	it("names the config file, ladder and model of an invalid user ladder", () => {
		writeFileSync(
			join(home, "ladders.yaml"),
			"ladders:\n  - name: a\n    models:\n      - name: m\n        file: m.gguf\n        parameters: lots\n",
		);
		try {
			loadUserLadders(undefined, env);
			expect.unreachable();
		} catch (error) {
			expect((error as Error).message).toContain(join(home, "ladders.yaml"));
			expect((error as Error).message).toContain(
				'ladder 1 "a": model 1 "m": parameters: "lots" is not a count',
			);
		}
	});
});
