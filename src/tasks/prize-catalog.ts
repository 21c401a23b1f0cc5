/**
 * @module The catalog of the Inverse Scaling Prize's 11 winning tasks (final release): file, size
 * and sha256 of one public copy, where the hub hosts it, type, metric, round, authors and the cause
 * category of McKenzie et al. (2023), plus the schema the data is checked against.
 */
import { z } from "zod";

/** The hub dataset holding all 11 release files under their release names. */
export const prizeDataset = "inverse-scaling-ttc/inverse_scaling_prize";

/** The causes of inverse scaling McKenzie et al. (2023) sort the winning tasks into. */
export const prizeCauses = [
	"strong prior",
	"unwanted imitation",
	"distractor task",
	"spurious few-shot",
] as const;
export type PrizeCause = (typeof prizeCauses)[number];

/** Facts of an entry not checked against a public source while the catalog was written. */
export const uncheckableFacts = ["authors", "cause", "shots"] as const;

export const prizeTaskSchema = z.strictObject({
	/** The name used in `prize:NAME` (the release file's stem without its type). */
	name: z.string().regex(/^[a-z][a-z-]*$/),
	title: z.string().min(1),
	file: z.string().regex(/^[a-z-]+_(classification|sequence-probability)\.jsonl$/),
	bytes: z.number().int().positive(),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	/** The task type the card names (`classification_acc`: accuracy is what the paper reports). */
	type: z.enum(["classification_acc", "sequence_prob"]),
	/** The metric the paper reports for the task. */
	metric: z.enum(["accuracy", "loss"]),
	round: z.union([z.literal(1), z.literal(2)]),
	authors: z.array(z.string().min(1)).min(1),
	cause: z.enum(prizeCauses),
	shots: z.enum(["zero-shot", "few-shot"]),
	description: z.string().min(1),
	licence: z.literal("CC BY 4.0"),
	/** Facts of this entry recalled from the paper but not checked against a source: say so. */
	unchecked: z.array(z.enum(uncheckableFacts)),
});

export type PrizeTask = z.infer<typeof prizeTaskSchema>;

const classification = { type: "classification_acc", metric: "accuracy" } as const;
const licence = "CC BY 4.0" as const;

/**
 * The 11 tasks. Sizes and hashes: the Git LFS objects of one public copy of the release. Rounds:
 * the round 1 and round 2 announcements (resisting-correction is the final form of round 1's
 * quote-repetition). Authors of memo-trap, modus-tollens and NeQA were checked against the
 * announcements; the others, the causes and the shots come from the paper as recalled, and each
 * entry lists what was not checked in `unchecked`.
 */
