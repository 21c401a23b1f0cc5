/** @module Default model names and families for models given only as files. */
import { basename } from "node:path";

/** File name without folders and without a `.gguf` (or other) extension. */
export function fileStem(path: string): string {
	const base = basename(path.replace(/\\/g, "/"));
	const dot = base.lastIndexOf(".");
	return dot > 0 ? base.slice(0, dot) : base;
}

// Longest first, so "smollm2" wins over "smollm" and "qwen2.5" over "qwen2".
const knownFamilies = [
	"distilgpt2",
	"qwen2.5",
	"smollm2",
	"smollm3",
	"smollm",
	"pythia",
	"qwen3",
	"qwen2",
	"gemma",
	"llama",
	"gpt2",
	"olmo",
	"phi",
	"opt",
].sort((a, b) => b.length - a.length);

/**
 * The family a model name starts with (`pythia-410m.Q8_0` → `pythia`, `distilgpt2` → `gpt2`),
 * or "default" when the name starts with none of the families invscale knows.
 */
export function inferFamily(name: string): string {
	const lower = name.toLowerCase();
	const found = knownFamilies.find((family) => lower.startsWith(family));
	if (!found) return "default";
	return found === "distilgpt2" ? "gpt2" : found;
}
