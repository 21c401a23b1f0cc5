/**
 * @module The scoring benchmark's tasks: a 4-class classification CSV in the prize's format with
 * prompts of about 200 tokens (in the stories260K vocabulary), each prompt different from its
 * first word on, so no run can reuse one example's work for another; and a few-shot variant whose
 * prompts all open with the same four demonstrations of about 40 tokens each.
 */
import { writeFileSync } from "node:fs";

const words = (
	"once upon a time there was a little girl named lily she liked to play with her dog in the park " +
	"one day they saw a big red ball and a tree by the water the sun was warm so they sat down to rest " +
	"tom came too he had a box of toys mom said it was time to go home"
).split(" ");

/** Single tokens in this vocabulary, as " A"…" D" are in real 32000-token vocabularies. */
export const benchClasses = [" happy", " big", " up", " day"];

/** A small deterministic generator, so every run scores the same text. */
function lcg(seed: number): () => number {
	let x = seed >>> 0;
	return () => {
		x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
		return x / 2 ** 32;
	};
}

function csvField(text: string): string {
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes `count` examples to `file`; prompt lengths vary between about 180 and 220 tokens. */
export function writeBenchTask(file: string, count: number, seed = 5): void {
	const next = lcg(seed);
	const lines = ["prompt,classes,answer_index"];
	for (let i = 0; i < count; i++) {
		const length = 118 + Math.floor(next() * 26);
		const story = Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(" ");
		const prompt = `${story}.\nHow did the story end? It was a`;
		const classes = `[${benchClasses.map((c) => `'${c}'`).join(", ")}]`;
		lines.push(`${csvField(prompt)},${csvField(classes)},${i % benchClasses.length}`);
	}
	writeFileSync(file, `${lines.join("\n")}\n`);
}

/** Four demonstrations of about 40 tokens each, the same before every prompt of the few-shot task. */
export const prefixDemonstrations = (() => {
	const next = lcg(99);
	return Array.from({ length: 4 }, (_, i) => {
		const story = Array.from({ length: 24 }, () => words[Math.floor(next() * words.length)]).join(" ");
		return `${story}.\nHow did the story end? It was a${benchClasses[i]}.\n\n`;
	}).join("");
})();

/** Writes `count` few-shot examples: the demonstrations, then a story of about 40 tokens. */
export function writePrefixTask(file: string, count: number, seed = 7): void {
	const next = lcg(seed);
	const lines = ["prompt,classes,answer_index"];
	for (let i = 0; i < count; i++) {
		const length = 22 + Math.floor(next() * 8);
		const story = Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(" ");
		const prompt = `${prefixDemonstrations}${story}.\nHow did the story end? It was a`;
		const classes = `[${benchClasses.map((c) => `'${c}'`).join(", ")}]`;
		lines.push(`${csvField(prompt)},${csvField(classes)},${i % benchClasses.length}`);
	}
	writeFileSync(file, `${lines.join("\n")}\n`);
}
