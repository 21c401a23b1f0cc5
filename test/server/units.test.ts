import { describe, expect, it } from "vitest";
import type { EvalEvent } from "../../src/engine/types.js";
import { formatMegabytes } from "../../src/server/http-body.js";
import {
	applyEvent,
	classShares,
	exampleProbabilities,
	initialProgress,
	pathSegments,
	resolveInside,
	spreadsheetCell,
	spreadsheetCsv,
} from "../../src/server/index.js";

describe("class probabilities", () => {
	it("normalises exp(ℓ_k) over the classes and keeps the raw mass", () => {
		// Hand computation: p = 0.2 and 0.3 → mass 0.5, shares 0.4 and 0.6.
		const { shares, mass } = classShares([Math.log(0.2), Math.log(0.3)]);
		expect(shares[0]).toBeCloseTo(0.4, 12);
		expect(shares[1]).toBeCloseTo(0.6, 12);
		expect(mass).toBeCloseTo(0.5, 12);
	});

	it("stays exact for log-probs far below the float range of exp", () => {
		// exp(-1000) underflows to 0; the shares must still be 1/(1+e) and e/(1+e).
		const { shares, mass } = classShares([-1001, -1000]);
		expect(shares[0]).toBeCloseTo(1 / (1 + Math.E), 12);
		expect(shares[1]).toBeCloseTo(Math.E / (1 + Math.E), 12);
		expect(mass).toBe(0);
	});

	it("reads log-odds details as two pairs and the mass of all four", () => {
		const p = exampleProbabilities("logodds", [Math.log(0.1), Math.log(0.3), Math.log(0.2), Math.log(0.2)]);
		expect(p.kind).toBe("logodds");
		if (p.kind !== "logodds") return;
		expect(p.prompt[0]).toBeCloseTo(0.25, 12);
		expect(p.other[1]).toBeCloseTo(0.5, 12);
		expect(p.mass).toBeCloseTo(0.8, 12);
	});
});

describe("spreadsheet CSV", () => {
	it("prefixes formula-like text with ' and leaves numbers alone", () => {
		expect(spreadsheetCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
		expect(spreadsheetCell("+1")).toBe("'+1");
		expect(spreadsheetCell("-1")).toBe("'-1");
		expect(spreadsheetCell("@cmd")).toBe("'@cmd");
		expect(spreadsheetCell("\t=1")).toBe("'\t=1");
		expect(spreadsheetCell(" Yes")).toBe(" Yes");
		expect(spreadsheetCell(-1.5)).toBe(-1.5);
		expect(spreadsheetCell(Number.NaN)).toBe("");
	});

	it("quotes cells with commas, quotes and newlines", () => {
		expect(spreadsheetCsv(["a", "b"], [["x,y", 'say "hi"\nbye']])).toBe('a,b\n"x,y","say ""hi""\nbye"\n');
	});
});

describe("paths from the client", () => {
	const root = "/srv/data";
	it.each([
		["..", "may not contain .."],
		["a/../../etc/passwd", "may not contain .."],
		["/etc/passwd", "absolute"],
		["C:/Windows/win.ini", "absolute"],
		["a\\..\\b", "backslash"],
		["a\0b", "NUL"],
	])("refuses %j", (given, reason) => {
		const result = resolveInside(root, given);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toContain(reason);
	});

	it("accepts a plain relative path inside the folder", () => {
		expect(resolveInside(root, "details/model.jsonl")).toEqual({
			ok: true,
			path: "/srv/data/details/model.jsonl",
		});
	});

	it("refuses encoded dot-dot and separators in URL segments", () => {
		expect(() => pathSegments("/api/runs/x/files/%2e%2e/secret")).toThrow(/refused/);
		expect(() => pathSegments("/api/runs/x/files/..%2f..%2fetc%2fpasswd")).toThrow(/refused/);
		expect(() => pathSegments("/api/runs/x/files/../y")).toThrow(/refused/);
		expect(pathSegments("/api/runs/x/files/a%20b.csv?q=1")).toEqual(["api", "runs", "x", "files", "a b.csv"]);
	});
});

describe("live progress", () => {
	it("folds engine events into per-model state in the engine's order", () => {
		const events: EvalEvent[] = [
			{ type: "task-start", task: "t", dir: "/d", examples: 10, models: ["small", "big"] },
			{ type: "model-start", task: "t", model: "small", index: 0, total: 2, examples: 10 },
			{ type: "progress", task: "t", model: "small", done: 4, total: 10, tokens: 40, elapsedMs: 2000 },
			{ type: "model-end", task: "t", model: "small", status: "ok" },
			{ type: "model-start", task: "t", model: "big", index: 1, total: 2, examples: 10 },
			{ type: "model-end", task: "t", model: "big", status: "failed", error: "out of memory" },
			{ type: "log", level: "warn", message: "careful" },
		];
		const state = events.reduce(applyEvent, initialProgress(["big", "small"]));
		expect(state.models.map((m) => m.name)).toEqual(["small", "big"]);
		expect(state.models[0]).toMatchObject({ phase: "done", done: 10, total: 10, rate: 2 });
		expect(state.models[1]).toMatchObject({ phase: "failed", error: "out of memory" });
		expect(state.messages).toEqual(["careful"]);
	});
});

describe("upload limit text", () => {
	it("states the limit in MB, or KB below one MB", () => {
		expect(formatMegabytes(100 * 1024 * 1024)).toBe("100 MB");
		expect(formatMegabytes(1.5 * 1024 * 1024)).toBe("1.5 MB");
		expect(formatMegabytes(64 * 1024)).toBe("64 KB");
	});
});
