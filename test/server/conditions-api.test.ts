/**
 * The web app over conditions: a few-shot sweep started from the API runs one condition per model
 * and k, and a run saved by an earlier version (options without a version) still resumes.
 */
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startServer } from "../../src/server/index.js";
import { openStore } from "../../src/store/index.js";
import { randomModel } from "../helpers/models.js";

const task = [
	"prompt,classes,answer_index",
	`"Q: Is a cat an animal?\nA:","[' Yes', ' No']",0`,
	`"Q: Is a pine a tree?\nA:","[' Yes', ' No']",0`,
	`"Q: Is red a tree?\nA:","[' Yes', ' No']",1`,
	`"Q: Is a dog a plant?\nA:","[' Yes', ' No']",1`,
	"",
].join("\n");

let work: string;
let app: AppServer;
let base: string;
const oldRun = "lz0old01-abcdef";

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), "invscale-"));
	const modelsDir = join(work, "models");
	mkdirSync(modelsDir);
	const model = join(modelsDir, "tiny-a.gguf");
	copyFileSync(await randomModel("tiny-a"), model);
	// A run an earlier version saved and did not finish: its options have no version field.
	const taskFile = join(work, "old-task.csv");
	writeFileSync(taskFile, task);
	const store = openStore(join(work, "store.sqlite"));
	store.runs.createRun({
		id: oldRun,
		kind: "eval",
		title: "old-task on tiny-a",
		status: "interrupted",
		dir: join(work, "data", "runs", oldRun),
		options: {
			taskName: "old-task",
			uploadId: "gone",
			taskFile,
			choice: { kind: "files", files: ["tiny-a.gguf"] },
			ladderName: "files",
			models: [{ name: "tiny-a", family: "default", source: { kind: "file", path: model } }],
		},
	});
	store.close();
	app = await startServer({
		port: 0,
		dataDir: join(work, "data"),
		storeFile: join(work, "store.sqlite"),
		modelsDir,
		log: () => {},
	});
	base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
	await app?.close();
	rmSync(work, { recursive: true, force: true });
});

async function finished(id: string): Promise<Record<string, unknown>> {
	for (let i = 0; i < 300; i++) {
		const view = (await (await fetch(`${base}/api/runs/${id}`)).json()) as Record<string, unknown>;
		if (view.finished) return view;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error("the run did not finish");
}

const post = (path: string, body?: unknown) =>
	fetch(`${base}${path}`, {
		method: "POST",
		headers: { "content-type": "application/json", origin: base },
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});

describe("conditions in the web app", () => {
	it("a few-shot sweep from the API scores each model at each k", async () => {
		const upload = await fetch(`${base}/api/uploads?name=neg.csv`, {
			method: "POST",
			body: task,
			headers: { origin: base },
		});
		const { upload: u } = (await upload.json()) as { upload: { id: string } };
		const started = await post("/api/runs", {
			uploadId: u.id,
			ladder: { kind: "files", files: ["tiny-a.gguf"] },
			shots: { values: [0, 2], seed: 5 },
		});
		expect(started.status).toBe(201);
		const { id, models } = (await started.json()) as { id: string; models: string[] };
		expect(models).toEqual(["tiny-a-0shot", "tiny-a-2shot"]);
		const view = await finished(id);
		expect(view.status).toBe("complete");
		const dir = join(work, "data", "runs", id, "neg");
		const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
		expect(run.shots).toMatchObject({ values: [0, 2], seed: 5 });
		expect(run.models.map((m: { name: string }) => m.name)).toEqual(["tiny-a-0shot", "tiny-a-2shot"]);
		expect(existsSync(join(dir, "shots", "neg-2shot.jsonl"))).toBe(true);
		expect(existsSync(join(dir, "tiny-a-2shot.csv"))).toBe(true);
	});

	it("shots and budgets typed in the form are checked by the CLI's rules, before and at the start", async () => {
		const upload = await fetch(`${base}/api/uploads?name=neg.csv`, {
			method: "POST",
			body: task,
			headers: { origin: base },
		});
		const { upload: u } = (await upload.json()) as { upload: { id: string } };
		const check = async (fields: Record<string, string>) => {
			const response = await post("/api/sweep", { uploadId: u.id, ...fields });
			return { status: response.status, body: (await response.json()) as Record<string, unknown> };
		};
		expect(await check({ shots: " 2, 0 ", budgets: "8,0" })).toEqual({
			status: 200,
			body: {
				settings: [
					{ shots: 0, budget: 0 },
					{ shots: 0, budget: 8 },
					{ shots: 2, budget: 0 },
					{ shots: 2, budget: 8 },
				],
			},
		});
		expect(await check({ budgets: "low,high" })).toMatchObject({
			body: {
				settings: [
					{ budget: 2, budgetLabel: "low" },
					{ budget: 4, budgetLabel: "high" },
				],
			},
		});
		expect(await check({ shots: "1,-2" })).toMatchObject({
			status: 400,
			body: {
				error: 'shots: "-2" is not a number of demonstrations',
				hint: "give whole numbers from 0 up, separated by commas, e.g. 0,1,2,4,8",
			},
		});
		expect(await check({ shots: "4" })).toMatchObject({
			status: 400,
			body: {
				error:
					"neg.csv: 4 demonstrations need at least 5 examples (each row's own place in the block goes to another); the task has 4",
			},
		});
		expect(await check({ budgets: "0,0" })).toMatchObject({
			status: 400,
			body: { error: "budgets lists 0 twice" },
		});
		// Starting refuses the same way: nothing runs.
		const before = (await (await fetch(`${base}/api/runs`)).json()) as unknown[];
		const refused = await post("/api/runs", {
			uploadId: u.id,
			ladder: { kind: "files", files: ["tiny-a.gguf"] },
			shots: "0,4",
			budgets: "0",
		});
		expect(refused.status).toBe(400);
		expect(((await refused.json()) as { error: string }).error).toMatch(/4 demonstrations need at least 5/);
		expect(((await (await fetch(`${base}/api/runs`)).json()) as unknown[]).length).toBe(before.length);
	});

	it("a run saved by an earlier version resumes", async () => {
		const listed = (await (await fetch(`${base}/api/runs/${oldRun}`)).json()) as {
			resumable: boolean;
			models: string[];
		};
		expect(listed.resumable).toBe(true);
		expect(listed.models).toEqual(["tiny-a"]);
		expect((await post(`/api/runs/${oldRun}/resume`)).status).toBe(200);
		const view = await finished(oldRun);
		expect(view.status).toBe("complete");
		const run = JSON.parse(readFileSync(join(work, "data", "runs", oldRun, "old-task", "run.json"), "utf8"));
		expect(run.schema).toBe("invscale.run/2");
		expect(run.models[0]).toMatchObject({ name: "tiny-a", model: "tiny-a", status: "ok" });
	});
});
