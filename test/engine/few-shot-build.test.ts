/**
 * Few-shot building without a model: the draws (never the row itself, one block shared by almost
 * every row, nested across k), the built prompts for each task type, the prize-format file read
 * back, and the shared-prefix token counts the plan gives the backend.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planExample } from "../../src/scoring/plan.js";
import { buildShotTask } from "../../src/tasks/few-shot.js";
import { readTask } from "../../src/tasks/index.js";
import { prizeJsonl, pythonList } from "../../src/tasks/prize-jsonl.js";
import { demonstrationsOf, drawOrder, shotPlan } from "../../src/tasks/shot-draws.js";
import type { ClassificationExample, Example, LogoddsExample } from "../../src/tasks/types.js";
import { createFakeBackend } from "../helpers/fake-backend.js";

const classification = (n: number): ClassificationExample[] =>
	Array.from({ length: n }, (_, i) => ({
		kind: "classification",
		index: i,
		line: i + 2,
		extra: {},
		prompt: `Q${i}: is ${i} even?\nA:`,
		classes: [" yes", " no"],
		answerIndex: i % 2,
	}));

describe("drawing demonstrations", () => {
	it("a seeded order is a permutation, the same for a seed and different for another", () => {
		const a = drawOrder(50, 7);
		expect([...a].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
		expect(drawOrder(50, 7)).toEqual(a);
		expect(drawOrder(50, 8)).not.toEqual(a);
	});

	it("no row is shown itself; rows outside the block share it; blocks are nested across k", () => {
		const order = drawOrder(30, 3);
		let previous: number[] = [];
		for (const k of [1, 2, 4, 8]) {
			const plan = shotPlan(order, k);
			expect(plan.block.slice(0, previous.length)).toEqual(previous);
			previous = plan.block;
			let sharing = 0;
			for (let row = 0; row < 30; row++) {
				const demos = demonstrationsOf(plan, row);
				expect(demos).toHaveLength(k);
				expect(demos).not.toContain(row);
				expect(new Set(demos).size).toBe(k);
				if (demos.every((d, i) => d === plan.block[i])) sharing++;
				else {
					// Exactly one place differs: the row's own, now the order's (k+1)-th example.
					const differ = demos.flatMap((d, i) => (d === plan.block[i] ? [] : [i]));
					expect(differ).toEqual([plan.block.indexOf(row)]);
					expect(demos[differ[0]]).toBe(order[k]);
				}
			}
			expect(sharing).toBe(30 - k);
		}
	});

	it("needs one example more than the number of shots", () => {
		expect(() => shotPlan(drawOrder(4, 1), 4)).toThrow(/at least 5 examples/);
		expect(shotPlan(drawOrder(5, 1), 4).block).toHaveLength(4);
	});
});

describe("building a k-shot task", () => {
	it("classification: demo_1 + sep + … + demo_k + sep + prompt, with the correct class", () => {
		const examples = classification(10);
		const plan = shotPlan(drawOrder(10, 11), 3);
		const built = buildShotTask(examples, plan, "\n###\n");
		for (const [row, example] of built.examples.entries()) {
			// Written out from the fixture's pattern, not with the builder's own function.
			const demos = demonstrationsOf(plan, row).map(
				(d) => `Q${d}: is ${d} even?\nA:${d % 2 === 0 ? " yes" : " no"}`,
			);
			expect((example as ClassificationExample).prompt).toBe(
				`${demos.join("\n###\n")}\n###\n${examples[row].prompt}`,
			);
			expect((example as ClassificationExample).classes).toEqual(examples[row].classes);
			expect(example.index).toBe(row);
		}
	});

	it("sequence_prob shows the completion; log-odds prefix both prompts with the same block", () => {
		const seq: Example[] = Array.from({ length: 4 }, (_, i) => ({
			kind: "sequence_prob",
			index: i,
			line: i + 1,
			extra: {},
			prompt: `P${i}`,
			completion: ` C${i}`,
		}));
		const plan = shotPlan([2, 0, 3, 1], 2);
		const builtSeq = buildShotTask(seq, plan, "|");
		expect((builtSeq.examples[1] as { prompt: string }).prompt).toBe("P2 C2|P0 C0|P1");
		expect((builtSeq.examples[0] as { prompt: string }).prompt).toBe("P2 C2|P3 C3|P0");

		const lo: LogoddsExample[] = Array.from({ length: 4 }, (_, i) => ({
			kind: "logodds",
			index: i,
			line: i + 1,
			extra: {},
			prompt: `A${i}`,
			otherPrompt: `B${i}`,
			classes: [" x", " y"],
			answerIndex: (i % 2) as 0 | 1,
		}));
		const builtLo = buildShotTask(lo, plan, "|").examples as LogoddsExample[];
		expect(builtLo[1].prompt).toBe("A2 x|A0 x|A1");
		expect(builtLo[1].otherPrompt).toBe("A2 x|A0 x|B1");
	});

	it("the written file is prize format and reads back as the same examples", async () => {
		const examples = classification(6).map((e, i) => ({
			...e,
			classes: i === 0 ? [" it's", ' "quoted"', " back\\slash"] : e.classes,
			answerIndex: i === 0 ? 2 : e.answerIndex,
		}));
		const built = buildShotTask(examples, shotPlan(drawOrder(6, 2), 2), "\n\n");
		const dir = mkdtempSync(join(tmpdir(), "invscale-shots-"));
		const file = join(dir, "task-2shot.jsonl");
		writeFileSync(file, prizeJsonl(built.examples));
		expect(readFileSync(file, "utf8").split("\n")[0]).toContain(
			`"classes":"[' it\\\\'s', ' \\"quoted\\"', ' back\\\\\\\\slash']"`,
		);
		const read = await readTask(file);
		expect(read.valid).toBe(true);
		expect(
			read.examples.map((e) => [
				e.kind === "classification" && e.prompt,
				e.kind === "classification" && e.classes,
			]),
		).toEqual(
			built.examples.map((e) => [(e as ClassificationExample).prompt, (e as ClassificationExample).classes]),
		);
		expect(pythonList(["a\tb\n", "\u0001"])).toBe("['a\\tb\\n', '\\x01']");
	});
});

describe("the shared block in the requests", () => {
	it("each request says how many of its tokens repeat the block other rows share", async () => {
		// The fake backend has one token per code point, so the count is the shared text's length.
		const backend = createFakeBackend();
		const examples = classification(12);
		const plan = shotPlan(drawOrder(12, 5), 4);
		const built = buildShotTask(examples, plan, "\n\n");
		const blockText = plan.block.map(
			(d) => `${examples[d].prompt}${examples[d].classes[examples[d].answerIndex]}\n\n`,
		);
		const contexts: number[][] = [];
		for (const example of built.examples) {
			const planned = await planExample(
				backend,
				example,
				{ boundary: "strict", truncate: "none", contextLength: 4096 },
				built.sharedPrefix.get(example.index),
			);
			if (planned.kind !== "ok" || planned.plan.kind !== "continuations") throw new Error("not planned");
			const place = plan.block.indexOf(example.index);
			const shared = [...blockText.slice(0, place < 0 ? 4 : place).join("")].length;
			for (const request of planned.plan.requests) {
				expect(request.sharedPrefixTokens).toBe(shared === 0 ? undefined : shared);
				if (place < 0) contexts.push(request.context.ids.slice(0, shared));
			}
		}
		// Every row outside the block starts with the very same tokens.
		expect(contexts).toHaveLength(8);
		for (const ids of contexts) expect(ids).toEqual(contexts[0]);
	});

	it("a prompt cut from the left to fit shares nothing", async () => {
		const backend = createFakeBackend({ info: { contextLength: 40 } });
		const examples = classification(5);
		const built = buildShotTask(examples, shotPlan(drawOrder(5, 1), 2), "\n\n");
		const planned = await planExample(
			backend,
			built.examples[0],
			{ boundary: "strict", truncate: "left", contextLength: 40 },
			built.sharedPrefix.get(0),
		);
		if (planned.kind !== "ok") throw new Error("not planned");
		expect(planned.plan.truncated).toBe(true);
		expect(planned.plan.requests.every((r) => r.sharedPrefixTokens === undefined)).toBe(true);
	});
});
