/**
 * @module The task checker: receives a file's header and rows, chooses the task type, checks each
 * row against the type's rules, counts what the summary needs and, when asked, keeps the examples.
 */
import { HashSet64, hash64 } from "../util/hash.js";
import { chooseType, columnAliases, optionalColumns, physicalColumn, requiredColumns } from "./columns.js";
import type { DiagnosticLog } from "./diagnostics.js";
import { shortenValue } from "./diagnostics.js";
import {
	type CellProblem,
	type CellResult,
	type ClassList,
	readAliases,
	readAnswerIndex,
	readAnswerText,
	readClasses,
	readText,
} from "./row-fields.js";
import type { ReadProblem, RowSink, SourceHeader, SourceRow } from "./source-rows.js";
import { canonicalType } from "./type-names.js";
import type {
	Example,
	ExtraColumns,
	SourcePosition,
	TaskSummary,
	TaskType,
	TaskTypeName,
	TaskTypeSource,
} from "./types.js";

/** The prize's checklist asked for at least this many examples. */
export const minimumExamples = 300;

export interface CheckerOptions {
	log: DiagnosticLog;
	/** The caller's choice of type (`--type`), which wins over the card's. */
	typeOption?: TaskTypeName;
	cardType?: TaskTypeName;
	keepExamples: boolean;
}

export class TaskChecker implements RowSink {
	typeName: TaskTypeName;
	typeSource: TaskTypeSource = "unresolved";
	readonly examples: Example[] = [];
	private type?: TaskType;
	private headerSeen?: SourceHeader;
	/** Physical column names for the type's required columns (an old name where the file uses one). */
	private columnOf = new Map<string, string>();
	private rows = 0;
	private exampleCount = 0;
	private classCounts = new Map<number, number>();
	private answerCounts: number[] = [];
	private seen = new HashSet64();

	constructor(private readonly options: CheckerOptions) {
		this.typeName = options.typeOption ?? options.cardType ?? "classification";
	}

	header(header: SourceHeader): void {
		this.headerSeen = header;
		const columns = new Set(header.columns);
		const choice = chooseType(columns, this.options.typeOption, this.options.cardType);
		if (choice.kind === "error") {
			this.options.log.add("error", {
				code: choice.code,
				line: header.line,
				column: 1,
				message: choice.message,
				fix: choice.fix,
			});
			return;
		}
		this.typeName = choice.typeName;
		this.typeSource = choice.source;
		this.type = canonicalType(choice.typeName);
		for (const column of requiredColumns[this.type])
			this.columnOf.set(column, physicalColumn(columns, column)!);
		for (const column of optionalColumns[this.type] ?? [])
			if (columns.has(column)) this.columnOf.set(column, column);
		if (columns.has("other_prompt") && columns.has("biased_prompt") && this.columnOf.has("other_prompt")) {
			this.options.log.add("warning", {
				code: "duplicate-column",
				...header.at("biased_prompt"),
				value: "biased_prompt",
				message: 'both "other_prompt" and its old name "biased_prompt" are present; "other_prompt" is used',
				fix: 'remove or rename the "biased_prompt" column',
			});
		}
	}

	badRow(problem: ReadProblem): void {
		this.addError(problem, this.rows);
		this.rows++;
	}

	problem(problem: ReadProblem): void {
		this.addError(problem, undefined);
	}

	row(row: SourceRow): void {
		const index = this.rows++;
		if (!this.type) return;
		const problems: CellProblem[] = [];
		const example = this.checkRow(row, index, this.type, problems);
		for (const p of problems) {
			const { severity, ...rest } = p;
			this.options.log.add(severity, { ...rest, row: index });
		}
		if (!example) return;
		this.count(example, row, index);
	}

