/**
 * @module Progress of file downloads on stderr: one redrawn bar per file on a terminal, plain
 * periodic lines otherwise. The formatting helpers are shared with other progress displays.
 */
import type { DownloadProgress } from "../ladders/download.js";

/** Bytes in decimal units, as the hub shows them: 174602272 → "174.6 MB". */
export function formatBytes(bytes: number): string {
	const units = ["B", "kB", "MB", "GB", "TB"];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return unit === 0 ? `${bytes} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** Whole seconds as `42s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
	const total = Math.max(0, Math.round(seconds));
	if (total < 60) return `${total}s`;
	const minutes = Math.floor(total / 60);
	if (minutes < 60) return `${minutes}m${String(total % 60).padStart(2, "0")}s`;
	return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** A bar `width` cells wide, filled to `fraction` (clamped to 0..1). */
export function renderBar(fraction: number, width: number): string {
	const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
	return `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
}

/** One line: name, bar and percentage (when the total is known), bytes, speed, time left. */
export function formatProgressLine(
	progress: DownloadProgress,
	options: { barWidth?: number; nameWidth?: number } = {},
): string {
	const { bytes, total } = progress;
	const name = options.nameWidth ? progress.file.padEnd(options.nameWidth) : progress.file;
	const parts = [name];
	if (total !== undefined && total > 0) {
		const fraction = bytes / total;
		if (options.barWidth) parts.push(renderBar(fraction, options.barWidth));
		parts.push(
			`${String(Math.floor(fraction * 100)).padStart(3)}%`,
			`${formatBytes(bytes)} / ${formatBytes(total)}`,
		);
	} else parts.push(formatBytes(bytes));
	if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
	if (progress.etaSeconds !== undefined && bytes < (total ?? Number.POSITIVE_INFINITY))
		parts.push(`${formatDuration(progress.etaSeconds)} left`);
	return parts.join("  ");
}

export interface DownloadProgressDisplay {
	/** Feed it every progress event; it decides when to draw. */
	update(progress: DownloadProgress): void;
	/** Marks a file done (or failed, with a note) and draws its final line. */
	finish(file: string, note?: string): void;
	/** Draws the last state; call once at the end. */
	close(): void;
}

export interface DownloadProgressOptions {
	/** Redraw bars in place (default: whether the stream is a terminal). */
	tty?: boolean;
	/** Plain mode: least time between two lines for the same file (default 5 s). */
	lineIntervalMs?: number;
	now?: () => number;
}

/** What the display writes to: stderr, or anything with `write` (tests, logs). */
export interface ProgressStream {
	write(text: string): unknown;
	isTTY?: boolean;
	columns?: number;
}

/** A display writing to `stream` (default stderr). */
export function createDownloadProgress(
	stream: ProgressStream = process.stderr,
	options: DownloadProgressOptions = {},
): DownloadProgressDisplay {
	const tty = options.tty ?? stream.isTTY === true;
	const now = options.now ?? (() => Date.now());
	const files = new Map<string, { progress: DownloadProgress; note?: string; lastLine: number }>();
	let drawnLines = 0;
	let lastDraw = Number.NEGATIVE_INFINITY;

	const line = (entry: { progress: DownloadProgress; note?: string }, nameWidth?: number) => {
		const text = formatProgressLine(entry.progress, { barWidth: tty ? 24 : undefined, nameWidth });
		return entry.note ? `${text}  ${entry.note}` : text;
	};

	const redraw = () => {
		const nameWidth = Math.max(...[...files.keys()].map((name) => name.length));
		const columns = stream.columns ?? 120;
		let out = drawnLines > 0 ? `\x1b[${drawnLines}A` : "";
		for (const entry of files.values()) out += `\r\x1b[2K${line(entry, nameWidth).slice(0, columns - 1)}\n`;
		stream.write(out);
		drawnLines = files.size;
		lastDraw = now();
	};

	return {
		update(progress) {
			const entry = files.get(progress.file);
			if (entry) entry.progress = progress;
			else files.set(progress.file, { progress, lastLine: Number.NEGATIVE_INFINITY });
			const current = files.get(progress.file)!;
			if (tty) {
				if (!entry || now() - lastDraw >= 100) redraw();
				return;
			}
			if (now() - current.lastLine >= (options.lineIntervalMs ?? 5000)) {
				stream.write(`${line(current)}\n`);
				current.lastLine = now();
			}
		},
		finish(file, note = "done") {
			const entry = files.get(file);
			if (!entry) return;
			entry.note = note;
			if (tty) redraw();
			else stream.write(`${line(entry)}\n`);
		},
		close() {
			if (tty && files.size > 0) redraw();
		},
	};
}
