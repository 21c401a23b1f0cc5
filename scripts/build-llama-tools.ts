/**
 * Builds llama.cpp's `llama-finetune` and `llama-server` once per machine from the source bundle
 * inside node-llama-cpp (the organisms trainer and the real OpenAI-compatible server the tests
 * run against). Prints where they are.
 */
import { buildLlamaTools } from "../src/native/llama-cpp-tools.js";

const started = Date.now();
const paths = await buildLlamaTools(["llama-finetune", "llama-server"], {
	onLine: (line) => process.stderr.write(`llama.cpp: ${line}\n`),
});
for (const [tool, path] of Object.entries(paths)) process.stdout.write(`${tool}: ${path}\n`);
process.stderr.write(`llama.cpp tools ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
