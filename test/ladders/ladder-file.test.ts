import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ladderFromModelPaths } from "../../src/ladders/from-paths.js";
import { loadLadderFile } from "../../src/ladders/ladder-file.js";
import { ladderError } from "../helpers/ladder-errors.js";

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), "invscale-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
}

describe("loadLadderFile", () => {
	it("reads files, hub URIs and servers, with counts written as 160M, 1.4B, 300B", () => {
		mkdirSync(join(dir, "sub"));
		const path = write(
			"sub/ladder.yaml",
			`name: mine
description: two local, one hub, one server
models:
  - name: tiny
    file: models/tiny.gguf
    family: pythia
    parameters: 160M
    non_embedding_parameters: 85_056_000
    training_tokens: 300B
  - file: /abs/big.gguf
    parameters: 1.4B
  - uri: hf:owner/repo/x.Q8_0.gguf
    size: 1_000
    sha256: ${"AB".repeat(32)}
  - name: served
    family: llama
    openai:
      base_url: [http://127.0.0.1:8001/v1, http://127.0.0.1:8002/v1]
      model: llama-3-8b
      api_key_env: MY_KEY
      revision: r1
    parameters: 8B
`,
		);
		const ladder = loadLadderFile(path);
		expect(ladder.name).toBe("mine");
		expect(ladder.description).toBe("two local, one hub, one server");
		expect(ladder.models).toEqual([
			{
				name: "tiny",
				family: "pythia",
				source: { kind: "file", path: join(dir, "sub", "models", "tiny.gguf") },
				parameters: 160_000_000,
				nonEmbeddingParameters: 85_056_000,
				trainingTokens: 300_000_000_000,
			},
			{
				name: "big",
				family: "default",
				source: { kind: "file", path: "/abs/big.gguf" },
				parameters: 1_400_000_000,
			},
			{
				name: "x.Q8_0",
				family: "default",
				source: { kind: "hf", uri: "hf:owner/repo/x.Q8_0.gguf", size: 1000, sha256: "ab".repeat(32) },
			},
			{
				name: "served",
				family: "llama",
				source: {
					kind: "openai",
					baseUrls: ["http://127.0.0.1:8001/v1", "http://127.0.0.1:8002/v1"],
					model: "llama-3-8b",
					apiKeyEnv: "MY_KEY",
					revision: "r1",
				},
				parameters: 8_000_000_000,
				// The checkpoint is also the model's own revision, whichever way it was written.
				revision: "r1",
			},
		]);
	});

	it("reads chat servers and Claude, with Anthropic's address by default", () => {
		const path = write(
			"chat.yaml",
			`name: thinkers
models:
  - name: o3-mini
    openai: { base_url: https://api.openai.com/v1, model: o3-mini, api: chat }
  - name: qwen3-8b
    openai: { base_url: http://10.0.0.5:8000/v1, model: Qwen/Qwen3-8B, api: completions }
  - anthropic: { model: claude-sonnet-4-5 }
  - name: claude-proxy
    anthropic: { model: claude-opus-4-1, base_url: http://127.0.0.1:9000/v1, api_key_env: PROXY_KEY }
`,
		);
		expect(loadLadderFile(path).models.map((m) => m.source)).toEqual([
			{ kind: "openai", baseUrls: ["https://api.openai.com/v1"], model: "o3-mini", api: "chat" },
			{ kind: "openai", baseUrls: ["http://10.0.0.5:8000/v1"], model: "Qwen/Qwen3-8B", api: "completions" },
			{ kind: "anthropic", baseUrls: ["https://api.anthropic.com/v1"], model: "claude-sonnet-4-5" },
			{
				kind: "anthropic",
				baseUrls: ["http://127.0.0.1:9000/v1"],
				model: "claude-opus-4-1",
				apiKeyEnv: "PROXY_KEY",
			},
		]);
		const bad = ladderError(() =>
			loadLadderFile(
				write(
					"bad-chat.yaml",
					"models:\n  - openai: { base_url: http://h/v1, model: m, api: chatty }\n  - anthropic: { model: c, revision: x }\n",
				),
			),
		);
		expect(bad.message).toMatch(/model 1: openai: api: .*"completions".*"chat"/);
		expect(bad.message).toContain(
			'unknown field "revision" (an anthropic block takes model, base_url, api_key_env)',
		);
	});

	it("names the ladder after the file when it has no name", () => {
		const ladder = loadLadderFile(write("my-models.yml", "models:\n  - file: a.gguf\n"));
		expect(ladder.name).toBe("my-models");
	});

	it("names the file, the model entry and the fix for each problem", () => {
		const path = write(
			"bad.yaml",
			`name: bad
models:
  - name: ok
    file: a.gguf
  - name: pythia-1b
    file: b.gguf
    training_tokens: 3OOB
  - name: both
    file: c.gguf
    uri: hf:o/r/c.gguf
  - name: typo
    file: d.gguf
    paramaters: 1B
`,
		);
		const error = ladderError(() => loadLadderFile(path));
		expect(error.code).toBe("invalid-ladder");
		expect(error.message).toContain(path);
		expect(error.message).toContain('model 2 "pythia-1b": training_tokens: "3OOB" is not a count');
		expect(error.message).toContain(
			'model 3 "both": has file and uri; give exactly one of file, uri, openai or anthropic',
		);
		expect(error.message).toContain('model 4 "typo": unknown field "paramaters"');
		expect(error.message).not.toContain('"ok"');
	});

	it("rejects duplicate model names and bad hub URIs", () => {
		const duplicate = ladderError(() =>
			loadLadderFile(write("d.yaml", "name: d\nmodels:\n  - file: x/a.gguf\n  - file: y/a.gguf\n")),
		);
		expect(duplicate.message).toContain('more than one model named "a"');
		const uri = ladderError(() =>
			loadLadderFile(write("u.yaml", "name: u\nmodels:\n  - uri: hf:only-owner/file.gguf\n")),
		);
		expect(uri.message).toContain("model 1: uri:");
		expect(uri.message).toContain("needs owner, repository and file");
	});

	it("points at the line and column of a YAML syntax error", () => {
		const path = write("syntax.yaml", "name: s\nmodels:\n  - file: [a.gguf\n");
		expect(ladderError(() => loadLadderFile(path)).message).toMatch(
			new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: not valid YAML`),
		);
	});

	it("says when the file does not exist", () => {
		expect(ladderError(() => loadLadderFile(join(dir, "none.yaml"))).message).toContain("no such file");
	});
});

describe("ladderFromModelPaths", () => {
	it("names each model after its file and guesses the family from the name", () => {
		const ladder = ladderFromModelPaths(
			"models/pythia-160m.Q8_0.gguf, other/tiny.gguf,distilgpt2.gguf",
			"/work",
		);
		expect(ladder.models).toEqual([
			{
				name: "pythia-160m.Q8_0",
				family: "pythia",
				source: { kind: "file", path: "/work/models/pythia-160m.Q8_0.gguf" },
			},
			{ name: "tiny", family: "default", source: { kind: "file", path: "/work/other/tiny.gguf" } },
			{ name: "distilgpt2", family: "gpt2", source: { kind: "file", path: "/work/distilgpt2.gguf" } },
		]);
	});

	it("refuses two files that would get the same name, and an empty list", () => {
		expect(ladderError(() => ladderFromModelPaths("a/m.gguf,b/m.gguf")).message).toContain(
			'would both be named "m"',
		);
		expect(ladderError(() => ladderFromModelPaths(" , ")).code).toBe("invalid-ladder");
	});
});