export const prizeTasks: PrizeTask[] = [
	{
		name: "hindsight-neglect",
		title: "Hindsight neglect",
		file: "hindsight-neglect_classification.jsonl",
		bytes: 953_341,
		sha256: "1539e144e20c760cd70980ca012d3d75744b59385bdf78cffc4d02560c4b3686",
		...classification,
		round: 1,
		authors: ["The Floating Droid"],
		cause: "spurious few-shot",
		shots: "few-shot",
		description:
			"Judge whether a bet was worth taking from its expected value, after demonstrations in which the outcome always agreed with the expected value.",
		licence,
		unchecked: ["authors", "cause"],
	},
	{
		name: "into-the-unknown",
		title: "Into the unknown",
		file: "into-the-unknown_classification.jsonl",
		bytes: 1_012_764,
		sha256: "74b5e1aca9e4aeedd2b6ce1686d0e5ee9cd380509d65bca37cad1ebebaecf51d",
		...classification,
		round: 2,
		authors: ["Alexis Ross", "Max Weiss"],
		cause: "distractor task",
		shots: "zero-shot",
		description:
			"Pick which of two pieces of information would help answer a question, rather than the one that repeats what is already known.",
		licence,
		unchecked: ["authors", "cause", "shots"],
	},
	{
		name: "memo-trap",
		title: "Memo trap",
		file: "memo-trap_classification.jsonl",
		bytes: 165_763,
		sha256: "f09aac90bf841f2eb899d23beed8c8ccad2e1d3ab4f0fd3f1ff403fd5c7e11f2",
		...classification,
		round: 2,
		authors: ["Alisa Liu", "Jiacheng Liu"],
		cause: "strong prior",
		shots: "zero-shot",
		description:
			"Write a phrase that begins like a famous quotation but ends differently, as the instruction asks, instead of finishing the memorised quotation.",
		licence,
		unchecked: ["cause", "shots"],
	},
	{
		name: "modus-tollens",
		title: "Modus tollens",
		file: "modus-tollens_classification.jsonl",
		bytes: 426_022,
		sha256: "fdf82374d7e401902f25303428678d3b540031ec81c7a7078cb3d7f346314a7d",
		...classification,
		round: 2,
		authors: ["Sicong Huang", "Daniel Wurgaft"],
		cause: "unwanted imitation",
		shots: "zero-shot",
		description:
			"Given 'if P then Q' and 'not Q', say whether 'not P' follows (it does), a deduction people often get wrong in writing.",
		licence,
		unchecked: ["cause", "shots"],
	},
	{
		name: "neqa",
		title: "NeQA: negated questions",
		file: "neqa_classification.jsonl",
		bytes: 84_046,
		sha256: "50ca9dca517dcd7fcdbb6d7f750fbbdade2142c0ac2da2bd196dc27464b464e6",
		...classification,
		round: 1,
		authors: ["Zhengping Zhou", "Yuhui Zhang"],
		cause: "distractor task",
		shots: "zero-shot",
		description:
			"Answer multiple-choice questions in which part of the question has been negated, so the usual answer is the wrong one.",
		licence,
		unchecked: ["cause", "shots"],
	},
	{
		name: "pattern-matching-suppression",
		title: "Pattern matching suppression",
		file: "pattern-matching-suppression_classification.jsonl",
		bytes: 338_768,
		sha256: "29ff41ccc2592ecd19c8bdf8e632a394314cb7d84d21e668d9060070d95fdad0",
		...classification,
		round: 2,
		authors: ["Tomasz Korbak"],
		cause: "distractor task",
		shots: "zero-shot",
		description:
			"Break a repeating sequence when told to, instead of continuing the pattern the text sets up.",
		licence,
		unchecked: ["authors", "cause", "shots"],
	},
	{
		name: "prompt-injection",
		title: "Prompt injection",
		file: "prompt-injection_sequence-probability.jsonl",
		bytes: 863_354,
		sha256: "0c8e7342a256e5ff53913e83c7477f57d5b776d77fbab2aef473e92054773e21",
		type: "sequence_prob",
		metric: "loss",
		round: 2,
		authors: ["Derik Kauffman", "Aaron Kirtland", "Andrew Gritsevskiy", "Joe Cavanagh"],
		cause: "strong prior",
		shots: "zero-shot",
		description:
			"Keep following the original instructions when the text to process contains new instructions of its own (loss of the right continuation).",
		licence,
		unchecked: ["authors", "cause", "shots"],
	},
	{
		name: "redefine",
		title: "Redefine",
		file: "redefine_classification.jsonl",
		bytes: 202_277,
		sha256: "4ca8573039b0f943ea773d258cea3f937a8429cf0f6f0f060c281fd8eb6d5c7c",
		...classification,
		round: 1,
		authors: ["Xudong Shen"],
		cause: "strong prior",
		shots: "zero-shot",
		description:
			"Answer with a familiar symbol or word after the prompt has redefined it to mean something else (round 1's redefine-math).",
		licence,
		unchecked: ["authors", "cause", "shots"],
	},
	{
		name: "repetitive-algebra",
		title: "Repetitive algebra",
		file: "repetitive-algebra_classification.jsonl",
		bytes: 740_039,
		sha256: "c2496c285bfef9e8da82dd28026aeb35f834da1c20ea410540c82698526428f3",
		...classification,
		round: 2,
		authors: ["Tom Tseng"],
		cause: "spurious few-shot",
		shots: "few-shot",
		description:
			"Solve a simple arithmetic word problem after many demonstrations that share one answer, which the last question does not.",
		licence,
		unchecked: ["authors", "cause"],
	},
	{
		name: "resisting-correction",
		title: "Resisting correction",
		file: "resisting-correction_classification.jsonl",
		bytes: 3_572_356,
		sha256: "0c2720f095a4272e6b1462fe774704c57db0f124c4b68f35747d76e79e5352f6",
		...classification,
		round: 1,
		authors: ["Joe Cavanagh", "Andrew Gritsevskiy", "Derik Kauffman"],
		cause: "strong prior",
		shots: "few-shot",
		description:
			"Repeat a sentence exactly as given, altered wording included, rather than the well-known version (the final form of round 1's quote-repetition).",
		licence,
		unchecked: ["authors", "cause", "shots"],
	},
	{
		name: "sig-figs",
		title: "Significant figures",
		file: "sig-figs_classification.jsonl",
		bytes: 15_047_173,
		sha256: "19ca4afdd2b5d0fb2608097cf747b5a4105038ea2183750796c8bf57f23e7448",
		...classification,
		round: 2,
		authors: ["Gabriel Recchia"],
		cause: "distractor task",
		shots: "zero-shot",
		description: "Round a number to a given count of significant figures, not to that many decimal places.",
		licence,
		unchecked: ["authors", "cause", "shots"],
	},
];

