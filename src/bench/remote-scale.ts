/**
 * @module Bench: does invscale keep N vLLM replicas busy? Scale servers (fixed answers, latency L,
 * capacity C each; src/testing/scale-server.ts) run in a child process; `runEval` scores a task
 * through them in this one. Figures: throughput against the ideal K·C/L for K = 1, 2, 4; requests
 * the AIMD limiter needs to reach capacity; a replica dying mid-run; invscale's CPU per request.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runEval } from "../engine/run-eval.js";
import type { EvalEvent } from "../engine/types.js";
import type { ScaleServerStats } from "../testing/scale-server.js";
import type { ServersMessage, ServersReply } from "./remote-scale/servers.js";
import type { BenchSection } from "./section.js";

const LATENCY_MS = Number(process.env.INVSCALE_BENCH_SCALE_LATENCY_MS ?? 200);
const CAPACITY = Number(process.env.INVSCALE_BENCH_SCALE_CAPACITY ?? 16);
const EXAMPLES = Number(process.env.INVSCALE_BENCH_SCALE_EXAMPLES ?? 1000);
const TARGET = 0.9;
const serversPath = fileURLToPath(new URL("./remote-scale/servers.js", import.meta.url));

/** A two-class task of short, all-different prompts (one token per character on the scale server). */
function writeTask(file: string, count: number): void {
	const lines = ["prompt,classes,answer_index"];
	for (let i = 0; i < count; i++) {
		lines.push(`"Example ${i}: is ${(i * 7919) % 1000} odd? Answer:","[' yes', ' no']",${i % 2}`);
	}
	writeFileSync(file, `${lines.join("\n")}\n`);
}

class Servers {
	private constructor(
		private readonly child: ChildProcess,
		readonly baseUrls: string[],
	) {}

	static start(replicas: number, overflow: "queue" | "429"): Promise<Servers> {
		const config = { replicas, latencyMs: LATENCY_MS, capacity: CAPACITY, overflow };
		const child = fork(serversPath, [JSON.stringify(config)], {
			stdio: ["ignore", "inherit", "inherit", "ipc"],
		});
		return new Promise((resolve, reject) => {
			child.once("error", reject);
			child.once("message", (m: ServersReply) => {
				if (m.type === "ready") resolve(new Servers(child, m.baseUrls));
			});
		});
	}

	private ask<T extends ServersReply["type"]>(
		message: ServersMessage,
		reply: T,
	): Promise<Extract<ServersReply, { type: T }>> {
		return new Promise((resolve) => {
			const on = (m: ServersReply) => {
				if (m.type !== reply) return;
				this.child.off("message", on);
				resolve(m as Extract<ServersReply, { type: T }>);
			};
			this.child.on("message", on);
			this.child.send(message);
		});
	}

	stats(): Promise<ScaleServerStats[]> {
		return this.ask({ type: "stats" }, "stats").then((m) => m.stats);
	}

	kill(replica: number): Promise<unknown> {
		return this.ask({ type: "kill", replica }, "killed");
	}

	close(): Promise<void> {
		return new Promise((resolve) => {
			this.child.once("exit", () => resolve());
			this.child.send({ type: "close" } satisfies ServersMessage);
		});
	}
}

interface Scenario {
	replicas: number;
	overflow: "queue" | "429";
	/** Kill replica 0 once this share of the examples is written. */
	killAt?: number;
}

interface ScenarioFigures {
	replicas: number;
	overflow: "queue" | "429";
	examples: number;
	seconds: number;
	/** Completions requests per second while scoring (the probe excluded). */
	requestsPerSecond: number;
	idealRequestsPerSecond: number;
	/** requestsPerSecond ÷ K·C/L. */
	efficiency: number;
	completionsPerExample: number;
	/** Mean requests in service ÷ C on each replica (that stayed up), over the scoring window: how busy invscale kept them. */
	occupancy: number;
	/** Mean time in service per request: L, plus the lag of a loaded machine. */
	meanServiceMs: number;
	/** Per replica: requests it answered before C were first in service at once (slow start's cost). */
	requestsToCapacity: Array<number | null>;
	refused: number;
	retries: number;
	status: string;
	rowsWritten: number;
	/** invscale's own CPU (user + system) per HTTP request, in milliseconds. */
	cpuMsPerRequest: number;
	csv: string;
}