	/**
	 * Checks once every row has been read; returns the summary. When reading `stoppedEarly` (bad
	 * bytes), the checks about the whole file are skipped: they would describe a cut-off file.
	 */
	finish(stoppedEarly = false): TaskSummary {
		const { log } = this.options;
		const headerLine = this.headerSeen?.line ?? 1;
		if (stoppedEarly) {
			// nothing to add: the reading error says it all
		} else if (!this.headerSeen && this.rows === 0) {
			log.add("error", {
				code: "empty-file",
				line: 1,
				column: 1,
				message: "the file has no rows",
				fix: "write a header line and at least one example (the prize asked for 300 or more)",
			});
		} else if (this.rows === 0) {
			log.add("error", {
				code: "no-rows",
				line: headerLine,
				column: 1,
				message: "the file has a header but no examples",
				fix: "add the examples below the header (the prize asked for 300 or more)",
			});
		} else if (this.type && this.exampleCount < minimumExamples) {
			log.add("warning", {
				code: "few-examples",
				line: headerLine,
				column: 1,
				value: String(this.exampleCount),
				message: `only ${this.exampleCount} valid example${this.exampleCount === 1 ? "" : "s"}; the prize asked for at least ${minimumExamples} (about 1000 recommended)`,
				fix: "add more examples, e.g. by generating more from the same templates",
			});
		}
		const used = this.answerCounts.flatMap((n, i) => (n > 0 ? [i] : []));
		if (!stoppedEarly && this.exampleCount >= 2 && used.length === 1 && this.headerSeen) {
			log.add("warning", {
				code: "constant-answer",
				...this.headerSeen.at(this.columnOf.get("answer_index") ?? "answer_index"),
				value: String(used[0]),
				message: `every example has answer_index ${used[0]}: a model that always gives the same answer solves the task`,
				fix: "balance the answers, e.g. shuffle the classes of each example and update answer_index",
			});
		}
		return {
			rows: this.rows,
			examples: this.exampleCount,
			classCounts: Object.fromEntries([...this.classCounts].sort((a, b) => a[0] - b[0])),
			answerShare: Array.from(this.answerCounts, (n) =>
				this.exampleCount > 0 ? (n ?? 0) / this.exampleCount : 0,
			),
			errorCount: log.errorCount,
			warningCount: log.warningCount,
			omitted: log.omitted,
		};
	}

	private addError(problem: ReadProblem, row: number | undefined): void {
		const { code, line, column, message, fix, value } = problem;
		this.options.log.add("error", {
			code,
			line,
			column,
			...(row === undefined ? {} : { row }),
			...(value === undefined ? {} : { value: shortenValue(value) }),
			message,
			fix,
		});
	}

	private checkRow(
		row: SourceRow,
		index: number,
		type: TaskType,
		problems: CellProblem[],
	): Example | undefined {
		const col = (name: string) => this.columnOf.get(name)!;
		const take = <T>(result: CellResult<T>): T | undefined => {
			if (result.kind === "ok") return result.value;
			problems.push(result.problem);
			return undefined;
		};
		const base = { index, line: row.line, extra: this.extraColumns(row) };
		const prompt = take(readText(row, col("prompt"), "prompt"));
		if (type === "exact_answer") {
			const answer = take(readAnswerText(row, col("answer")));
			const aliasColumn = this.columnOf.get("aliases");
			const aliases = aliasColumn ? take(readAliases(row, aliasColumn)) : { values: [], positions: [] };
			if (answer !== undefined && aliases) this.checkAliases(answer, aliases, problems);
			if (
				prompt === undefined ||
				answer === undefined ||
				!aliases ||
				problems.some((p) => p.severity === "error")
			)
				return undefined;
			return { kind: "exact_answer", ...base, prompt, answer, aliases: aliases.values };
		}
		if (prompt !== undefined) this.checkPromptEnd(row, col("prompt"), prompt, "prompt", problems);
		if (type === "sequence_prob") {
			const completion = take(readText(row, col("completion"), "completion"));
			if (completion !== undefined && !completion.startsWith(" ")) {
				problems.push(
					leadingSpace(
						"completion-leading-space",
						row.at(col("completion"), 0),
						completion,
						"the completion",
					),
				);
			}
			if (prompt === undefined || completion === undefined || problems.some((p) => p.severity === "error"))
				return undefined;
			return { kind: "sequence_prob", ...base, prompt, completion };
		}
		let otherPrompt: string | undefined;
		if (type !== "classification") {
			otherPrompt = take(readText(row, col("other_prompt"), "other_prompt"));
			if (otherPrompt !== undefined)
				this.checkPromptEnd(row, col("other_prompt"), otherPrompt, "other_prompt", problems);
		}
		const classes = take(readClasses(row, col("classes")));
		if (classes) this.checkClasses(row, classes, type, problems);
		const answer = take(readAnswerIndex(row, col("answer_index"), classes?.values.length));
		if (
			prompt === undefined ||
			!classes ||
			answer === undefined ||
			problems.some((p) => p.severity === "error")
		) {
			return undefined;
		}
		if (type === "classification") {
			return { kind: "classification", ...base, prompt, classes: classes.values, answerIndex: answer };
		}
		return {
			kind: "logodds",
			...base,
			prompt,
			otherPrompt: otherPrompt!,
			classes: [classes.values[0], classes.values[1]],
			answerIndex: answer as 0 | 1,
		};
	}

	private checkPromptEnd(
		row: SourceRow,
		column: string,
		text: string,
		label: string,
		problems: CellProblem[],
	): void {
		if (!text.endsWith(" ")) return;
		problems.push({
			severity: "warning",
			code: "prompt-trailing-space",
			...row.at(column, text.length - 1),
			value: shortenValue(text.slice(-40)),
			message: `the ${label} ends with a space; by convention the space starts each class instead`,
			fix: `remove the trailing space from the ${label} and start every class with one (" Yes")`,
		});
	}

