/**
 * @module Task cards: the prize's submission form as YAML, in `<task>.card.yaml` beside the task or
 * as the front matter of `<task>.md`. Parsed field by field so each problem points at its line.
 */
import { access, readFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import type { DiagnosticLog } from "./diagnostics.js";
import { taskTypeNames } from "./type-names.js";
import type { SourcePosition, TaskCard, TaskTypeName } from "./types.js";

const text = z.string().trim().min(1, "must not be empty");
const textList = z
	.union([text, z.array(text).min(1, "must list at least one")])
	.transform((value) => (typeof value === "string" ? [value] : value));

/** The card's YAML keys (snake_case) and what each must hold. */
export const cardFieldSchemas = {
	name: text,
	description: text,
	correct_behaviour: text,
	why_inverse_scaling: text,
	why_it_matters: text,
	shots: z.enum(["zero-shot", "few-shot"]),
	data_generation: text,
	sources: textList,
	licence: text,
	authors: textList,
	type: z.enum(taskTypeNames as [TaskTypeName, ...TaskTypeName[]]),
} as const;

export type CardKey = keyof typeof cardFieldSchemas;

/** The fields the prize's submission form asked for; `type` is optional. */
export const requiredCardKeys: readonly CardKey[] = [
	"name",
	"description",
	"correct_behaviour",
	"why_inverse_scaling",
	"why_it_matters",
	"shots",
	"data_generation",
	"sources",
	"licence",
	"authors",
];

/** Other spellings accepted for a key. */
const keyAliases: Record<string, CardKey> = { license: "licence", correct_behavior: "correct_behaviour" };

const camel: Record<CardKey, keyof TaskCard> = {
	name: "name",
	description: "description",
	correct_behaviour: "correctBehaviour",
	why_inverse_scaling: "whyInverseScaling",
	why_it_matters: "whyItMatters",
	shots: "shots",
	data_generation: "dataGeneration",
	sources: "sources",
	licence: "licence",
	authors: "authors",
	type: "type",
};

export interface CardText {
	/** The card's file name or path (`.yaml`/`.yml`, or `.md` with front matter). */
	file: string;
	content: string;
}

/** Looks for the card of a task file: `<name>.card.yaml`, `<name>.card.yml`, then `<name>.md`. */
export async function findCard(taskFile: string): Promise<CardText | undefined> {
	const stem = join(dirname(taskFile), basename(taskFile, extname(taskFile)));
	for (const candidate of [`${stem}.card.yaml`, `${stem}.card.yml`, `${stem}.md`]) {
		try {
			await access(candidate);
		} catch {
			continue;
		}
		return { file: candidate, content: await readFile(candidate, "utf8") };
	}
	return undefined;
}

/** Card files are named after their task: `<name>.card.yaml`, `<name>.card.yml` or `<name>.md`. */
const cardSuffix = /(?:\.card\.ya?ml|\.md)$/i;

/**
 * The task file a card belongs to (`x.card.yaml` → `x.csv` or `x.jsonl`, whichever exists), or
 * `undefined` when `path` is not a card or its task is not there.
 */
export async function taskOfCard(path: string): Promise<string | undefined> {
	if (!cardSuffix.test(path)) return undefined;
	const stem = path.replace(cardSuffix, "");
	for (const candidate of [`${stem}.csv`, `${stem}.jsonl`]) {
		try {
			await access(candidate);
			return candidate;
		} catch {}
	}
	return undefined;
}

/** The YAML of a card and the line where it starts in its file. */
function cardYaml(card: CardText): { yaml: string; firstLine: number } | undefined {
	if (!card.file.endsWith(".md")) return { yaml: card.content, firstLine: 1 };
	const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(card.content);
	return match ? { yaml: match[1], firstLine: 2 } : undefined;
}

/**
 * Reads a card, adding its problems to `log` as warnings (an invalid `type` is an error, since it
 * decides the computation). `taskFile` locates the warning when there is no card at all.
 */
export function readCard(
	card: CardText | undefined,
	taskFile: string,
	log: DiagnosticLog,
): TaskCard | undefined {
	const expected = `${basename(taskFile, extname(taskFile))}.card.yaml`;
	const source = card && cardYaml(card);
	if (!card || !source) {
		log.add("warning", {
			code: "card-missing",
			line: 1,
			column: 1,
			message: card
				? `${basename(card.file)} has no YAML front matter (between --- lines), so the task has no card`
				: "the task has no card describing it",
			fix: `write ${expected} beside it with ${requiredCardKeys.join(", ")} (see examples/tasks)`,
		});
		return undefined;
	}
	const lines = new LineCounter();
	const doc = parseDocument(source.yaml, { lineCounter: lines, prettyErrors: false });
	const where = (offset: number | undefined): SourcePosition => {
		if (offset === undefined) return { line: source.firstLine, column: 1 };
		const pos = lines.linePos(offset);
		return { line: pos.line + source.firstLine - 1, column: pos.col };
	};
	const warn = (code: string, at: SourcePosition, message: string, fix: string, value?: string) =>
		log.add("warning", {
			file: card.file,
			code,
			...at,
			...(value === undefined ? {} : { value }),
			message,
			fix,
		});

	if (doc.errors.length > 0) {
		const first = doc.errors[0];
		warn(
			"card-invalid",
			where(first.pos[0]),
			`the card is not valid YAML: ${first.message.split("\n")[0]}`,
			"fix the YAML syntax (quote text that contains a colon)",
		);
		return undefined;
	}
	if (!isMap(doc.contents)) {
		warn(
			"card-invalid",
			where(undefined),
			"the card must be a YAML mapping of fields (name: …)",
			`write one field a line, e.g. name: My task`,
		);
		return undefined;
	}
	const result: TaskCard = {};
	const values = doc.toJS() as Record<string, unknown>;
	for (const pair of doc.contents.items) {
		const rawKey = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
		const keyAt = where(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
		const key = (rawKey in cardFieldSchemas ? rawKey : keyAliases[rawKey]) as CardKey | undefined;
		if (!key) {
			const guess = suggestKey(rawKey);
			warn(
				"card-unknown-key",
				keyAt,
				`unknown card field "${rawKey}"`,
				guess ? `did you mean "${guess}"?` : `the fields are ${Object.keys(cardFieldSchemas).join(", ")}`,
				rawKey,
			);
			continue;
		}
		const parsed = cardFieldSchemas[key].safeParse(values[rawKey]);
		if (!parsed.success) {
			const valueAt = where(
				isScalar(pair.value)
					? pair.value.range?.[0]
					: (pair.value as { range?: number[] } | null)?.range?.[0],
			);
			const issue = parsed.error.issues[0]?.message ?? "invalid value";
			const diagnostic = {
				file: card.file,
				code: key === "type" ? "card-type" : "card-invalid",
				...valueAt,
				value: JSON.stringify(values[rawKey]) ?? "",
				message: `the card's ${key} is not valid: ${issue}`,
				fix: fieldHint(key),
			};
			log.add(key === "type" ? "error" : "warning", diagnostic);
			continue;
		}
		(result as Record<string, unknown>)[camel[key]] = parsed.data;
	}
	const missing = requiredCardKeys.filter((key) => result[camel[key]] === undefined);
	if (missing.length > 0) {
		warn(
			"card-incomplete",
			where(undefined),
			`the card lacks ${missing.join(", ")}`,
			`add ${missing.map((key) => `${key}: …`).join(", ")} (${fieldHint(missing[0])})`,
		);
	}
	return result;
}

function fieldHint(key: CardKey): string {
	switch (key) {
		case "shots":
			return "shots is zero-shot or few-shot";
		case "type":
			return `type is one of ${taskTypeNames.join(", ")}`;
		case "sources":
		case "authors":
			return `${key} is a text or a list of texts`;
		default:
			return `${key} is a non-empty text`;
	}
}

function suggestKey(key: string): string | undefined {
	const k = key.toLowerCase().replace(/[\s-]+/g, "_");
	return Object.keys(cardFieldSchemas).find((known) => known.startsWith(k) || editDistance(known, k) <= 2);
}

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(
				previous[j] + 1,
				current[j - 1] + 1,
				previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		}
		previous = current;
	}
	return previous[b.length];
}
