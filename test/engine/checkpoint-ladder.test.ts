/**
 * One run over a checkpoint ladder plus a size ladder: random-weight GGUF files as the checkpoints
 * of two sizes (one size downloaded by revision from a local stand-in for the hub, one from local
 * files), plus a size ladder of another family. run.json and summary.json carry the coordinates.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../../src/report/index.js";
import { countShapeParameters } from "../../src/testing/gguf-writer.js";
import { runCli } from "../helpers/cli.js";
import { type HubServer, startHubServer } from "../helpers/hub-server.js";
import { randomModel, TEST_SHAPES } from "../helpers/models.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "eval");
const STEP_TOKENS = 1024 * 2048;
const VOCAB = 512;
let hub: HubServer;
let home: string;
const served = new Map<string, Buffer>();

beforeAll(async () => {
	hub = await startHubServer();
	home = mkdtempSync(join(tmpdir(), "invscale-ckpt-"));
	// The checkpoints of the "b" size on the hub: the same shape, other weights per revision.
	for (const [step, seed] of [
		[1000, 11],
		[2000, 12],
	]) {
		const bytes = readFileSync(await randomModel("tiny-b", TEST_SHAPES["tiny-b"], seed));
		served.set(`step${step}`, bytes);
		hub.addFile("EleutherAI/pythia-tiny-b", "pythia-tiny-b.gguf", bytes, {}, `step${step}`);
	}
});
afterAll(() => hub?.close());

describe("a size × checkpoint ladder", () => {
	it("records parameters, training tokens, step, compute and revision of every condition", async () => {
		const a1000 = await randomModel("tiny-a", TEST_SHAPES["tiny-a"], 21);
		const a2000 = await randomModel("tiny-a", TEST_SHAPES["tiny-a"], 22);
		const c = await randomModel("tiny-c");
		const ladderFile = join(home, "grid.yaml");
		writeFileSync(
			ladderFile,
			`name: grid
models:
  - { name: pythia-tiny-a-step2000, family: pythia, file: ${a2000}, revision: step2000 }
  - { name: pythia-tiny-a-step1000, family: pythia, file: ${a1000}, step: 1000 }
  - uri: hf:EleutherAI/pythia-tiny-b/pythia-tiny-b.gguf#step2000
  - uri: hf:EleutherAI/pythia-tiny-b/pythia-tiny-b.gguf
    revision: step1000
  - { name: other-c, family: other, file: ${c}, training_tokens: 5B }
`,
		);
		const out = join(home, "runs");
		const result = await runCli(
			[
				"eval",
				join(fixtures, "classification.csv"),
				"--ladder",
				ladderFile,
				"--out",
				out,
				"--precision",
				"exact",
				"--no-cache",
				"--no-report",
			],
			{ INVSCALE_HOME: home, HF_ENDPOINT: hub.endpoint },
		);
		expect(result.stderr).not.toMatch(/error:/);
		expect(result.code).toBe(0);
		const dir = join(out, "classification");
		const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
		const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
		const n = (shape: string) => countShapeParameters(TEST_SHAPES[shape], VOCAB);

		// Smallest first, within a size the earlier checkpoint first; hub files, whose size is known
		// only once downloaded (the ladder gives none), after the files of known size.
		const expected = [
			{ name: "pythia-tiny-a-step1000", N: n("tiny-a"), step: 1000, revision: undefined },
			{ name: "pythia-tiny-a-step2000", N: n("tiny-a"), step: 2000, revision: "step2000" },
			{ name: "pythia-tiny-b-step1000", N: n("tiny-b"), step: 1000, revision: "step1000" },
			{ name: "pythia-tiny-b-step2000", N: n("tiny-b"), step: 2000, revision: "step2000" },
		];
		expect(run.models.map((m: { name: string }) => m.name)).toEqual([
			"pythia-tiny-a-step1000",
			"pythia-tiny-a-step2000",
			"other-c",
			"pythia-tiny-b-step1000",
			"pythia-tiny-b-step2000",
		]);
		for (const e of expected) {
			const m = run.models.find((x: { name: string }) => x.name === e.name);
			const tokens = e.step * STEP_TOKENS;
			expect(m.status).toBe("ok");
			expect(m.model).toBe(e.name);
			expect(m.family).toBe("pythia");
			expect(m.step).toBe(e.step);
			expect(m.trainingTokens).toBe(tokens);
			expect(m.coords).toEqual({
				parameters: e.N,
				nonEmbeddingParameters: m.nonEmbeddingParameters,
				trainingTokens: tokens,
				step: e.step,
				compute: 6 * e.N * tokens,
			});
			expect(m.settings).toEqual(e.revision ? { revision: e.revision } : undefined);
			const s = summary.models.find((x: { name: string }) => x.name === e.name);
			expect(s.coords).toEqual(m.coords);
			expect(s.model).toBe(e.name);
		}
		const other = run.models.find((x: { name: string }) => x.name === "other-c");
		expect(other.coords).toEqual({
			parameters: n("tiny-c"),
			nonEmbeddingParameters: other.nonEmbeddingParameters,
			trainingTokens: 5e9,
			compute: 6 * n("tiny-c") * 5e9,
		});
		// The hub checkpoints: downloaded by revision, each its own file, identity and source.
		for (const revision of ["step1000", "step2000"]) {
			const m = run.models.find((x: { name: string }) => x.name === `pythia-tiny-b-${revision}`);
			expect(m.source).toBe(`hf:EleutherAI/pythia-tiny-b/pythia-tiny-b.gguf#${revision}`);
			const digest = createHash("sha256").update(served.get(revision)!).digest("hex");
			expect(m.info.identity).toBe(`sha256:${digest}`);
			const local = join(home, "models", "EleutherAI", `pythia-tiny-b@${revision}`, "pythia-tiny-b.gguf");
			expect(readFileSync(local).equals(served.get(revision)!)).toBe(true);
		}
		expect(hub.requests.map((r) => r.path).sort()).toEqual([
			"/EleutherAI/pythia-tiny-b/resolve/step1000/pythia-tiny-b.gguf",
			"/EleutherAI/pythia-tiny-b/resolve/step2000/pythia-tiny-b.gguf",
		]);
		// Different weights per checkpoint: the scores differ.
		const b1 = readFileSync(join(dir, "pythia-tiny-b-step1000.csv"), "utf8");
		const b2 = readFileSync(join(dir, "pythia-tiny-b-step2000.csv"), "utf8");
		expect(b1).not.toBe(b2);

		// The same run along training tokens: one trend per size of the grid, each fitted to that
		// size's two checkpoints, and both grid charts (along tokens, and the transpose) in the report.
		const r = await writeReport(dir, { x: "tokens", replicates: 500, png: false });
		if (r.kind !== "task") throw new Error("expected a task report");
		const loss = r.analysis.metrics[0]!;
		expect(loss.along.axis).toBe("tokens");
		expect(loss.along.groupBy).toEqual(["size"]);
		const pythia = loss.groups.filter((g) => g.family === "pythia");
		expect(pythia).toHaveLength(2);
		const meanLoss = (name: string) => {
			const rows = readFileSync(join(dir, `${name}.csv`), "utf8")
				.trim()
				.split("\n")
				.slice(1);
			return rows.reduce((sum, row) => sum + Number(row.split(",")[1]), 0) / rows.length;
		};
		for (const [group, size] of [
			[pythia[0]!, "a"],
			[pythia[1]!, "b"],
		] as const) {
			// Two points: the slope per decade of tokens is the rise over log10(2000/1000).
			const rise = meanLoss(`pythia-tiny-${size}-step2000`) - meanLoss(`pythia-tiny-${size}-step1000`);
			expect(group.trend.slope!.estimate).toBeCloseTo(rise / Math.log10(2), 8);
		}
		const html = readFileSync(r.htmlPath, "utf8");
		expect(html).toContain('data-chart="transpose"');
	});
});
