import { describe, expect, it } from "vitest";
import { catalogProvenanceHtml } from "../../src/report/catalog-html.js";
import type { RunManifest } from "../../src/run/manifest.js";

const manifest = (matches: boolean) =>
	({
		task: {
			catalog: {
				catalog: "inverse-scaling-prize",
				name: "neqa",
				file: "neqa_classification.jsonl",
				uri: "hf:datasets/inverse-scaling-ttc/inverse_scaling_prize/neqa_classification.jsonl",
				sha256: matches ? "aa".repeat(32) : "bb".repeat(32),
				bytes: matches ? 84046 : 100,
				expectedSha256: "aa".repeat(32),
				expectedBytes: 84046,
				matches,
			},
		},
	}) as unknown as RunManifest;

describe("the reproducibility entry of a catalog task", () => {
	it("says the file is the catalog's when it is", () => {
		const html = catalogProvenanceHtml(manifest(true));
		expect(html).toContain('data-catalog="matches"');
		expect(html).toContain("its sha256 is the catalog's");
	});
	it("gives both hashes and sizes when it differs", () => {
		const html = catalogProvenanceHtml(manifest(false));
		expect(html).toContain('data-catalog="differs"');
		expect(html).toContain(`sha256 ${"bb".repeat(32)} (100 bytes)`);
		expect(html).toContain(`catalog sha256 ${"aa".repeat(32)} (84,046 bytes)`);
	});
	it("is empty for a task not from the catalog", () => {
		expect(catalogProvenanceHtml({ task: {} } as unknown as RunManifest)).toBe("");
	});
});
