/** How `invscale eval` fails: bad model files, split tokens, prompts too long, one model of a ladder failing. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { randomModel, STORIES_260K } from "../helpers/models.js";

let dir: string;
let shortContext: string;
const storeArgs = () => ["--store", join(dir, "store.sqlite"), "--no-report"];

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), "invscale-fail-"));
	shortContext = await randomModel("short-context", {
		dim: 32,
		layers: 1,
		heads: 2,
		kvHeads: 1,
		ffn: 64,
		contextLength: 48,
	});
	writeFileSync(
		join(dir, "split.csv"),
		"prompt,classes,answer_index\n\"Once upon a ti\",\"['me', 'ger']\",0\n\"Lily saw a\",\"[' dog', ' cat']\",1\n\"Once upon a ti\",\"['me', 'ger']\",1\n",
	);
	const long = "Once upon a time there was a girl. ".repeat(70).trim();
	writeFileSync(
		join(dir, "long.csv"),
		`prompt,classes,answer_index\n"Lily saw a","[' dog', ' cat']",0\n"${long} She saw a","[' dog', ' cat']",1\n`,
	);
});

describe("eval failures", () => {
	it("names a missing or damaged model file before scoring anything", async () => {
		const broken = join(dir, "broken.gguf");
		writeFileSync(broken, "not a model");
		const out = join(dir, "out-missing");
		const result = await runCli([
			"eval",
			join(dir, "split.csv"),
			"--models",
			`${STORIES_260K},${join(dir, "nope.gguf")},${broken}`,
			"--out",
			out,
			...storeArgs(),
		]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(`${join(dir, "nope.gguf")}: file not found`);
		expect(result.stderr).toContain(`${broken}: not a readable GGUF model file`);
		expect(existsSync(join(out, "split", "stories260K.csv"))).toBe(false);
	});

	it("strict boundaries refuse a token across the join and name the rows; lenient scores them", async () => {
		const strict = await runCli([
			"eval",
			join(dir, "split.csv"),
			"--models",
			STORIES_260K,
			"--out",
			join(dir, "s"),
			...storeArgs(),
		]);
		expect(strict.code).toBe(1);
		expect(strict.stderr).toMatch(/2 row\(s\) cannot be scored/);
		expect(strict.stderr).toMatch(/row 0 \(line 2\): token " time" crosses the join/);
		expect(strict.stderr).toMatch(/row 2 \(line 4\)/);
		expect(strict.stderr).toContain("--boundary lenient");
		const run = JSON.parse(readFileSync(join(dir, "s", "split", "run.json"), "utf8"));
		expect(run.status).toBe("failed");
		expect(run.models[0].error).toMatch(/row 0/);

		const lenient = await runCli([
			"eval",
			join(dir, "split.csv"),
			"--models",
			STORIES_260K,
			"--out",
			join(dir, "l"),
			"--boundary",
			"lenient",
			...storeArgs(),
		]);
		expect(lenient.code).toBe(0);
		expect(lenient.stderr).toMatch(/2 row\(s\) had a token across the prompt\/class join/);
		const lenientRun = JSON.parse(readFileSync(join(dir, "l", "split", "run.json"), "utf8"));
		expect(lenientRun.options.boundary).toBe("lenient");
		expect(lenientRun.models[0].boundaryMethod).toBe("joint-tokenization-offsets-lenient");
		expect(
			readFileSync(join(dir, "l", "split", "stories260K.csv"), "utf8")
				.trim()
				.split("\n"),
		).toHaveLength(4);
	});

	it("a prompt longer than the context is an error naming the row; --truncate left drops its start", async () => {
		const refused = await runCli([
			"eval",
			join(dir, "long.csv"),
			"--models",
			STORIES_260K,
			"--out",
			join(dir, "t1"),
			...storeArgs(),
		]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/row 1 \(line 3\): needs \d+ tokens; the context window holds 512/);
		expect(refused.stderr).toContain("--truncate left");
		const cut = await runCli([
			"eval",
			join(dir, "long.csv"),
			"--models",
			STORIES_260K,
			"--out",
			join(dir, "t2"),
			"--truncate",
			"left",
			...storeArgs(),
		]);
		expect(cut.code).toBe(0);
		const run = JSON.parse(readFileSync(join(dir, "t2", "long", "run.json"), "utf8"));
		expect(run.options.truncate).toBe("left");
		expect(run.models[0].truncatedRows).toEqual([1]);
		const details = readFileSync(join(dir, "t2", "long", "details", "stories260K.jsonl"), "utf8")
			.trim()
			.split("\n");
		expect(JSON.parse(details[1]).truncated).toBe(true);
		// The class tokens were kept: both classes scored.
		expect(JSON.parse(details[1]).tokens).toHaveLength(2);
	});

	it("one model failing leaves the others' results and ends as a partial run (exit 3)", async () => {
		const medium = "Once upon a time there was a girl. ".repeat(8).trim();
		writeFileSync(
			join(dir, "medium.csv"),
			`prompt,classes,answer_index\n"Lily saw a","[' dog', ' cat']",0\n"${medium} She saw a","[' dog', ' cat']",1\n`,
		);
		const result = await runCli([
			"eval",
			join(dir, "medium.csv"),
			"--models",
			`${shortContext},${STORIES_260K}`,
			"--out",
			join(dir, "p"),
			...storeArgs(),
		]);
		expect(result.code).toBe(3);
		expect(result.stderr).toMatch(
			/short-context.*row 1 \(line 3\): needs \d+ tokens; the context window holds 48/s,
		);
		const run = JSON.parse(readFileSync(join(dir, "p", "medium", "run.json"), "utf8"));
		expect(run.status).toBe("partial");
		expect(run.models.map((m: { name: string; status: string }) => [m.name, m.status])).toEqual([
			["short-context", "failed"],
			["stories260K", "ok"],
		]);
		expect(
			readFileSync(join(dir, "p", "medium", "stories260K.csv"), "utf8")
				.trim()
				.split("\n"),
		).toHaveLength(3);
		const summary = JSON.parse(readFileSync(join(dir, "p", "medium", "summary.json"), "utf8"));
		expect(summary.models[0].loss).toBeUndefined();
		expect(summary.models[1].loss.n).toBe(2);
	});
});
