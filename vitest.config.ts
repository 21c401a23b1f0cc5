import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["src/**/*.test.ts", "test/**/*.test.ts"],
		// One line when browser tests are skipped for want of Chromium (a failure under CI=true).
		globalSetup: ["test/global-setup.ts"],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// Model-backed tests load native llama.cpp contexts; two cores cannot run many at once.
		maxWorkers: 2,
	},
});
