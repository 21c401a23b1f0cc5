/**
 * Trains with llama.cpp's real trainer: a run cut off after a checkpoint resumes to the same bytes
 * as a run never cut off, and no half-written model is left behind.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrganismsConfig } from "../../src/organisms/load-config.js";
import { trainOrganisms } from "../../src/organisms/train.js";
import { lookupLlamaTool } from "../helpers/llama-tools.js";

const tool = lookupLlamaTool("llama-finetune");
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const { config } = loadOrganismsConfig("organisms/config.yaml");
const smallest = config.sizes[0].name;

describe.skipIf(!tool.found)("organisms training (llama.cpp's trainer)", () => {
	const finetune = tool.found ? tool.path : "";

	it("resumes a run cut off after a checkpoint to the same bytes, leaving no half-written model", async () => {
		const tiny = {
			...config,
			corpus: { ...config.corpus, tokens: 20_000 },
			mechanisms: {
				...config.mechanisms,
				sayings: { items: 4, repeats: [2] },
				myths: { items: 4, repeats: [2] },
			},
			training: { ...config.training, learning_rates: [1e-3, 5e-4] },
			sizes: [config.sizes[0]],
			tasks: { plain_per_task: 10 },
		};
		const whole = mkdtempSync(join(tmpdir(), "organisms-whole-"));
		const cut = mkdtempSync(join(tmpdir(), "organisms-cut-"));
		try {
			const full = await trainOrganisms({ config: tiny, configText: "", outDir: whole, finetune });
			// The cut run: everything after the first checkpoint is gone, as after a kill.
			await trainOrganisms({ config: tiny, configText: "", outDir: cut, finetune });
			rmSync(join(cut, "work", smallest, "segment-2.gguf"));
			rmSync(join(cut, "models"), { recursive: true });
			const events: string[] = [];
			const resumed = await trainOrganisms({
				config: tiny,
				configText: "",
				outDir: cut,
				finetune,
				onEvent: (e) => {
					if (e.kind === "segment-done") events.push(`${e.segment}:${e.resumed ? "resumed" : "trained"}`);
				},
			});
			expect(events).toEqual(["1:resumed", "2:trained"]);
			for (const [i, checkpoint] of full.entries()) {
				expect(sha(join(cut, resumed[i].file))).toBe(sha(join(whole, checkpoint.file)));
			}
			const leftovers = readdirSync(join(cut, "work", smallest)).filter((f) => f.includes(".part"));
			expect(leftovers).toEqual([]);
		} finally {
			rmSync(whole, { recursive: true, force: true });
			rmSync(cut, { recursive: true, force: true });
		}
	}, 900_000);
});
