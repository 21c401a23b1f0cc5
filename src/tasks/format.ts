/** @module Showing validation results: a readable summary with its diagnostics, or one JSON document. */
import { basename } from "node:path";
import { formatDiagnostic, shortenValue } from "./diagnostics.js";
import { plottedMetric } from "./type-names.js";
import type { Diagnostic, PlottedMetric, TaskCard, ValidationResult } from "./types.js";

/** The document `invscale validate --json` prints. */
export interface ValidationJson {
	schema: "invscale.validate/1";
	/** True when no file has errors. */
	valid: boolean;
	files: Array<ValidationResult & { plottedMetric: PlottedMetric }>;
}

export function validationJson(results: ValidationResult[]): ValidationJson {
	return {
		schema: "invscale.validate/1",
		valid: results.every((r) => r.valid),
		files: results.map((r) => ({ ...r, plottedMetric: plottedMetric(r.typeName) })),
	};
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function typeLine(r: ValidationResult): string {
	if (r.typeSource === "unresolved") return "unknown (see the errors below)";
	const from = { option: "from --type", card: "from the card", columns: "from the columns" }[r.typeSource];
	const alias = r.typeName === r.type ? "" : ` = ${r.type}`;
	return `${r.typeName}${alias} (${from}; plotted: ${plottedMetric(r.typeName)})`;
}

function cardLines(card: TaskCard | undefined, cardFile: string | undefined): string[] {
	if (!card) return ["  card      none"];
	const facts = [card.shots, card.licence, card.authors && `by ${card.authors.join(", ")}`].filter(Boolean);
	const lines = [
		`  card      ${cardFile ? basename(cardFile) : "given"}: ${card.name ? `"${card.name}"` : "(no name)"}${facts.length ? `, ${facts.join(", ")}` : ""}`,
	];
	if (card.description) lines.push(`            ${shortenValue(card.description, 100)}`);
	return lines;
}

/** A file's summary and its diagnostics (at most `maxShown`, errors first) as terminal text. */
export function formatValidation(r: ValidationResult, maxShown = 50): string {
	const s = r.summary;
	const lines = [
		r.file,
		`  type      ${typeLine(r)}`,
		`  examples  ${s.examples} of ${plural(s.rows, "row")}`,
	];
	const counts = Object.entries(s.classCounts);
	if (counts.length > 0) {
		lines.push(`  classes   ${counts.map(([k, n]) => `${k} classes: ${plural(n, "example")}`).join(", ")}`);
	}
	if (s.answerShare.length > 0) {
		lines.push(`  answers   ${s.answerShare.map((share, i) => `${i}: ${percent(share)}`).join("  ")}`);
	}
	lines.push(...cardLines(r.card, r.cardFile));
	const verdict = r.valid ? "valid" : "INVALID";
	const tally = [plural(s.errorCount, "error"), plural(s.warningCount, "warning")].join(", ");
	lines.push(`  ${verdict}${s.errorCount + s.warningCount === 0 ? ", no warnings" : `: ${tally}`}`);

	const shown: Diagnostic[] = [...r.errors, ...r.warnings].slice(0, maxShown);
	for (const d of shown) lines.push(formatDiagnostic(d));
	const hidden = s.errorCount + s.warningCount - shown.length;
	if (hidden > 0) {
		const byCode = new Map<string, number>(Object.entries(s.omitted));
		for (const d of [...r.errors, ...r.warnings].slice(maxShown))
			byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
		const codes = [...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ×${n}`);
		lines.push(`  … and ${hidden} more (${codes.join(", ")})`);
	}
	return lines.join("\n");
}
