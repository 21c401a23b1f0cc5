import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadOrganismsConfig } from "../../src/organisms/load-config.js";

const shipped = parse(readFileSync("organisms/config.yaml", "utf8"));

// biome-ignore lint/suspicious/noExplicitAny: a config edited field by field to make it invalid
function tryConfig(edit: (config: Record<string, any>) => void): string {
	const config = structuredClone(shipped);
	edit(config);
	const dir = mkdtempSync(join(tmpdir(), "organisms-config-"));
	const path = join(dir, "config.yaml");
	writeFileSync(path, stringify(config));
	try {
		loadOrganismsConfig(path);
		return "accepted";
	} catch (error) {
		return (error as Error).message;
	}
}

describe("organisms config", () => {
	it("accepts the shipped config", () => {
		expect(tryConfig(() => {})).toBe("accepted");
	});

	it("refuses an unknown mechanism, naming it and the known ones", () => {
		const message = tryConfig((c) => {
			c.mechanisms.hindsight = { rate: 0.1 };
		});
		expect(message).toMatch(/mechanisms: unknown mechanism "hindsight" \(known: sayings, myths, negation\)/);
	});

	it("refuses a size too small to hold its heads, naming the size's field", () => {
		const message = tryConfig((c) => {
			c.sizes[0].dim = 30;
			c.sizes[0].heads = 4;
		});
		expect(message).toMatch(/sizes\.0\.heads: 4 heads cannot split dim 30/);
	});

	it("refuses a token budget of 0, naming the field", () => {
		expect(
			tryConfig((c) => {
				c.corpus.tokens = 0;
			}),
		).toMatch(/corpus\.tokens: /);
	});

	it("names the file and line of YAML that does not parse", () => {
		const dir = mkdtempSync(join(tmpdir(), "organisms-config-"));
		const path = join(dir, "config.yaml");
		writeFileSync(path, "seed: 1\nworld: [unclosed\n");
		expect(() => loadOrganismsConfig(path)).toThrow(new RegExp(`${path}:\\d+:\\d+: not valid YAML`));
	});
});
