/**
 * Checkpoint entries of ladder files: `step`, `training_tokens` and `revision` per model, hub files
 * by revision (`…/file.gguf#step64000`), Pythia tokens from steps, and the mistakes named.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureModelFile } from "../../src/ladders/download.js";
import { hfFileUrl, parseHfUri } from "../../src/ladders/hf-uri.js";
import { loadLadderFile } from "../../src/ladders/ladder-file.js";
import { hfLocalCandidates } from "../../src/ladders/local-files.js";
import { repoRoot } from "../helpers/cli.js";
import { generateBytes, type HubServer, startHubServer } from "../helpers/hub-server.js";
import { ladderError } from "../helpers/ladder-errors.js";

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), "invscale-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function ladder(text: string) {
	const path = join(dir, "ladder.yaml");
	writeFileSync(path, text);
	return loadLadderFile(path);
}

describe("hub URIs at a revision", () => {
	it("reads #revision and @revision alike, and downloads from /resolve/<revision>/", () => {
		const a = parseHfUri("hf:EleutherAI/pythia-70m/pythia-70m.gguf#step64000");
		const b = parseHfUri("hf:EleutherAI/pythia-70m@step64000/pythia-70m.gguf");
		expect(a).toEqual(b);
		if (!a.ok) throw new Error(a.reason);
		expect(a.ref).toEqual({
			owner: "EleutherAI",
			repo: "pythia-70m",
			revision: "step64000",
			file: "pythia-70m.gguf",
		});
		expect(hfFileUrl(a.ref, "https://huggingface.co")).toBe(
			"https://huggingface.co/EleutherAI/pythia-70m/resolve/step64000/pythia-70m.gguf",
		);
		expect(parseHfUri("hf:o/r@step1/f.gguf#step2")).toMatchObject({ ok: false, reason: /two revisions/ });
		expect(parseHfUri("hf:o/r/f.gguf#")).toMatchObject({ ok: false });
	});

	it("each revision has its own cache path; a bare file name stands only for the default revision", () => {
		const env = { INVSCALE_HOME: dir };
		const models = join(dir, "models");
		expect(hfLocalCandidates("hf:o/r/f.gguf#step1000", env)).toEqual([
			join(models, "o", "r@step1000", "f.gguf"),
		]);
		expect(hfLocalCandidates("hf:o/r/f.gguf", env)).toEqual([
			join(models, "o", "r", "f.gguf"),
			join(models, "f.gguf"),
		]);
	});
});

describe("checkpoint entries of a ladder file", () => {
	it("takes step, training_tokens and revision; Pythia steps give tokens; revisions stepN give steps", () => {
		const { models } = ladder(`name: grid
models:
  - uri: hf:EleutherAI/pythia-70m/pythia-70m.gguf
    revision: step64000
  - uri: hf:EleutherAI/pythia-70m/pythia-70m.gguf#step1000
  - name: pythia-160m-early
    file: p160-step512.gguf
    step: 512
  - name: olmo-1b-s10
    family: olmo
    file: o.gguf
    step: 10000
    training_tokens: 42B
  - name: served
    family: pythia
    openai: { base_url: http://127.0.0.1:8000/v1, model: EleutherAI/pythia-410m }
    revision: step143000
`);
		expect(models[0]).toMatchObject({
			name: "pythia-70m-step64000",
			family: "pythia",
			source: { kind: "hf", uri: "hf:EleutherAI/pythia-70m/pythia-70m.gguf#step64000" },
			revision: "step64000",
			step: 64000,
			trainingTokens: 64000 * 2097152,
		});
		expect(models[1]).toMatchObject({ name: "pythia-70m-step1000", step: 1000, trainingTokens: 2097152000 });
		expect(models[2]).toMatchObject({ step: 512, trainingTokens: 512 * 2097152 });
		expect(models[2].revision).toBeUndefined();
		// Not Pythia: tokens only as given.
		expect(models[3]).toMatchObject({ step: 10000, trainingTokens: 42e9 });
		expect(models[4]).toMatchObject({
			source: { kind: "openai", revision: "step143000" },
			step: 143000,
			trainingTokens: 143000 * 2097152,
		});
	});

	it("the axes guide's 4 sizes × 4 steps ladder reads as 16 checkpoints with steps and tokens", () => {
		const guide = readFileSync(join(repoRoot, "docs", "axes.md"), "utf8");
		const yaml = /```yaml\n(# pythia-grid\.yaml[\s\S]*?)```/.exec(guide)?.[1];
		if (!yaml) throw new Error("docs/axes.md has no pythia-grid.yaml block");
		const { models } = ladder(yaml);
		expect(models).toHaveLength(16);
		const sizes = ["70m", "160m", "410m", "1b"];
		const steps = [1000, 8000, 64000, 143000];
		expect(models.map((m) => [m.name, m.family, m.step, m.trainingTokens])).toEqual(
			sizes.flatMap((size) =>
				steps.map((step) => [`pythia-${size}-step${step}`, "pythia", step, step * 1024 * 2048]),
			),
		);
	});

	it("the ladders guide's ladder file example reads, its checkpoint entry included", () => {
		const guide = readFileSync(join(repoRoot, "docs", "ladders.md"), "utf8");
		const yaml = /```yaml\n(name: my-ladder\n[\s\S]*?)```/.exec(guide)?.[1];
		if (!yaml) throw new Error("docs/ladders.md has no my-ladder block");
		const last = ladder(yaml).models.at(-1);
		expect(last).toMatchObject({
			name: "tiny-step64000",
			source: { kind: "hf", uri: "hf:owner/repo/tiny.gguf#step64000" },
			revision: "step64000",
			step: 64000,
			trainingTokens: 134e9,
		});
	});

	it("step 0 is the untrained start; conflicting revisions and steps are named", () => {
		expect(
			ladder(`name: z\nmodels:\n  - { name: pythia-70m-s0, file: a.gguf, step: 0 }\n`).models[0],
		).toMatchObject({
			step: 0,
			trainingTokens: 0,
		});
		const conflict = ladderError(() =>
			ladder(`name: c
models:
  - uri: hf:o/pythia/p.gguf#step1000
    revision: step2000
  - file: b.gguf
    revision: step3000
    step: 4000
  - file: c.gguf
    step: -1
`),
		);
		expect(conflict.message).toMatch(
			/model 1: revision: "step2000" differs from the uri's revision "step1000"/,
		);
		expect(conflict.message).toMatch(/model 2: step: 4000 differs from the step the revision names \(3000\)/);
		expect(conflict.message).toMatch(/model 3: step: "-1" is not a training step/);
	});
});

describe("downloading a hub file by revision", () => {
	let hub: HubServer;
	beforeEach(async () => {
		hub = await startHubServer();
	});
	afterEach(() => hub.close());

	it("fetches /resolve/<revision>/, keeps each revision apart, and never takes the bare file for a revision", async () => {
		const env = { INVSCALE_HOME: dir, HF_ENDPOINT: hub.endpoint };
		const main = generateBytes(5000, 1);
		const early = generateBytes(5000, 2);
		hub.addFile("EleutherAI/pythia-70m", "p.gguf", main);
		hub.addFile("EleutherAI/pythia-70m", "p.gguf", early, {}, "step1000");
		// A file of the default revision directly in the models folder.
		mkdirSync(join(dir, "models"), { recursive: true });
		writeFileSync(join(dir, "models", "p.gguf"), main);
		const { models } = ladder(`name: r
models:
  - { name: early, uri: "hf:EleutherAI/pythia-70m/p.gguf", revision: step1000 }
`);
		const path = await ensureModelFile(models[0], { env });
		expect(path).toBe(join(dir, "models", "EleutherAI", "pythia-70m@step1000", "p.gguf"));
		expect(readFileSync(path).equals(early)).toBe(true);
		expect(hub.requests.map((r) => r.path)).toEqual(["/EleutherAI/pythia-70m/resolve/step1000/p.gguf"]);
		// Offline, the revision is found in its own cache path.
		expect(await ensureModelFile(models[0], { env, offline: true })).toBe(path);
	});
});
