/** @module The process-wide llama.cpp runtime, created on first use (never at import time). */
import type { Llama } from "node-llama-cpp";

let runtime: Promise<Llama> | undefined;

/** Loads the llama.cpp bindings once; uses a GPU when the machine has one, the CPU otherwise. */
export function llamaRuntime(): Promise<Llama> {
	runtime ??= (async () => {
		const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
		// Prebuilt binaries only: building from source would need a network and minutes.
		return getLlama({ gpu: "auto", build: "never", logLevel: LlamaLogLevel.error });
	})();
	return runtime;
}
