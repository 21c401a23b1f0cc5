/**
 * @module Few-shot × reasoning budget as one grid: every model under each number of demonstrations
 * and each budget, each condition with both coordinates. Checked against a scripted chat API: the
 * names, run.json's coordinates and draws, the demonstrations asked as chat turns (the same draw as
 * scoring's), the question files, accuracy per cell as scripted, the report's trends per group along
 * each axis, and cache keys (a budgets-only run's answers serve the 0-shot cells; nothing twice).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/backends/types.js";
import { runEval } from "../../src/engine/run-eval.js";
import type { EvalOptions } from "../../src/engine/types.js";
import { parseBudgets } from "../../src/generation/budget.js";
import type { LadderModel } from "../../src/ladders/types.js";
import { writeTaskReport } from "../../src/report/index.js";
import type { RunManifest, RunSummary } from "../../src/run/manifest.js";
import { runCli } from "../helpers/cli.js";
import { STORIES_260K } from "../helpers/models.js";
import { type ScriptedChat, scriptedChat } from "../helpers/scripted-generation.js";
import { removeTempStores, tempStorePath } from "../helpers/temp-store.js";

afterAll(removeTempStores);

const N = 20;
const right = (i: number) => i % 2;
const letter = (k: number) => "AB"[k];
const level = (b: number) => [0, 1024, 4096].indexOf(b);
/** Right on the first N − 5·level − shots examples: worse with more reasoning and with more demonstrations. */
const script = (i: number, b: number, shots: number) =>
	i < N - 5 * level(b) - shots ? letter(right(i)) : letter(1 - right(i));

function writeTask(dir: string): string {
	const rows = Array.from({ length: N }, (_, i) => `"Q${i}: which one?","[' yes', ' no']",${right(i)}`);
	const path = join(dir, "pick.csv");
	writeFileSync(path, `prompt,classes,answer_index\n${rows.join("\n")}\n`);
	return path;
}

const model: LadderModel = {
	name: "sonnet",
	family: "claude",
	source: { kind: "anthropic", baseUrls: ["http://scripted.invalid"], model: "sonnet" },
};

async function grid(chat: ScriptedChat, extra: Partial<EvalOptions>, store: string, dir: string) {
	const out = join(dir, "runs");
	const outcome = await runEval({
		tasks: [writeTask(dir)],
		models: [model],
		outDir: out,
		store,
		openBackend: async () => chat,
		generation: { budgets: parseBudgets("0,1024,4096") },
		...extra,
	});
	const read = (file: string) => readFileSync(join(out, "pick", file), "utf8");
	return {
		outcome,
		read,
		manifest: JSON.parse(read("run.json")) as RunManifest,
		summary: JSON.parse(read("summary.json")) as RunSummary,
	};
}

const exampleOf = (m: ChatMessage) => Number(/Q(\d+):/.exec(m.content)?.[1]);

