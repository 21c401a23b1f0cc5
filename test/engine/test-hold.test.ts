/** The engine's test hold point: off by default, and a gate at a fixed call when asked for. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withTestHold } from "../../src/engine/test-hold.js";
import { createFakeBackend, seq } from "../helpers/fake-backend.js";

const dir = mkdtempSync(join(tmpdir(), "invscale-hold-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const request = () => [{ context: seq("Q:"), continuations: [seq(" a")] }];
const settled = async (p: Promise<unknown>) => {
	let done = false;
	void p.then(() => (done = true));
	await new Promise((r) => setTimeout(r, 50));
	return done;
};

describe("withTestHold", () => {
	it("is the backend itself unless both variables name this model", () => {
		const fake = createFakeBackend();
		expect(withTestHold(fake, "m", undefined, {})).toBe(fake);
		expect(withTestHold(fake, "m", undefined, { INVSCALE_TEST_HOLD_AT: "m@1" })).toBe(fake);
		expect(
			withTestHold(fake, "m", undefined, { INVSCALE_TEST_HOLD_DIR: dir, INVSCALE_TEST_HOLD_AT: "other@1" }),
		).toBe(fake);
	});

	it("lets calls before the point through, holds that call and later ones until released", async () => {
		const fake = createFakeBackend();
		const held = withTestHold(fake, "m", undefined, {
			INVSCALE_TEST_HOLD_DIR: dir,
			INVSCALE_TEST_HOLD_AT: "m@2",
		});
		await held.scoreContinuations(request());
		await held.nextTokenLogprobs([{ context: seq("Q:"), candidates: [97] }]);
		expect(fake.counters.calls).toBe(2);
		const third = held.scoreContinuations(request());
		const fourth = held.scoreContinuations(request());
		expect(await settled(third)).toBe(false);
		expect(existsSync(join(dir, "held-m@2"))).toBe(true);
		expect(fake.counters.calls).toBe(2);
		writeFileSync(join(dir, "release-m@2"), "");
		await Promise.all([third, fourth]);
		expect(fake.counters.calls).toBe(4);
		// Everything else passes through to the backend.
		expect(held.info).toBe(fake.info);
		expect(held.counters).toBe(fake.counters);
	});

	it("lets the held call go when the run is cancelled", async () => {
		const fake = createFakeBackend();
		const controller = new AbortController();
		const held = withTestHold(fake, "n", controller.signal, {
			INVSCALE_TEST_HOLD_DIR: dir,
			INVSCALE_TEST_HOLD_AT: "n@0",
		});
		const first = held.scoreContinuations(request());
		expect(await settled(first)).toBe(false);
		controller.abort();
		await first;
		expect(fake.counters.calls).toBe(1);
	});
});
