import { describe, expect, it } from "vitest";
import {
	createDownloadProgress,
	formatBytes,
	formatDuration,
	formatProgressLine,
	renderBar,
} from "../../src/cli/download-progress.js";

class Sink {
	text = "";
	isTTY?: boolean;
	columns = 200;
	write(chunk: string): boolean {
		this.text += chunk;
		return true;
	}
}

describe("progress formatting", () => {
	it("formats bytes in decimal units and durations", () => {
		expect(formatBytes(999)).toBe("999 B");
		expect(formatBytes(174_602_272)).toBe("175 MB");
		expect(formatBytes(7_292_706_720)).toBe("7.3 GB");
		expect(formatBytes(12_345)).toBe("12.3 kB");
		expect(formatDuration(42.4)).toBe("42s");
		expect(formatDuration(185)).toBe("3m05s");
		expect(formatDuration(3720)).toBe("1h02m");
	});

	it("fills a bar in proportion", () => {
		expect(renderBar(0.5, 10)).toBe("█████░░░░░");
		expect(renderBar(1.5, 4)).toBe("████");
		expect(renderBar(-1, 3)).toBe("░░░");
	});

	it("writes bytes, percentage, speed and time left", () => {
		const line = formatProgressLine(
			{ file: "a.gguf", bytes: 50_000_000, total: 200_000_000, bytesPerSecond: 10_000_000, etaSeconds: 15 },
			{ barWidth: 4 },
		);
		expect(line).toBe("a.gguf  █░░░   25%  50.0 MB / 200 MB  10.0 MB/s  15s left");
		expect(
			formatProgressLine({
				file: "b",
				bytes: 2000,
				total: undefined,
				bytesPerSecond: 0,
				etaSeconds: undefined,
			}),
		).toBe("b  2.0 kB");
	});
});

describe("createDownloadProgress", () => {
	it("prints plain lines at most every interval, and a final line per file, when not a terminal", () => {
		const sink = new Sink();
		let clock = 0;
		const display = createDownloadProgress(sink, { tty: false, lineIntervalMs: 1000, now: () => clock });
		const at = (bytes: number) => ({
			file: "m.gguf",
			bytes,
			total: 100,
			bytesPerSecond: 0,
			etaSeconds: undefined,
		});
		display.update(at(10));
		clock = 500;
		display.update(at(20));
		clock = 1200;
		display.update(at(60));
		display.update(at(100));
		display.finish("m.gguf");
		display.close();
		expect(sink.text.split("\n").filter(Boolean)).toEqual([
			"m.gguf   10%  10 B / 100 B",
			"m.gguf   60%  60 B / 100 B",
			"m.gguf  100%  100 B / 100 B  done",
		]);
		expect(sink.text).not.toContain("\x1b[");
	});

	it("redraws one bar per file in place on a terminal", () => {
		const sink = new Sink();
		let clock = 0;
		const display = createDownloadProgress(sink, { tty: true, now: () => clock });
		display.update({ file: "a.gguf", bytes: 1, total: 2, bytesPerSecond: 0, etaSeconds: undefined });
		display.update({ file: "b.gguf", bytes: 1, total: 4, bytesPerSecond: 0, etaSeconds: undefined });
		clock = 500;
		display.finish("a.gguf");
		// The second draw moves up one line, the third up two (both bars), then rewrites them.
		expect(sink.text).toContain("\x1b[1A");
		expect(sink.text).toContain("\x1b[2A");
		const last = sink.text.slice(sink.text.lastIndexOf("\x1b[2A"));
		expect(last).toContain("a.gguf");
		expect(last).toContain("done");
		expect(last).toContain("b.gguf");
	});
});
