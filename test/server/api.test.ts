import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, ServerOptionsError, startServer } from "../../src/server/index.js";
import { randomModel, STORIES_260K } from "../helpers/models.js";

/** A raw request, so paths reach the server exactly as written (no URL normalisation). */
function raw(
	port: number,
	path: string,
	options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<{
	status: number;
	body: Buffer;
	json: () => { error?: string; hint?: string } & Record<string, unknown>;
}> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers },
			(res) => {
				const chunks: Buffer[] = [];
				res.on("data", (c) => chunks.push(c));
				res.on("end", () => {
					const body = Buffer.concat(chunks);
					resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body.toString("utf8")) });
				});
			},
		);
		req.on("error", reject);
		if (options.body !== undefined) req.end(options.body);
		else req.end();
	});
}

const json = (body: unknown) => ({
	method: "POST",
	headers: { "content-type": "application/json" },
	body: JSON.stringify(body),
});

// A prompt starting with "=" checks the spreadsheet export; row 2's answer_index is out of range in the bad copy.
const task = [
	"prompt,classes,answer_index",
	`"=1+1 is two. Is it not true?\nA:","[' Yes', ' No']",1`,
	`"Q: Is a cat not an animal?\nA:","[' Yes', ' No']",1`,
	`"Q: Is a pine not a tree?\nA:","[' Yes', ' No']",1`,
	`"Q: Is red not a tree?\nA:","[' Yes', ' No']",0`,
	"",
].join("\n");

let work: string;
let app: AppServer;
let modelsDir: string;

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), "invscale-"));
	modelsDir = join(work, "models");
	mkdirSync(modelsDir);
	copyFileSync(await randomModel("tiny-a"), join(modelsDir, "tiny-a.gguf"));
	copyFileSync(await randomModel("tiny-b"), join(modelsDir, "tiny-b.gguf"));
	app = await startServer({
		port: 0,
		dataDir: join(work, "data"),
		storeFile: join(work, "store.sqlite"),
		modelsDir,
		maxUploadBytes: 64 * 1024,
		log: () => {},
	});
});

afterAll(async () => {
	await app?.close();
	rmSync(work, { recursive: true, force: true });
});

