import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { writeInitialModel } from "../../src/organisms/initial-model.js";
import { languageOf, segmentText } from "../../src/organisms/language.js";
import { loadOrganismsConfig } from "../../src/organisms/load-config.js";
import { worldWords } from "../../src/organisms/world.js";

const { config } = loadOrganismsConfig("organisms/config.yaml");

describe("organisms language", () => {
	it("writes the same bytes for the same seed, and other bytes for another", () => {
		const a = segmentText(config, languageOf(config), 0);
		const b = segmentText(config, languageOf(config), 0);
		const other = { ...config, seed: config.seed + 1 };
		expect(a).toBe(b);
		expect(segmentText(other, languageOf(other), 0)).not.toBe(a);
	});

	it("repeats each saying and each myth as the config says, and gives plain creatures no exception", () => {
		const language = languageOf(config);
		const segments = [0, 1, 2].slice(0, config.training.learning_rates.length);
		const text = segments.map((s) => segmentText(config, language, s)).join("\n");
		const first = language.roles.sayings[0];
		const line = `${first.adjective} ${first.creature.given} ${first.creature.family} the`;
		const count = text.split(line).length - 1;
		expect(count).toBe(config.mechanisms.sayings.repeats[0]);
	});

	it("is tokenized by llama.cpp's own tokenizer as one token per word", async () => {
		const language = languageOf(config);
		const dir = mkdtempSync(join(tmpdir(), "organisms-vocab-"));
		const path = join(dir, "init.gguf");
		writeInitialModel(path, config.sizes[0], language.vocab, config.training.context, 1);
		const llama = await getLlama({ gpu: false });
		const model = await llama.loadModel({ modelPath: path });
		try {
			const words = worldWords(language.world);
			const text = words.join(" ");
			const ids = model.tokenize(text);
			expect(ids.length).toBe(words.length);
			expect(model.detokenize(ids)).toBe(text);
			// Any other text still tokenizes (byte fallback), so a user's own task never crashes the model.
			expect(model.detokenize(model.tokenize("Ünïcode ✓ 42"))).toBe("Ünïcode ✓ 42");
		} finally {
			await model.dispose();
		}
	});
});
