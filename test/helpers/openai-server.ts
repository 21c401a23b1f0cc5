/** @module The OpenAI/vLLM-compatible test server (implemented in src/testing so benchmarks can import it from dist). */
export {
	FAULT_KINDS,
	type FaultKind,
	type OpenAITestServer,
	type OpenAITestServerOptions,
	type ServerFlavour,
	type ServerStats,
	startOpenAITestServer,
} from "../../src/testing/openai-server.js";
