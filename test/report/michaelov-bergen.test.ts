/**
 * Michaelov & Bergen's table read once for `analyze` and for `report --reference`: both readers
 * give the same Pythia sizes (the published counts) and tokens (step × 1024 × 2048).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/report/read-table.js";
import { parseReferenceTable } from "../../src/report/reference-read.js";

const work = mkdtempSync(join(tmpdir(), "invscale-mb-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const header = "ModelName\tModelRevision\tTask\tAccuracy\tAccuracy_SE";

describe("Michaelov & Bergen's all_results.tsv", () => {
	it("gives analyze and the reference reader the same sizes and tokens", () => {
		const text = `${header}\nEleutherAI/pythia-410m-deduped\tstep3000\tisp_neqa\t0.52\t0.03\n`;
		const file = join(work, "mb.tsv");
		writeFileSync(file, text);
		const [row] = readTable(file).tasks[0].rows;
		const [point] = parseReferenceTable(text, file);
		// Biderman et al. (2023): pythia-410m has 405,334,016 parameters, 302,311,424 without embeddings.
		const expected = {
			parameters: 405_334_016,
			nonEmbeddingParameters: 302_311_424,
			step: 3000,
			trainingTokens: 3000 * 1024 * 2048,
		};
		expect(row).toMatchObject({ ...expected, model: "pythia-410m-deduped", mean: 0.52, se: 0.03 });
		expect(point).toMatchObject({
			...expected,
			model: "pythia-410m-deduped",
			mean: 0.52,
			se: 0.03,
			task: "neqa",
		});
	});

	it("names the row and column of a revision that is not a checkpoint, in both readers", () => {
		const text = `${header}\nEleutherAI/pythia-70m\tmain\tisp_neqa\t0.5\t0.01\n`;
		const file = join(work, "bad.tsv");
		writeFileSync(file, text);
		const message = /bad\.tsv: row 2, column "modelrevision": "main" is not a checkpoint revision/;
		expect(() => readTable(file)).toThrow(message);
		expect(() => parseReferenceTable(text, file)).toThrow(message);
	});
});