describe("--shots with --budgets: one grid of conditions", () => {
	it("asks each row after its drawn demonstrations at every budget, and records both coordinates", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-shots-budgets-"));
		const store = tempStorePath();
		// First a budgets-only run in the same store: its answers are the 0-shot cells' answers.
		const plain = scriptedChat("anthropic", script, "sonnet");
		await grid(plain, {}, store, mkdtempSync(join(tmpdir(), "invscale-budgets-")));
		expect(plain.requests).toHaveLength(3 * N);

		const chat = scriptedChat("anthropic", script, "sonnet");
		const r = await grid(chat, { shots: { values: [2, 0, 4] } }, store, dir);
		expect(r.outcome.status).toBe("complete");
		const cells = [0, 2, 4].flatMap((k) => [0, 1024, 4096].map((b) => ({ k, b })));
		expect(r.manifest.models.map((m) => m.name)).toEqual(
			cells.map(({ k, b }) => `sonnet-${k}shot-budget${b}`),
		);
		expect(r.manifest.models.map((m) => [m.settings, m.coords])).toEqual(
			cells.map(({ k, b }) => [
				{ shots: k, budget: b },
				{ shots: k, budget: b },
			]),
		);
		expect(r.summary.models.map((m) => m.coords)).toEqual(cells.map(({ k, b }) => ({ shots: k, budget: b })));
		// Accuracy per cell exactly as scripted: (N − 5·level − k) / N.
		expect(r.summary.models.map((m) => m.correct?.mean)).toEqual(
			cells.map(({ k, b }) => (N - 5 * level(b) - k) / N),
		);

		// The 0-shot cells were answered from the budgets-only run's cache: only k > 0 was asked.
		expect(chat.requests).toHaveLength(2 * 3 * N);
		expect(
			new Set(chat.requests.map((q) => q.messages.filter((m) => m.role === "assistant").length)),
		).toEqual(new Set([2, 4]));

		// The draw of run.json: each row's demonstrations as user/assistant turns with their right letters.
		const shots = r.manifest.shots!;
		expect(shots).toMatchObject({ values: [0, 2, 4], seed: 1, format: "questions" });
		for (const draw of shots.draws.filter((d) => d.shots > 0)) {
			const asked = chat.requests.filter(
				(q) => q.messages.filter((m) => m.role === "assistant").length === draw.shots,
			);
			expect(asked).toHaveLength(3 * N);
			for (const q of asked) {
				const row = exampleOf(q.messages.at(-1)!);
				const swap = draw.replacements.find((x) => x.example === row);
				const demos = draw.demonstrations.map((d, p) => (swap && p === swap.position ? swap.by : d));
				expect(demos).not.toContain(row);
				expect(q.messages.map((m) => m.role)).toEqual([
					...demos.flatMap(() => ["user", "assistant"]),
					"user",
				]);
				expect(q.messages.filter((m) => m.role === "user").map(exampleOf)).toEqual([...demos, row]);
				expect(q.messages.filter((m) => m.role === "assistant").map((m) => m.content)).toEqual(
					demos.map((d) => letter(right(d))),
				);
				// A demonstration's turn is its own question, exactly as a 0-shot row is asked.
				const zeroShot = plain.requests.find((p) => exampleOf(p.messages[0]!) === demos[0])!;
				expect(q.messages[0]).toEqual(zeroShot.messages[0]);
			}
			// The file holds each row's questions exactly as asked, and the condition points to it.
			const lines = r
				.read(draw.file)
				.trim()
				.split("\n")
				.map((l) => JSON.parse(l) as { index: number; messages: ChatMessage[] });
			expect(lines.map((l) => l.index)).toEqual(Array.from({ length: N }, (_, i) => i));
			for (const line of lines)
				expect(asked.find((q) => exampleOf(q.messages.at(-1)!) === line.index)!.messages).toEqual(
					line.messages,
				);
			expect(r.manifest.models.filter((m) => m.settings?.shots === draw.shots).map((m) => m.data)).toEqual([
				draw.file,
				draw.file,
				draw.file,
			]);
		}

		// The report: along shots (the default) one trend per budget, along the budget one per number of shots.
		type Group = { label: string; trend: { models: string[]; verdict: string } };
		const along = async (x?: "budget") => {
			await writeTaskReport(join(dir, "runs", "pick"), x ? { x } : {});
			const [metric] = JSON.parse(r.read("report.json")).metrics;
			return {
				...(metric.along as { axis: string; groupBy: string[]; statement: string }),
				groups: (metric.groups as Group[]).map((g) => [g.label, g.trend.models, g.trend.verdict]),
			};
		};
		expect(await along()).toEqual({
			axis: "shots",
			label: "Few-shot examples",
			scale: "log2p1",
			unit: "doubling of 1 + shots",
			groupBy: ["budget"],
			statement: "Inverse in shots for all 3 budgets.",
			groups: [0, 1024, 4096].map((b) => [
				`budget ${b}`,
				[0, 2, 4].map((k) => `sonnet-${k}shot-budget${b}`),
				"inverse",
			]),
		});
		const alongBudget = await along("budget");
		expect(alongBudget).toMatchObject({
			axis: "budget",
			groupBy: ["shots"],
			statement: "Inverse in reasoning budget for all 3 shot counts.",
		});
		expect(alongBudget.groups).toEqual(
			[0, 2, 4].map((k) => [
				`${k}-shot`,
				[0, 1024, 4096].map((b) => `sonnet-${k}shot-budget${b}`),
				"inverse",
			]),
		);

		// A rerun asks nothing and writes the same bytes.
		const before = r.read("sonnet-4shot-budget4096.csv");
		const again = scriptedChat("anthropic", script, "sonnet");
		const r2 = await grid(again, { shots: { values: [0, 2, 4] } }, store, dir);
		expect(r2.outcome.status).toBe("complete");
		expect(again.requests).toHaveLength(0);
		expect(r2.read("sonnet-4shot-budget4096.csv")).toBe(before);
	});
});

describe("invscale eval --shots with --budgets on a model in-process", () => {
	it("forces each budget after the demonstrations, which the chat template renders as answered turns", async () => {
		const dir = mkdtempSync(join(tmpdir(), "invscale-shots-budgets-cli-"));
		const rows = Array.from({ length: 5 }, (_, i) => `"Is ${i} even?","[' yes', ' no']",${i % 2}`);
		const taskFile = join(dir, "even.csv");
		writeFileSync(taskFile, `prompt,classes,answer_index\n${rows.join("\n")}\n`);
		const out = join(dir, "runs");
		const result = await runCli([
			"eval",
			taskFile,
			"--models",
			STORIES_260K,
			"--shots",
			"0,2",
			"--budgets",
			"0,4",
			"--no-cache",
			"--no-report",
			"--out",
			out,
		]);
		expect(result.stderr).not.toMatch(/not supported/);
		expect(result.code).toBe(0);
		const read = (file: string) => readFileSync(join(out, "even", file), "utf8");
		const manifest = JSON.parse(read("run.json")) as RunManifest;
		expect(manifest.models.map((m) => [m.name, m.status, m.settings])).toEqual(
			[0, 2].flatMap((k) =>
				[0, 4].map((b) => [`stories260K-${k}shot-budget${b}`, "ok", { shots: k, budget: b }]),
			),
		);
		// Each 2-shot answer followed a text holding its demonstrations' questions and right letters, then its own.
		const asked = read(manifest.shots!.draws.find((d) => d.shots === 2)!.file)
			.trim()
			.split("\n")
			.map((l) => JSON.parse(l) as { index: number; messages: ChatMessage[] });
		const details = read("details/stories260K-2shot-budget4.jsonl")
			.trim()
			.split("\n")
			.map((l) => JSON.parse(l) as { index: number; text: string });
		for (const d of details) {
			const messages = asked.find((q) => q.index === d.index)!.messages;
			expect(messages).toHaveLength(5);
			let at = 0;
			for (const m of messages) {
				const found = d.text.indexOf(m.content, at);
				expect(found).toBeGreaterThanOrEqual(at);
				at = found + m.content.length;
			}
		}
	}, 180_000);
});
