/**
 * @module One training segment with llama.cpp's trainer (`llama-finetune`, AdamW on all weights):
 * from a GGUF file and a text file to a new GGUF file. The output appears under its final name
 * only when the trainer has finished and the file reads back whole.
 */
import { spawn } from "node:child_process";
import { renameSync, rmSync } from "node:fs";
import { type ReadGguf, readGgufFile } from "../gguf/read.js";

export interface SegmentSettings {
	context: number;
	batch: number;
	learningRate: number;
	weightDecay: number;
	threads: number;
}

export interface SegmentProgress {
	/** Optimiser steps done and in all, as the trainer counts them. */
	done: number;
	total: number;
	/** Mean training loss so far in this segment (nats per token). */
	loss: number;
}

/** The trainer's command line for one segment of one epoch, no validation split. */
export function finetuneArgs(from: string, text: string, to: string, s: SegmentSettings): string[] {
	return [
		"--model",
		from,
		"--file",
		text,
		"--output",
		to,
		"--ctx-size",
		String(s.context),
		"--batch-size",
		String(s.context),
		"--ubatch-size",
		String(s.batch),
		"--threads",
		String(s.threads),
		"--learning-rate",
		String(s.learningRate),
		"--weight-decay",
		String(s.weightDecay),
		"--epochs",
		"1",
		"--val-split",
		"0",
		"--optimizer",
		"adamw",
		"--flash-attn",
		"off",
		"--seed",
		"1",
	];
}

const PROGRESS = /data=(\d+)\/(\d+) loss=([0-9.]+)/;

/** Runs one segment and resolves with the checkpoint as read back; rejects with the trainer's last lines when it fails. */
export function runSegment(
	finetune: string,
	from: string,
	text: string,
	to: string,
	settings: SegmentSettings,
	onProgress: (p: SegmentProgress) => void = () => {},
	signal?: AbortSignal,
): Promise<{ loss: number | null; trained: ReadGguf }> {
	const part = `${to}.${process.pid}.part`;
	return new Promise((resolve, reject) => {
		const child = spawn(finetune, finetuneArgs(from, text, part, settings), {
			stdio: ["ignore", "pipe", "pipe"],
			signal,
		});
		const tail: string[] = [];
		let loss: number | null = null;
		let pending = "";
		const take = (chunk: Buffer) => {
			const pieces = (pending + chunk.toString("utf8")).split(/[\r\n]/);
			pending = pieces.pop() ?? "";
			for (const piece of pieces) {
				if (!piece.trim()) continue;
				tail.push(piece);
				if (tail.length > 40) tail.shift();
				const m = PROGRESS.exec(piece);
				if (m) {
					loss = Number(m[3]);
					onProgress({ done: Number(m[1]), total: Number(m[2]), loss });
				}
			}
		};
		child.stdout.on("data", take);
		child.stderr.on("data", take);
		child.on("error", (error) => {
			rmSync(part, { force: true });
			reject(error);
		});
		child.on("close", (code, sig) => {
			if (code !== 0) {
				rmSync(part, { force: true });
				reject(
					new Error(
						`llama-finetune ${sig ? `was stopped by ${sig}` : `failed (exit ${code})`}:\n${tail.slice(-15).join("\n")}`,
					),
				);
				return;
			}
			try {
				const trained = readGgufFile(part); // a file that does not parse whole never takes the final name
				renameSync(part, to);
				resolve({ loss, trained });
			} catch (error) {
				rmSync(part, { force: true });
				reject(error);
			}
		});
	});
}
