/** @module Collecting diagnostics with a per-file limit (the rest counted by code), and showing them. */
import type { Diagnostic, Severity } from "./types.js";

/** Diagnostics of each severity kept per file by default; the rest are only counted. */
export const defaultMaxDiagnostics = 50;

/** Shortens a value for display: one line, at most `max` characters, newlines shown as ⏎. */
export function shortenValue(value: unknown, max = 60): string {
	const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
	const oneLine = text.replace(/\r?\n/g, "⏎");
	return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export class DiagnosticLog {
	readonly errors: Diagnostic[] = [];
	readonly warnings: Diagnostic[] = [];
	errorCount = 0;
	warningCount = 0;
	readonly omitted: Record<string, number> = {};

	constructor(
		readonly file: string,
		private readonly max = defaultMaxDiagnostics,
	) {}

	/** Adds a diagnostic located in this log's file, or in `diagnostic.file` (e.g. a task card) when given. */
	add(severity: Severity, diagnostic: Omit<Diagnostic, "severity" | "file"> & { file?: string }): void {
		const list = severity === "error" ? this.errors : this.warnings;
		if (severity === "error") this.errorCount++;
		else this.warningCount++;
		if (list.length < this.max) {
			list.push({ severity, ...diagnostic, file: diagnostic.file ?? this.file });
		} else {
			this.omitted[diagnostic.code] = (this.omitted[diagnostic.code] ?? 0) + 1;
		}
	}
}

/**
 * One diagnostic as text: `file:line:column: error [code] message`, then the value and the fix on
 * indented lines (the form editors and terminals turn into links).
 */
export function formatDiagnostic(d: Diagnostic): string {
	const row = d.row === undefined ? "" : ` (row ${d.row})`;
	const lines = [`${d.file}:${d.line}:${d.column}: ${d.severity} [${d.code}] ${d.message}${row}`];
	if (d.value !== undefined) lines.push(`    value: ${JSON.stringify(shortenValue(d.value))}`);
	lines.push(`    fix: ${d.fix}`);
	return lines.join("\n");
}
