/**
 * @module A contest to test against: random GGUF models as the public ladder, two in-repo OpenAI
 * test servers (llama.cpp underneath) as the private ladder behind an API key, a contest file with
 * an organiser's token, and task files (a valid small task with its card, a broken one).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type LlamaCppBackend, openLlamaBackend } from "../../src/backends/llama/backend.js";
import { hashToken, newToken } from "../../src/contest/tokens.js";
import { randomModel, STORIES_260K } from "../helpers/models.js";
import { type OpenAITestServer, startOpenAITestServer } from "../helpers/openai-server.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const example = readFileSync(join(root, "examples", "tasks", "negation-qa.csv"), "utf8");
export const exampleCard = readFileSync(join(root, "examples", "tasks", "negation-qa.card.yaml"), "utf8");

/** The private models' sizes: with show_sizes off (the default) they never reach a judge either. */
export const PRIVATE_SIZES = [3.3e9, 33e9];

/** Names that must never reach an entrant or a judge. */
export const PRIVATE_MODEL_A = "zeta-secret-small-9q";
export const PRIVATE_MODEL_B = "zeta-secret-large-7x";
export const PRIVATE_KEY = "sk-private-ladder-KEY-3d81";

/** The first n examples of negation-qa (each row is two physical lines). */
export function firstRows(n: number, from = 0): string {
	const lines = example.split("\n");
	return `${[lines[0], ...lines.slice(1 + 2 * from, 1 + 2 * (from + n))].join("\n")}\n`;
}

export const brokenTask = [
	"prompt,classes,answer_index",
	`"Q: Is a cat not an animal?\nA:","[' Yes', ' No']",1`,
	`"Q: Is a pine not a tree?","[' Yes', ' No'",1`,
	`"Q: Is red not a tree?","[' Yes', ' No']",5`,
	"",
].join("\n");

export interface ContestFixture {
	dir: string;
	files: string;
	contestFile: string;
	organiserToken: string;
	privateServers: OpenAITestServer[];
	/** Strings that identify the private ladder: names, addresses, the key. */
	secrets: string[];
	env: NodeJS.ProcessEnv;
	close(): Promise<void>;
}

export async function makeContest(
	options: { submissionsPerHour?: number; maxUploadMb?: number } = {},
): Promise<ContestFixture> {
	const dir = mkdtempSync(join(tmpdir(), "invscale-contest-"));
	const files = join(dir, "files");
	mkdirSync(files);
	mkdirSync(join(dir, "models"));
	copyFileSync(await randomModel("tiny-a"), join(dir, "models", "tiny-a.gguf"));
	copyFileSync(await randomModel("tiny-b"), join(dir, "models", "tiny-b.gguf"));
	const backends: LlamaCppBackend[] = [
		await openLlamaBackend(await randomModel("tiny-c"), { precision: "exact" }),
		await openLlamaBackend(STORIES_260K, { precision: "exact" }),
	];
	const servers = [
		await startOpenAITestServer({ backend: backends[0]!, model: PRIVATE_MODEL_A, apiKey: PRIVATE_KEY }),
		await startOpenAITestServer({ backend: backends[1]!, model: PRIVATE_MODEL_B, apiKey: PRIVATE_KEY }),
	];
	const organiserToken = newToken();
	const day = 86_400_000;
	const contestFile = join(dir, "contest.yaml");
	writeFileSync(
		contestFile,
		`name: Test Bounty
rounds:
  - id: round-1
    opens: ${new Date(Date.now() - day).toISOString()}
    closes: ${new Date(Date.now() + 30 * day).toISOString()}
public_ladder:
  name: public-tiny
  models:
    - { name: tiny-a, file: models/tiny-a.gguf }
    - { name: tiny-b, file: models/tiny-b.gguf }
private_ladder:
  name: private-zeta
  models:
    - name: ${PRIVATE_MODEL_A}
      parameters: 3.3B
      openai: { base_url: ${servers[0]!.baseUrl}, model: ${PRIVATE_MODEL_A}, api_key_env: ZETA_KEY }
    - name: ${PRIVATE_MODEL_B}
      parameters: 33B
      openai: { base_url: ${servers[1]!.baseUrl}, model: ${PRIVATE_MODEL_B}, api_key_env: ZETA_KEY }
rules:
  min_examples: 10
  task_types: [classification]
  max_upload_mb: ${options.maxUploadMb ?? 1}
  submissions_per_hour: ${options.submissionsPerHour ?? 5}
rubric:
  min: 1
  max: 5
  criteria:
    - { id: strength, label: Strength, weight: 3 }
    - { id: novelty, label: Novelty, weight: 1 }
people:
  - { name: Olive Organiser, role: organiser, token_sha256: ${hashToken(organiserToken)} }
publish:
  public_results: true
  private_verdict: false
open_registration: false
`,
	);
	writeFileSync(join(files, "neg-small.csv"), firstRows(12));
	writeFileSync(
		join(files, "neg-small.card.yaml"),
		exampleCard.replace("name: Negation QA", "name: Negation QA (12 rows)"),
	);
	writeFileSync(join(files, "broken.csv"), brokenTask);
	writeFileSync(join(files, "broken.card.yaml"), exampleCard);
	const secrets = [
		PRIVATE_MODEL_A,
		PRIVATE_MODEL_B,
		PRIVATE_KEY,
		"private-zeta",
		"ZETA_KEY",
		...servers.flatMap((s) => [s.baseUrl, new URL(s.baseUrl).host]),
	];
	return {
		dir,
		files,
		contestFile,
		organiserToken,
		privateServers: servers,
		secrets,
		env: { ZETA_KEY: PRIVATE_KEY, INVSCALE_HOME: join(dir, "home") },
		close: async () => {
			for (const s of servers) await s.close();
			for (const b of backends) await b.dispose();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