/** The catalog entry of a name (`memo-trap`), or undefined. */
export function prizeTask(name: string): PrizeTask | undefined {
	return prizeTasks.find((task) => task.name === name);
}

/** Whether a task argument names catalog tasks (`prize:memo-trap`, `prize:all`). */
export function isPrizeSpec(spec: string): boolean {
	return spec.startsWith("prize:");
}

/**
 * The catalog entries of `prize:a,b` or `prize:all`, in the order given (duplicates once). Throws
 * an Error naming the unknown names and the known ones.
 */
export function parsePrizeSpec(spec: string): PrizeTask[] {
	const names = spec
		.slice("prize:".length)
		.split(",")
		.map((name) => name.trim().toLowerCase())
		.filter(Boolean);
	if (names.length === 0)
		throw new PrizeSpecError(
			`${JSON.stringify(spec)} names no task`,
			"write prize:NAME, prize:NAME,NAME or prize:all; `invscale tasks` lists the names",
		);
	if (names.includes("all")) return [...prizeTasks];
	const unknown = names.filter((name) => !prizeTask(name));
	if (unknown.length > 0)
		throw new PrizeSpecError(
			`${spec}: no prize task named ${unknown.map((name) => JSON.stringify(name)).join(", ")}`,
			`the prize tasks are ${prizeTasks.map((task) => task.name).join(", ")} (or prize:all); \`invscale tasks\` lists them`,
		);
	return [...new Set(names)].map((name) => prizeTask(name)!);
}

export class PrizeSpecError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = "PrizeSpecError";
	}
}

/** The hub URI of a task's file, in the form the downloader reads (`hf:datasets/owner/repo/file`). */
export function prizeTaskUri(task: PrizeTask): string {
	return `hf:datasets/${prizeDataset}/${task.file}`;
}

/**
 * The catalog name a task name from a run or a published table stands for: `memo-trap`,
 * `memo-trap_classification`, `isp_memo_trap` and `Memo Trap` all give `memo-trap`; names that
 * are not in the catalog come back normalised the same way.
 */
export function prizeTaskName(name: string): string {
	const normal = name
		.trim()
		.toLowerCase()
		.replace(/\.(jsonl|csv)$/, "")
		.replace(/_(classification|sequence-probability|sequence_prob)$/, "")
		.replace(/^(isp|inverse[_-]scaling)[_-]/, "")
		.replace(/[\s_]+/g, "-");
	const aliases: Record<string, string> = {
		"redefine-math": "redefine",
		"pattern-match-suppression": "pattern-matching-suppression",
		"negation-qa": "neqa",
		"significant-figures": "sig-figs",
	};
	return aliases[normal] ?? normal;
}