describe("the API", () => {
	it("runs an upload on models from the folder and serves results, table and zip", async () => {
		const upload = await raw(app.port, "/api/uploads?name=neg-mini.csv", { method: "POST", body: task });
		expect(upload.status).toBe(201);
		const { upload: u, validation } = upload.json() as unknown as {
			upload: { id: string };
			validation: { valid: boolean };
		};
		expect(validation.valid).toBe(true);
		const started = await raw(
			app.port,
			"/api/runs",
			json({ uploadId: u.id, ladder: { kind: "files", files: ["tiny-b.gguf", "tiny-a.gguf"] } }),
		);
		expect(started.status).toBe(201);
		const id = started.json().id as string;
		let view: Record<string, unknown> = {};
		for (let i = 0; i < 300; i++) {
			view = (await raw(app.port, `/api/runs/${id}`)).json();
			if (view.finished) break;
			await new Promise((r) => setTimeout(r, 200));
		}
		expect(view.status).toBe("complete");
		const runDir = join(work, "data", "runs", id, "neg-mini");

		const result = (await raw(app.port, `/api/runs/${id}/result`)).json() as unknown as {
			metrics: { metric: string; chart: { data: { values: unknown[] } }; verdict: { plain: string } }[];
		};
		expect(result.metrics[0].metric).toBe("loss");
		expect(result.metrics[0].chart.data.values).toHaveLength(2);

		// The table's probabilities come from details/<model>.jsonl: recompute row 0 by hand.
		const details = JSON.parse(readFileSync(join(runDir, "details", "tiny-a.jsonl"), "utf8").split("\n")[0]);
		const [l0, l1] = details.logprobs as number[];
		const table = (await raw(app.port, `/api/runs/${id}/examples`)).json() as unknown as {
			models: string[];
			rows: { models: Record<string, { probabilities: { shares: number[]; mass: number } }> }[];
		};
		expect(table.models).toEqual(["tiny-a", "tiny-b"]);
		const p = table.rows[0].models["tiny-a"].probabilities;
		expect(p.shares[0]).toBeCloseTo(1 / (1 + Math.exp(l1 - l0)), 10);
		expect(p.mass).toBeCloseTo(Math.exp(l0) + Math.exp(l1), 15);

		const csv = (await raw(app.port, `/api/runs/${id}/examples.csv`)).body.toString("utf8");
		expect(csv).toContain(`'=1+1 is two.`);

		const zip = unzipSync(new Uint8Array((await raw(app.port, `/api/runs/${id}/download.zip`)).body));
		for (const model of ["tiny-a", "tiny-b"]) {
			expect(
				Buffer.from(zip[`neg-mini/${model}.csv`]).equals(readFileSync(join(runDir, `${model}.csv`))),
			).toBe(true);
		}
		// The prize CSV keeps the data as eval writes it: the copy of the task is byte for byte the upload.
		expect(Buffer.from(zip["neg-mini/neg-mini.csv"]).toString("utf8")).toBe(task);
		expect(Object.keys(zip)).toContain("neg-mini/report.html");

		const file = await raw(app.port, `/api/runs/${id}/files/run.json`);
		expect(file.status).toBe(200);
		expect(JSON.parse(file.body.toString("utf8")).task.name).toBe("neg-mini");

		for (const path of [
			`/api/runs/${id}/files/../../../../etc/passwd`,
			`/api/runs/${id}/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
			`/api/runs/${id}/files/..%2f..%2f..%2fetc%2fpasswd`,
			`/api/runs/${id}/files/%2Fetc%2Fpasswd`,
			"/%2e%2e/%2e%2e/etc/passwd",
			"/../package.json",
		]) {
			const res = await raw(app.port, path);
			expect(res.status, path).toBe(400);
			expect(res.json().error).toMatch(/refused/);
			expect(res.body.toString()).not.toContain("root:");
		}
	});

	it("refuses model paths outside the models folder", async () => {
		const { upload } = (
			await raw(app.port, "/api/uploads?name=t.csv", { method: "POST", body: task })
		).json() as unknown as {
			upload: { id: string };
		};
		for (const file of [
			"../models/tiny-a.gguf",
			"/etc/passwd",
			join(modelsDir, "tiny-a.gguf"),
			"..%2ftiny-a.gguf",
		]) {
			const res = await raw(
				app.port,
				"/api/runs",
				json({ uploadId: upload.id, ladder: { kind: "files", files: [file] } }),
			);
			expect(res.status, file).toBe(400);
			expect(res.json().error).toMatch(/refused|not a \.gguf|not in the models folder/);
		}
		const name = await raw(app.port, `/api/uploads?name=${encodeURIComponent("../evil.csv")}`, {
			method: "POST",
			body: task,
		});
		expect(name.status).toBe(400);
		const ladder = await raw(
			app.port,
			"/api/runs",
			json({ uploadId: upload.id, ladder: { kind: "ladder", name: "/etc/passwd" } }),
		);
		expect(ladder.status).toBe(400);
		expect(ladder.json().error).toMatch(/unknown ladder/);
	});

	it("answers an oversize upload with 413 and the limit, and a bad one with rows", async () => {
		const big = `prompt,classes,answer_index\n${`"x","[' a', ' b']",0\n`.repeat(4000)}`;
		const res = await raw(app.port, "/api/uploads?name=big.csv", { method: "POST", body: big });
		expect(res.status).toBe(413);
		expect(res.json().error).toContain("64 KB");
		expect(res.json().hint).toContain("--max-upload-mb");

		const bad = task.replace(`not a tree?\nA:","[' Yes', ' No']",1`, `not a tree?\nA:","[' Yes', ' No']",7`);
		const checked = (
			await raw(app.port, "/api/uploads?name=bad.csv", { method: "POST", body: bad })
		).json() as unknown as {
			validation: { valid: boolean; errors: { row: number; line: number; code: string; source: string }[] };
		};
		expect(checked.validation.valid).toBe(false);
		expect(checked.validation.errors[0]).toMatchObject({ row: 2, line: 7, code: "answer-out-of-range" });
		expect(checked.validation.errors[0].source).toContain("7");
	});

	it("answers errors as { error, hint } without stack traces", async () => {
		const res = await raw(app.port, "/api/runs", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: "{not json",
		});
		expect(res.status).toBe(400);
		expect(Object.keys(res.json())).toEqual(["error"]);
		const missing = await raw(app.port, "/api/runs/zzzzzzzz-000000");
		expect(missing.status).toBe(404);
		expect(missing.body.toString()).not.toMatch(/at .*\.ts:\d+/);
	});

	it("refuses requests that name another host, and cross-site writes", async () => {
		const rebinding = await raw(app.port, "/api/config", { headers: { host: "evil.example:80" } });
		expect(rebinding.status).toBe(403);
		const crossSite = await raw(app.port, "/api/uploads?name=t.csv", {
			method: "POST",
			headers: { origin: "http://evil.example" },
			body: task,
		});
		expect(crossSite.status).toBe(403);
	});
});

describe("with a token", () => {
	it("refuses to listen beyond loopback without one", async () => {
		await expect(
			startServer({
				host: "0.0.0.0",
				port: 0,
				dataDir: join(work, "d2"),
				storeFile: join(work, "s2.sqlite"),
			}),
		).rejects.toBeInstanceOf(ServerOptionsError);
	});

	it("requires it on every API request, even on loopback", async () => {
		const secured = await startServer({
			port: 0,
			token: "correct-horse-battery",
			dataDir: join(work, "d3"),
			storeFile: join(work, "s3.sqlite"),
			log: () => {},
		});
		try {
			for (const path of ["/api/config", "/api/runs", "/api/ladders"]) {
				const res = await raw(secured.port, path);
				expect(res.status, path).toBe(401);
				expect(res.json().error).toMatch(/token/);
			}
			const wrong = await raw(secured.port, "/api/config", {
				headers: { "x-invscale-token": "correct-horse-batterx" },
			});
			expect(wrong.status).toBe(401);
			const upload = await raw(secured.port, "/api/uploads?name=t.csv", { method: "POST", body: task });
			expect(upload.status).toBe(401);
			const ok = await raw(secured.port, "/api/config", {
				headers: { "x-invscale-token": "correct-horse-battery" },
			});
			expect(ok.status).toBe(200);
			expect(ok.json().tokenRequired).toBe(true);
			// The page itself loads without the token: it asks for it.
			expect((await raw(secured.port, "/")).status).toBe(200);
		} finally {
			await secured.close();
		}
	});
});

describe("a run at reasoning budgets from the web app", () => {
	it("evaluates by generation and serves each condition's answer and reasoning in the table", async () => {
		copyFileSync(STORIES_260K, join(modelsDir, "stories260K.gguf"));
		const upload = await raw(app.port, "/api/uploads?name=neg-budget.csv", { method: "POST", body: task });
		const { upload: u } = upload.json() as unknown as { upload: { id: string } };
		const bad = await raw(
			app.port,
			"/api/runs",
			json({ uploadId: u.id, ladder: { kind: "files", files: ["stories260K.gguf"] }, budgets: "0,lots" }),
		);
		expect(bad.status).toBe(400);
		expect(bad.json().error).toMatch(
			/budgets: "lots" is neither a whole number of tokens nor an effort level/,
		);
		const started = await raw(
			app.port,
			"/api/runs",
			json({ uploadId: u.id, ladder: { kind: "files", files: ["stories260K.gguf"] }, budgets: "0,8" }),
		);
		expect(started.status).toBe(201);
		const id = started.json().id as string;
		let view: Record<string, unknown> = {};
		for (let i = 0; i < 300; i++) {
			view = (await raw(app.port, `/api/runs/${id}`)).json();
			if (view.finished) break;
			await new Promise((r) => setTimeout(r, 200));
		}
		expect(view.status).toBe("complete");
		const table = (await raw(app.port, `/api/runs/${id}/examples`)).json() as unknown as {
			models: string[];
			rows: { models: Record<string, { generated?: { reasoning: string; reasoningTokens: number } }> }[];
		};
		expect(table.models).toEqual(["stories260K-budget0", "stories260K-budget8"]);
		const runDir = join(work, "data", "runs", id, "neg-budget");
		const first = JSON.parse(
			readFileSync(join(runDir, "details", "stories260K-budget8.jsonl"), "utf8").split("\n")[0],
		);
		expect(table.rows[0].models["stories260K-budget8"].generated).toMatchObject({
			reasoning: first.reasoning,
			reasoningTokens: 8,
		});
		expect(table.rows[0].models["stories260K-budget0"].generated?.reasoning).toBe("");
	}, 120_000);
});
