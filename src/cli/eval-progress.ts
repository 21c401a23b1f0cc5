/**
 * @module The progress display of `invscale eval` on stderr: one redrawn bar per model on a
 * terminal (examples/s, ETA, retries and concurrency for servers), plain periodic lines otherwise,
 * and a results table per task at the end. It only listens to engine events.
 */
import type { EvalEvent, EvalEventListener } from "../engine/types.js";
import { reasoningTokensCell } from "../generation/rows.js";
import { formatCount } from "../ladders/numbers.js";
import type { MeanSe, RunSummary } from "../run/manifest.js";
import {
	createDownloadProgress,
	formatDuration,
	type ProgressStream,
	renderBar,
} from "./download-progress.js";

interface Line {
	key: string;
	text: string;
}

export interface EvalProgressOptions {
	tty?: boolean;
	/** Plain mode: least time between two lines for one model (default 10 s). */
	lineIntervalMs?: number;
}

export function createEvalProgress(
	stream: ProgressStream = process.stderr,
	options: EvalProgressOptions = {},
): EvalEventListener & { close(): void } {
	const tty = options.tty ?? stream.isTTY === true;
	const downloads = createDownloadProgress(stream, { tty });
	const lines: Line[] = [];
	const lastPlain = new Map<string, number>();
	let tasks = 0;
	/** With several tasks, each bar says which task it belongs to. */
	const label = (task: string, model: string) => (tasks > 1 ? `${task} · ${model}` : model);
	let drawn = 0;
	let lastDraw = 0;

	const redraw = (force = false) => {
		if (!tty) return;
		const now = Date.now();
		if (!force && now - lastDraw < 100) return;
		lastDraw = now;
		const columns = stream.columns ?? 120;
		let out = drawn > 0 ? `\x1b[${drawn}A` : "";
		for (const line of lines) out += `\r\x1b[2K${line.text.slice(0, columns - 1)}\n`;
		stream.write(out);
		drawn = lines.length;
	};
	const setLine = (key: string, text: string) => {
		const found = lines.find((l) => l.key === key);
		if (found) found.text = text;
		else lines.push({ key, text });
	};
	/** Text printed above the bars (warnings, task headers) scrolls with the output. */
	const say = (text: string) => {
		if (tty && drawn > 0) {
			stream.write(`\x1b[${drawn}A\r\x1b[J${text}\n`);
			drawn = 0;
			redraw(true);
		} else stream.write(`${text}\n`);
	};

	const listener = (event: EvalEvent) => {
		switch (event.type) {
			case "validated":
				for (const w of event.warnings.slice(0, 5))
					say(`warning: ${w.file}:${w.line}:${w.column}: ${w.message}`);
				if (event.warnings.length > 5)
					say(`  … ${event.warnings.length - 5} more warnings (invscale validate shows all)`);
				return;
			case "task-start":
				tasks++;
				say(`${event.task}: ${event.examples} examples × ${event.models.length} models → ${event.dir}`);
				return;
			case "download":
				downloads.update(event);
				return;
			case "model-start":
				setLine(`${event.task}/${event.model}`, `${label(event.task, event.model)}  loading…`);
				redraw(true);
				return;
			case "progress": {
				const rate = event.elapsedMs > 0 ? (event.done / event.elapsedMs) * 1000 : 0;
				const eta = rate > 0 ? (event.total - event.done) / rate : undefined;
				const parts = [
					label(event.task, event.model),
					tty ? renderBar(event.total ? event.done / event.total : 1, 24) : "",
					`${event.done}/${event.total}`,
					`${rate.toFixed(rate >= 10 ? 0 : 1)} ex/s`,
					eta !== undefined && event.done < event.total ? `${formatDuration(eta)} left` : "",
					event.retries ? `${event.retries} retries` : "",
					event.concurrency ? `concurrency ${event.concurrency}` : "",
				].filter(Boolean);
				const key = `${event.task}/${event.model}`;
				setLine(key, parts.join("  "));
				if (tty) redraw();
				else if (Date.now() - (lastPlain.get(key) ?? 0) >= (options.lineIntervalMs ?? 10_000)) {
					lastPlain.set(key, Date.now());
					stream.write(`${event.task}: ${parts.join("  ")}\n`);
				}
				return;
			}
			case "model-end": {
				const key = `${event.task}/${event.model}`;
				const name = label(event.task, event.model);
				const previous = lines.find((l) => l.key === key)?.text ?? name;
				const text = event.status === "ok" ? `${previous}  done` : `${name}  FAILED`;
				setLine(key, text);
				if (tty) redraw(true);
				else stream.write(`${event.task}: ${text}\n`);
				if (event.status === "failed" && event.error) say(`error: ${event.model}: ${event.error}`);
				return;
			}
			case "task-end":
				// The bars are finished: leave them on screen as they are and print the table below.
				redraw(true);
				lines.length = 0;
				drawn = 0;
				stream.write(`\n${formatSummaryTable(event.summary)}\n  results: ${event.dir}\n`);
				return;
			case "log":
				say(`${event.level === "warn" ? "warning: " : ""}${event.message}`);
				return;
		}
	};
	return Object.assign(listener, {
		close() {
			downloads.close();
			redraw(true);
		},
	});
}

function cell(value: MeanSe | undefined, digits: number): string {
	if (!value) return "—";
	const se = value.se === null ? "" : ` ± ${value.se.toFixed(digits)}`;
	return `${value.mean.toFixed(digits)}${se}`;
}

/**
 * The final table of a task: model, size, loss ± SE, accuracy ± SE, coverage; for generation also
 * the share of answers read and the mean reasoning tokens used.
 */
export function formatSummaryTable(summary: RunSummary): string {
	const header = [
		"model",
		"params",
		"loss ± SE",
		"accuracy ± SE",
		"log-odds ± SE",
		"coverage",
		"parsed",
		"reasoning tokens",
	];
	const rows = summary.models.map((m) => [
		m.status === "ok" ? m.name : `${m.name} (${m.status})`,
		m.parameters ? formatCount(m.parameters) : "?",
		cell(m.loss, 3),
		cell(m.correct, 3),
		cell(m.logodds_difference, 3),
		m.coverage === undefined || Number.isNaN(m.coverage) ? "—" : `${(m.coverage * 100).toFixed(1)}%`,
		m.parseRate === undefined ? "—" : `${(m.parseRate * 100).toFixed(0)}%`,
		reasoningTokensCell(m),
	]);
	// Drop columns that this task type never fills.
	const keep = header.map((_, i) => i < 2 || rows.some((r) => r[i] !== "—"));
	const table = [header, ...rows].map((r) => r.filter((_, i) => keep[i]));
	const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
	const chance = summary.models.find((m) => m.chance)?.chance;
	const out = [`${summary.task} (${summary.typeName}, plotted: ${summary.plotted})`];
	for (const [i, r] of table.entries()) {
		out.push(`  ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ")}`);
		if (i === 0) out.push(`  ${widths.map((w) => "─".repeat(w)).join("  ")}`);
	}
	if (chance) out.push(`  chance: loss ${chance.loss.toFixed(3)}, accuracy ${chance.accuracy.toFixed(3)}`);
	return out.join("\n");
}