	private checkAliases(answer: string, aliases: ClassList, problems: CellProblem[]): void {
		const seen = new Map<string, number>([[answer.trim(), -1]]);
		aliases.values.forEach((alias, k) => {
			const where = aliases.positions[k];
			const earlier = seen.get(alias.trim());
			if (alias.trim() === "") {
				problems.push({
					severity: "error",
					code: "alias-empty",
					...where,
					value: alias,
					message: `alias ${k} is empty: an empty answer would count as right`,
					fix: "remove the empty alias",
				});
			} else if (earlier !== undefined) {
				problems.push({
					severity: "warning",
					code: "duplicate-alias",
					...where,
					value: alias,
					message: `alias ${k} repeats ${earlier === -1 ? "the answer" : `alias ${earlier}`}`,
					fix: "remove the repeated alias",
				});
			} else {
				seen.set(alias.trim(), k);
			}
		});
	}

	private checkClasses(row: SourceRow, classes: ClassList, type: TaskType, problems: CellProblem[]): void {
		const at = row.at(this.columnOf.get("classes")!);
		const count = classes.values.length;
		if (type !== "classification" && count !== 2) {
			problems.push({
				severity: "error",
				code: "logodds-classes",
				...at,
				value: String(count),
				message: `a ${type} task needs exactly 2 classes, this row has ${count}`,
				fix: "give exactly two classes, e.g. \"[' Yes', ' No']\"",
			});
		} else if (count < 2) {
			problems.push({
				severity: "error",
				code: "classes-too-few",
				...at,
				value: String(count),
				message: `a classification row needs at least 2 classes, this one has ${count}`,
				fix: "list every answer the model chooses among, e.g. \"[' Yes', ' No']\"",
			});
		}
		const firstSeen = new Map<string, number>();
		classes.values.forEach((value, k) => {
			const where = classes.positions[k];
			if (value === "") {
				problems.push({
					severity: "error",
					code: "class-empty",
					...where,
					value: "",
					message: `class ${k} is an empty string: it has no tokens to score`,
					fix: 'write the class text, starting with a space (" Yes")',
				});
				return;
			}
			if (!value.startsWith(" "))
				problems.push(leadingSpace("class-leading-space", where, value, `class ${k}`));
			const earlier = firstSeen.get(value);
			if (earlier !== undefined) {
				problems.push({
					severity: "warning",
					code: "duplicate-class",
					...where,
					value,
					message: `class ${k} repeats class ${earlier}: the same answer is listed twice`,
					fix: "remove the repeated class (and update answer_index)",
				});
			} else {
				firstSeen.set(value, k);
			}
		});
	}

	private extraColumns(row: SourceRow): ExtraColumns {
		const extra: ExtraColumns = {};
		if (!this.options.keepExamples) return extra;
		const used = new Set(this.columnOf.values());
		for (const column of row.columns()) {
			if (!used.has(column) && !(column in columnAliases && used.has(columnAliases[column]))) {
				extra[column] = row.get(column);
			}
		}
		return extra;
	}

	private count(example: Example, row: SourceRow, index: number): void {
		this.exampleCount++;
		let parts: string[];
		if (example.kind === "sequence_prob") {
			parts = [example.kind, example.prompt, example.completion];
		} else if (example.kind === "exact_answer") {
			parts = [example.kind, example.prompt, example.answer];
		} else {
			const n = example.classes.length;
			this.classCounts.set(n, (this.classCounts.get(n) ?? 0) + 1);
			this.answerCounts[example.answerIndex] = (this.answerCounts[example.answerIndex] ?? 0) + 1;
			const other = example.kind === "logodds" ? example.otherPrompt : "";
			parts = [example.kind, example.prompt, other, String(example.answerIndex), ...example.classes];
		}
		const firstLine = this.seen.addOrGet(hash64(parts), row.line);
		if (firstLine !== undefined) {
			this.options.log.add("warning", {
				code: "duplicate-example",
				line: row.line,
				column: 1,
				row: index,
				value: shortenValue(example.prompt),
				message: `this example repeats the one on line ${firstLine}`,
				fix: "remove the duplicate: repeated examples weigh twice in the mean",
			});
		}
		if (this.options.keepExamples) this.examples.push(example);
	}
}

function leadingSpace(code: string, at: SourcePosition, value: string, label: string): CellProblem {
	return {
		severity: "warning",
		code,
		...at,
		value: shortenValue(value),
		message: `${label} does not start with a space; tokenizers split " Yes" and "Yes" differently`,
		fix: `start it with a space: " ${shortenValue(value, 30)}" (and end the prompt without one)`,
	};
}
