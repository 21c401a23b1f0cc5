/**
 * @module A hold point for fault tests: stops a model's backend before a chosen scoring call, so a
 * test can kill or cancel a run at a known point instead of racing it. Off unless both
 * INVSCALE_TEST_HOLD_DIR and INVSCALE_TEST_HOLD_AT are set; nothing in the product sets them.
 *
 * INVSCALE_TEST_HOLD_AT is `<model>@<n>[,<model>@<n>…]`: before the model's scoring call number n
 * (0-based, counting scoreContinuations and nextTokenLogprobs calls to the backend under the cache)
 * the run writes `<dir>/held-<model>@<n>` and lets no further call through until
 * `<dir>/release-<model>@<n>` exists or the run is cancelled. Calls already under way finish.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Backend } from "../backends/types.js";

const pollMs = 10;

function waitForRelease(dir: string, point: string, signal?: AbortSignal): Promise<void> {
	writeFileSync(join(dir, `held-${point}`), `${process.pid}\n`);
	return new Promise((resolve) => {
		const look = () => {
			if (signal?.aborted || existsSync(join(dir, `release-${point}`))) resolve();
			else setTimeout(look, pollMs);
		};
		look();
	});
}

/** The backend itself, or, when the environment asks for a hold on this model, the backend behind a gate. */
export function withTestHold(
	backend: Backend,
	model: string,
	signal?: AbortSignal,
	env: NodeJS.ProcessEnv = process.env,
): Backend {
	const dir = env.INVSCALE_TEST_HOLD_DIR;
	const points = (env.INVSCALE_TEST_HOLD_AT ?? "")
		.split(",")
		.map((p) => p.trim().split("@"))
		.filter(([name, n]) => name === model && n !== undefined)
		.map(([, n]) => Number(n));
	if (!dir || points.length === 0) return backend;
	let calls = 0;
	let gate: Promise<void> = Promise.resolve();
	const held =
		(method: "scoreContinuations" | "nextTokenLogprobs") =>
		async (...args: unknown[]): Promise<unknown> => {
			const k = calls++;
			if (points.includes(k)) gate = gate.then(() => waitForRelease(dir, `${model}@${k}`, signal));
			await gate;
			return (backend[method] as (...a: unknown[]) => Promise<unknown>).apply(backend, args);
		};
	const wrapped = {
		scoreContinuations: held("scoreContinuations"),
		nextTokenLogprobs: held("nextTokenLogprobs"),
	};
	return new Proxy(backend, {
		get(target, prop) {
			if (prop === "scoreContinuations" || prop === "nextTokenLogprobs") return wrapped[prop];
			const value = Reflect.get(target, prop, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}
