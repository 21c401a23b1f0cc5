import { describe, expect, it } from "vitest";
import { readCard } from "../../src/tasks/card.js";
import { DiagnosticLog } from "../../src/tasks/diagnostics.js";
import { prizeCardYaml } from "../../src/tasks/prize-card.js";
import {
	PrizeSpecError,
	parsePrizeSpec,
	prizeCauses,
	prizeTaskName,
	prizeTaskSchema,
	prizeTasks,
} from "../../src/tasks/prize-catalog.js";

// The release table (file, bytes, sha256) as published for one public copy of the release.
const release: [string, number, string][] = [
	[
		"hindsight-neglect_classification.jsonl",
		953341,
		"1539e144e20c760cd70980ca012d3d75744b59385bdf78cffc4d02560c4b3686",
	],
	[
		"into-the-unknown_classification.jsonl",
		1012764,
		"74b5e1aca9e4aeedd2b6ce1686d0e5ee9cd380509d65bca37cad1ebebaecf51d",
	],
	[
		"memo-trap_classification.jsonl",
		165763,
		"f09aac90bf841f2eb899d23beed8c8ccad2e1d3ab4f0fd3f1ff403fd5c7e11f2",
	],
	[
		"modus-tollens_classification.jsonl",
		426022,
		"fdf82374d7e401902f25303428678d3b540031ec81c7a7078cb3d7f346314a7d",
	],
	["neqa_classification.jsonl", 84046, "50ca9dca517dcd7fcdbb6d7f750fbbdade2142c0ac2da2bd196dc27464b464e6"],
	[
		"pattern-matching-suppression_classification.jsonl",
		338768,
		"29ff41ccc2592ecd19c8bdf8e632a394314cb7d84d21e668d9060070d95fdad0",
	],
	[
		"prompt-injection_sequence-probability.jsonl",
		863354,
		"0c8e7342a256e5ff53913e83c7477f57d5b776d77fbab2aef473e92054773e21",
	],
	[
		"redefine_classification.jsonl",
		202277,
		"4ca8573039b0f943ea773d258cea3f937a8429cf0f6f0f060c281fd8eb6d5c7c",
	],
	[
		"repetitive-algebra_classification.jsonl",
		740039,
		"c2496c285bfef9e8da82dd28026aeb35f834da1c20ea410540c82698526428f3",
	],
	[
		"resisting-correction_classification.jsonl",
		3572356,
		"0c2720f095a4272e6b1462fe774704c57db0f124c4b68f35747d76e79e5352f6",
	],
	[
		"sig-figs_classification.jsonl",
		15047173,
		"19ca4afdd2b5d0fb2608097cf747b5a4105038ea2183750796c8bf57f23e7448",
	],
];

describe("the prize task catalog", () => {
	it("holds the 11 release files with the published sizes and hashes, each passing its schema", () => {
		expect(prizeTasks.map((t) => [t.file, t.bytes, t.sha256])).toEqual(release);
		for (const task of prizeTasks) expect(prizeTaskSchema.safeParse(task).success, task.name).toBe(true);
	});

	it("names each task after its file, splits 4 + 7 between the rounds and uses every cause", () => {
		for (const task of prizeTasks) expect(task.file.startsWith(`${task.name}_`), task.name).toBe(true);
		expect(prizeTasks.filter((t) => t.round === 1).map((t) => t.name)).toEqual([
			"hindsight-neglect",
			"neqa",
			"redefine",
			"resisting-correction",
		]);
		expect(new Set(prizeTasks.map((t) => t.cause))).toEqual(new Set(prizeCauses));
		expect(prizeTasks.filter((t) => t.type === "sequence_prob").map((t) => t.name)).toEqual([
			"prompt-injection",
		]);
	});

	it("reads prize: names, all, and says which names are unknown", () => {
		expect(parsePrizeSpec("prize:memo-trap,neqa").map((t) => t.name)).toEqual(["memo-trap", "neqa"]);
		expect(parsePrizeSpec("prize:all")).toHaveLength(11);
		expect(parsePrizeSpec("prize:neqa,neqa")).toHaveLength(1);
		expect(() => parsePrizeSpec("prize:memo-trap,memotrap")).toThrow(PrizeSpecError);
		expect(() => parsePrizeSpec("prize:memotrap")).toThrow(/"memotrap"/);
		expect(() => parsePrizeSpec("prize:")).toThrow(/names no task/);
	});

	it("maps the names published tables and runs use to catalog names", () => {
		expect(prizeTaskName("isp_memo_trap")).toBe("memo-trap");
		expect(prizeTaskName("isp_pattern_matching_suppression")).toBe("pattern-matching-suppression");
		expect(prizeTaskName("memo-trap_classification")).toBe("memo-trap");
		expect(prizeTaskName("prompt-injection_sequence-probability")).toBe("prompt-injection");
		expect(prizeTaskName("inverse_scaling_redefine_math")).toBe("redefine");
		expect(prizeTaskName("truthfulqa_mc1")).toBe("truthfulqa-mc1");
	});

	it("writes a card the card reader accepts whole, with the catalog's type, authors and licence", () => {
		for (const task of prizeTasks) {
			const log = new DiagnosticLog(task.file, 50);
			const card = readCard({ file: `${task.name}.card.yaml`, content: prizeCardYaml(task) }, task.file, log);
			expect(log.warnings, task.name).toEqual([]);
			expect(log.errors, task.name).toEqual([]);
			expect(card).toMatchObject({
				type: task.type,
				authors: task.authors,
				licence: "CC BY 4.0",
				shots: task.shots,
			});
		}
	});
});
