/**
 * Imports only go downward: the compiler's import graph of src/ has no cycle (type-only and
 * dynamic imports count), a cycle put into a project is found and named, and the product never
 * reaches the test fixtures.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { importCycles, importGraph, reachable } from "../helpers/import-graph.js";

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway ES-module project with these files under src/. */
function project(files: Record<string, string>): string {
	const dir = mkdtempSync(join(tmpdir(), "invscale-cycles-"));
	dirs.push(dir);
	writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
	writeFileSync(
		join(dir, "tsconfig.json"),
		JSON.stringify({
			compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", types: [] },
			include: ["src"],
		}),
	);
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, "src", name)), { recursive: true });
		writeFileSync(join(dir, "src", name), text);
	}
	return join(dir, "tsconfig.json");
}

const shown = (cycles: string[][]) => cycles.map((cycle) => cycle.join(" → ")).join("\n");

describe("import cycles", () => {
	it("src/ has none, and the product's entry points never reach the test fixtures", () => {
		const graph = importGraph(join(repoRoot, "tsconfig.build.json"));
		// The graph is the real one: it sees the CLI's commands and the bench's dynamic sections.
		expect(graph.get("src/cli/main.ts")?.size).toBeGreaterThan(3);
		expect([...(graph.get("src/bench/main.ts") ?? [])]).toContain("src/bench/scoring.ts");
		expect(shown(importCycles(graph)), "import cycles in src/ (move the shared piece below both)").toBe("");
		const product = reachable(graph, ["src/index.ts", "src/cli/main.ts"]);
		expect(product.has("src/backends/openai/completer.ts")).toBe(true);
		expect([...product].filter((file) => file.endsWith("testing/fixtures.ts"))).toEqual([]);
	});

	it("finds a cycle made by a value import, a type-only import or a dynamic import, and names its files", () => {
		const tsconfig = project({
			"leaf.ts": "export const leaf = 1;\n",
			// a value import one way, a type-only import the other
			"a.ts": 'import { b } from "./b.js";\nexport interface A { n: number }\nexport const a = b + 1;\n',
			"b.ts":
				'import type { A } from "./a.js";\nimport { leaf } from "./leaf.js";\nexport const b: A["n"] = leaf;\n',
			// a dynamic import closes a three-file loop
			"main.ts":
				'import type { Section } from "./section/x.js";\nexport const load = () => import("./section/y.js");\nexport type S = Section;\n',
			"section/x.ts": 'import { load } from "../main.js";\nexport interface Section { run: typeof load }\n',
			"section/y.ts":
				'import type { Section } from "./x.js";\nexport const section: Section | undefined = undefined;\n',
			// re-exporting itself
			"self.ts": 'export { leaf } from "./self.js";\n',
			"fine.ts": 'import { leaf } from "./leaf.js";\nexport const fine = leaf;\n',
		});
		const cycles = importCycles(importGraph(tsconfig));
		expect(cycles).toEqual([
			["src/a.ts", "src/b.ts", "src/a.ts"],
			["src/main.ts", "src/section/x.ts", "src/main.ts"],
			["src/self.ts", "src/self.ts"],
		]);
	});

	it("the loop through a dynamic import alone is a cycle too", () => {
		const tsconfig = project({
			"main.ts":
				'export const sections = [() => import("./one.js")];\nexport interface Section { name: string }\n',
			"one.ts":
				'import type { Section } from "./main.js";\nexport const section: Section = { name: "one" };\n',
			"down.ts": 'import type { Section } from "./main.js";\nexport const s: Section = { name: "down" };\n',
		});
		expect(shown(importCycles(importGraph(tsconfig)))).toBe("src/main.ts → src/one.ts → src/main.ts");
	});
});
