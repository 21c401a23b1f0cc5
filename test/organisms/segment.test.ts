/** A trainer that fails or is stopped mid-write never leaves a model under its final name. */
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSegment } from "../../src/organisms/finetune.js";

const settings = { context: 256, batch: 256, learningRate: 1e-3, weightDecay: 0, threads: 1 };

/** A stand-in trainer: writes half a file to its --output, then exits as told. */
function fakeTrainer(dir: string, exit: number): string {
	const path = join(dir, `trainer-${exit}.sh`);
	writeFileSync(
		path,
		`#!/bin/sh\nout=""\nwhile [ $# -gt 0 ]; do [ "$1" = "--output" ] && out="$2"; shift; done\nprintf 'GGUF\\003\\000\\000\\000' > "$out"\necho "disk full" >&2\nexit ${exit}\n`,
	);
	chmodSync(path, 0o755);
	return path;
}

describe("one training segment", () => {
	it("leaves nothing under the final name when the trainer fails", async () => {
		const dir = mkdtempSync(join(tmpdir(), "organisms-segment-"));
		const to = join(dir, "out.gguf");
		await expect(runSegment(fakeTrainer(dir, 1), "in.gguf", "text.txt", to, settings)).rejects.toThrow(
			/exit 1[\s\S]*disk full/,
		);
		expect(existsSync(to)).toBe(false);
		expect(readdirSync(dir).filter((f) => f.includes(".part"))).toEqual([]);
	});

	it("refuses a file that does not read back whole, even when the trainer says it succeeded", async () => {
		const dir = mkdtempSync(join(tmpdir(), "organisms-segment-"));
		const to = join(dir, "out.gguf");
		await expect(runSegment(fakeTrainer(dir, 0), "in.gguf", "text.txt", to, settings)).rejects.toThrow();
		expect(existsSync(to)).toBe(false);
		expect(readdirSync(dir).filter((f) => f.includes(".part"))).toEqual([]);
	});
});
