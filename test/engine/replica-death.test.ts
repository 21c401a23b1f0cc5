import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEval } from "../../src/engine/run-eval.js";
import {
	SCALE_BOS,
	type ScaleServer,
	scaleLogprob,
	scaleTokenize,
	startScaleServer,
} from "../../src/testing/scale-server.js";

let work: string;
const EXAMPLES = 120;
const classes = [" yes", " no"];
const prompts = Array.from(
	{ length: EXAMPLES },
	(_, i) => `Example ${i}: is ${(i * 7919) % 1000} odd? Answer:`,
);

beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), "invscale-replicas-"));
	const lines = [
		"prompt,classes,answer_index",
		...prompts.map((p, i) => `"${p}","[' yes', ' no']",${i % 2}`),
	];
	writeFileSync(join(work, "odd.csv"), `${lines.join("\n")}\n`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The loss the scale server's formula implies, computed here from the formula alone. */
function expectedLoss(prompt: string, answer: number): number {
	const context = [SCALE_BOS, ...scaleTokenize(prompt)];
	const ell = classes.map((c) => {
		const ids = scaleTokenize(c);
		let sum = 0;
		let previous = context[context.length - 1]!;
		for (const id of ids) {
			sum += scaleLogprob(previous, id);
			previous = id;
		}
		return sum;
	});
	const max = Math.max(...ell);
	const lse = max + Math.log(ell.reduce((s, l) => s + Math.exp(l - max), 0));
	return lse - ell[answer]!;
}

async function run(name: string, servers: ScaleServer[], killAt?: number) {
	let killed = false;
	const outcome = await runEval(
		{
			tasks: [join(work, "odd.csv")],
			models: [
				{
					name: "scale",
					family: "scale",
					source: { kind: "openai", baseUrls: servers.map((s) => s.baseUrl), model: "scale" },
				},
			],
			outDir: join(work, name),
			store: false,
			report: false,
		},
		(e) => {
			if (e.type === "progress" && killAt !== undefined && !killed && e.done >= killAt * e.total) {
				killed = true;
				void servers[0]!.kill();
			}
		},
	);
	return { outcome, killed, csv: readFileSync(join(work, name, "odd", "scale.csv"), "utf8") };
}

describe("a replica dying mid-run", () => {
	it("moves its requests to the others and loses nothing", async () => {
		const start = () => Promise.all([0, 1, 2].map(() => startScaleServer({ latencyMs: 5, capacity: 4 })));
		const healthy = await start();
		const reference = await run("healthy", healthy);
		await Promise.all(healthy.map((s) => s.close()));

		const servers = await start();
		const dying = await run("dying", servers, 0.3);
		const servedAfter = servers.map((s) => s.stats.completions);
		await Promise.all(servers.map((s) => s.close()));

		expect(dying.killed).toBe(true);
		expect(dying.outcome.status).toBe("complete");
		expect(dying.csv).toBe(reference.csv);
		// The two that stayed up did the rest of the work.
		expect(servedAfter[1]! + servedAfter[2]!).toBeGreaterThan(servedAfter[0]!);
		const rows = dying.csv.trim().split("\n").slice(1);
		expect(rows).toHaveLength(EXAMPLES);
		for (const row of rows) {
			const [index, loss] = row.split(",");
			expect(Number(loss)).toBeCloseTo(expectedLoss(prompts[Number(index)]!, Number(index) % 2), 10);
		}
	});
});
