/**
 * Runs written before conditions (run.json schema 1, summary schema 1) still load and report, with
 * their conditions' coordinates derived; a schema this version does not know is refused by name.
 * The web app's saved options of the first version still resume.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRun, RunDirError, writeTaskReport } from "../../src/report/index.js";
import { readStoredRunOptions } from "../../src/server/stored-run-options.js";
import { makeRunDir } from "../helpers/make-run-dir.js";

/** Rewrites a run directory's files the way invscale 0.1 wrote them: no model, settings or coords. */
function asVersion1(dir: string): void {
	const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
	run.schema = "invscale.run/1";
	for (const m of run.models) {
		delete m.model;
		delete m.coords;
		delete m.parameters;
		if (m.info) m.info.parameters = 160_000_000;
	}
	writeFileSync(join(dir, "run.json"), JSON.stringify(run));
	const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
	summary.schema = "invscale.summary/1";
	for (const m of summary.models) {
		delete m.model;
		delete m.coords;
	}
	writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
}

describe("reading runs of every schema", () => {
	it("a version 1 run loads with its conditions' coordinates derived, and reports", async () => {
		const dir = makeRunDir(
			join(mkdtempSync(join(tmpdir(), "invscale-v1-")), "t"),
			[
				{ name: "small", parameters: 70e6, trainingTokens: 300e9, mean: 1 },
				{ name: "large", parameters: 410e6, trainingTokens: 300e9, mean: 1.2 },
			],
			{ examples: 20 },
		);
		asVersion1(dir);
		const loaded = loadRun(dir);
		expect(loaded.manifest.schema).toBe("invscale.run/2");
		// parameters were only in the backend's info (as invscale 0.1 could leave them).
		expect(loaded.manifest.models.map((m) => [m.model, m.coords])).toEqual([
			["small", { parameters: 160e6, trainingTokens: 300e9, compute: 6 * 160e6 * 300e9 }],
			["large", { parameters: 160e6, trainingTokens: 300e9, compute: 6 * 160e6 * 300e9 }],
		]);
		expect(loaded.summary?.models.map((m) => [m.model, m.coords])).toEqual([
			["small", { parameters: 70e6 }],
			["large", { parameters: 410e6 }],
		]);
		await writeTaskReport(dir);
		expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("small");
	});

	it("a schema from a newer invscale is refused with the file and the fix", () => {
		const dir = makeRunDir(join(mkdtempSync(join(tmpdir(), "invscale-v9-")), "t"), [{ name: "a", mean: 1 }], {
			examples: 3,
		});
		const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
		writeFileSync(join(dir, "run.json"), JSON.stringify({ ...run, schema: "invscale.run/9" }));
		let error: unknown;
		try {
			loadRun(dir);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(RunDirError);
		expect((error as RunDirError).message).toMatch(/run\.json: run\.json has schema "invscale\.run\/9"/);
		expect((error as RunDirError).fix).toMatch(/upgrade invscale/);
	});
});

describe("saved options of web app runs", () => {
	const v1 = {
		taskName: "neg",
		uploadId: "u1",
		taskFile: "/data/uploads/u1/neg.csv",
		choice: { kind: "files", files: ["a.gguf"] },
		ladderName: "files",
		models: [{ name: "a", family: "default", source: { kind: "file", path: "/m/a.gguf" } }],
	};

	it("the first version (no version field) reads as version 2 with nothing swept", () => {
		expect(readStoredRunOptions(v1)).toEqual({ ...v1, version: 2 });
	});

	it("version 2 keeps its few-shot sweep; anything else is refused", () => {
		const v2 = { ...v1, version: 2, shots: { values: [0, 4], seed: 3 } };
		expect(readStoredRunOptions(v2).shots).toEqual({ values: [0, 4], seed: 3 });
		expect(() => readStoredRunOptions({ ...v1, version: 7 })).toThrow(/version 7/);
		expect(() => readStoredRunOptions({ tasks: ["a.csv"] })).toThrow(/not those of an evaluation run/);
	});
});