async function runScenario(task: string, work: string, s: Scenario): Promise<ScenarioFigures> {
	const servers = await Servers.start(s.replicas, s.overflow);
	const out = mkdtempSync(join(work, "run-"));
	let startStats: ScaleServerStats[] | undefined;
	let endStatsAsked: Promise<ScaleServerStats[]> | undefined;
	let startedAt = 0;
	let endedAt = 0;
	let cpuStart = process.cpuUsage();
	let retries = 0;
	let killed = false;
	const onEvent = (e: EvalEvent) => {
		if (e.type === "model-start") {
			startedAt = performance.now();
			cpuStart = process.cpuUsage();
			void servers.stats().then((st) => {
				startStats = st;
			});
		} else if (e.type === "model-end") {
			endedAt = performance.now();
			endStatsAsked = servers.stats();
		} else if (e.type === "progress") {
			retries = e.retries ?? retries;
			if (s.killAt !== undefined && !killed && e.done >= s.killAt * e.total) {
				killed = true;
				void servers.kill(0);
			}
		}
	};
	const outcome = await runEval(
		{
			tasks: [task],
			models: [
				{
					name: "scale",
					family: "scale",
					source: { kind: "openai", baseUrls: servers.baseUrls, model: "scale" },
				},
			],
			outDir: out,
			store: false,
			report: false,
		},
		onEvent,
	);
	const cpu = process.cpuUsage(cpuStart);
	const endStats = await (endStatsAsked ?? servers.stats());
	await servers.close();
	const before =
		startStats ??
		endStats.map(() => ({ completions: 0, tokenizations: 0, inServiceMs: 0, at: 0 }) as ScaleServerStats);
	const completions = endStats.reduce((sum, st, i) => sum + st.completions - before[i]!.completions, 0);
	const tokenizations = endStats.reduce((sum, st, i) => sum + st.tokenizations - before[i]!.tokenizations, 0);
	const seconds = (endedAt - startedAt) / 1000;
	const ideal = (s.replicas * CAPACITY * 1000) / LATENCY_MS;
	const dir = join(out, "scale-task");
	const csv = readFileSync(join(dir, "scale.csv"), "utf8");
	// Occupancy: mean requests in service ÷ C over the scoring window, per replica that stayed up.
	const occupancy = endStats.map((st, i) => {
		const b = before[i]!;
		const window = st.at - b.at;
		return window > 0 ? (st.inServiceMs - b.inServiceMs) / (CAPACITY * window) : 0;
	});
	const alive = s.killAt === undefined ? occupancy : occupancy.slice(1);
	return {
		replicas: s.replicas,
		overflow: s.overflow,
		examples: EXAMPLES,
		seconds,
		requestsPerSecond: completions / seconds,
		idealRequestsPerSecond: ideal,
		efficiency: completions / seconds / ideal,
		completionsPerExample: completions / EXAMPLES,
		occupancy: alive.reduce((a, b) => a + b, 0) / alive.length,
		meanServiceMs: endStats.reduce((sum, st) => sum + st.meanServiceMs, 0) / endStats.length,
		requestsToCapacity: endStats.map((st) => st.reachedCapacityAt),
		refused: endStats.reduce((sum, st) => sum + st.refused, 0),
		retries,
		status: outcome.status,
		rowsWritten: csv.trim().split("\n").length - 1,
		cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / (completions + tokenizations),
		csv,
	};
}

const f = (v: number, digits = 2) => v.toFixed(digits);

export const section: BenchSection = {
	name: "remote-scale",
	description: `keeping K OpenAI-compatible replicas busy (latency ${LATENCY_MS} ms, capacity ${CAPACITY} each, ${EXAMPLES} examples)`,
	async run() {
		const work = mkdtempSync(join(tmpdir(), "invscale-bench-scale-"));
		try {
			const task = join(work, "scale-task.csv");
			writeTask(task, EXAMPLES);
			const scenarios: Scenario[] = [
				{ replicas: 1, overflow: "queue" },
				{ replicas: 2, overflow: "queue" },
				{ replicas: 4, overflow: "queue" },
				{ replicas: 2, overflow: "429" },
				{ replicas: 4, overflow: "queue", killAt: 0.4 },
			];
			const figures: ScenarioFigures[] = [];
			for (const s of scenarios) figures.push(await runScenario(task, work, s));
			console.log(
				"replicas  above capacity  req/s   ideal K·C/L  efficiency  req to capacity  429s  retries  CPU ms/req  status",
			);
			for (const r of figures) {
				console.log(
					[
						String(r.replicas).padEnd(9),
						(r.overflow === "429" ? "429" : "queue").padEnd(15),
						f(r.requestsPerSecond, 0).padEnd(7),
						f(r.idealRequestsPerSecond, 0).padEnd(12),
						f(r.efficiency).padEnd(11),
						f(r.occupancy).padEnd(10),
						f(r.meanServiceMs, 0).padEnd(11),
						r.requestsToCapacity
							.map((n) => (n === null ? "never" : String(n)))
							.join("/")
							.padEnd(16),
						String(r.refused).padEnd(5),
						String(r.retries).padEnd(8),
						f(r.cpuMsPerRequest, 3).padEnd(11),
						`${r.status}, ${r.rowsWritten}/${r.examples} rows`,
					].join(" "),
				);
			}
			const dead = figures[figures.length - 1]!;
			const reference = figures[2]!;
			const sameRows = dead.csv === reference.csv;
			console.log(
				`target: efficiency ≥ ${TARGET} for K = 1, 2, 4 (queueing servers): ${figures
					.slice(0, 3)
					.map((r) => `K=${r.replicas} ${f(r.efficiency)} ${r.efficiency >= TARGET ? "met" : "MISSED"}`)
					.join(", ")}`,
			);
			console.log(
				`occupancy (requests in service ÷ C; what invscale controls, whatever the machine's lag): ${figures
					.slice(0, 3)
					.map((r) => `K=${r.replicas} ${f(r.occupancy)} ${r.occupancy >= TARGET ? "met" : "MISSED"}`)
					.join(", ")}`,
			);
			console.log(
				`replica 0 of 4 killed at 40%: ${dead.status}, ${dead.rowsWritten}/${dead.examples} rows, ${dead.retries} retries, ${sameRows ? "rows identical to the run without the kill" : "ROWS DIFFER from the run without the kill"}`,
			);
			return {
				latencyMs: LATENCY_MS,
				capacity: CAPACITY,
				examples: EXAMPLES,
				target: TARGET,
				scenarios: figures.map(({ csv: _csv, ...rest }) => rest),
				replicaDeath: {
					status: dead.status,
					rows: dead.rowsWritten,
					retries: dead.retries,
					identicalRows: sameRows,
				},
			};
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	},
};
