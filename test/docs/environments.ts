/**
 * @module How the docs test runs each documented command that cannot run exactly as written in
 * the test's workspace (see workspace.ts). A command not listed here runs as written and must
 * exit 0; a new command that cannot must be added here, with the reason.
 */

export type Environment =
	/** Runs as written; `exit` when the documented exit code is not 0 (a file with errors). */
	| { kind: "run"; exit: number; why: string }
	/**
	 * Needs the Hugging Face hub (a catalog ladder, a prize task, a download): runs as written with
	 * INVSCALE_OFFLINE=1 and must stop at the download with invscale's offline message, never with
	 * a usage error, which checks the command and its flags without 1.7 GB of models.
	 */
	| { kind: "offline"; why: string }
	/** Serves until stopped: runs as `command`, must print `ready`, and is stopped then. */
	| { kind: "server"; command: string; ready: RegExp; why: string }
	/** Runs `command` instead, a variant that the test can run, for the reason given. */
	| { kind: "variant"; command: string; why: string }
	/** Cannot run here at all. */
	| { kind: "not-run"; why: string };

const HUB = "downloads a catalog ladder from the Hugging Face hub";
const PRIZE = "downloads prize tasks and a catalog ladder from the Hugging Face hub";

/**
 * Keyed by the command without its trailing comment (markdown-commands.ts `commandKey`), or by
 * `guide: command` for one guide's command only.
 */
export const ENVIRONMENTS: Record<string, Environment> = {
	// The set-up commands: the suite itself has installed and built, and is what runs the tests.
	"npm ci && npm test": { kind: "not-run", why: "it is the test suite this test is part of" },
	"npm run lint": { kind: "not-run", why: ".ci/run runs it on every change" },
	"npm run typecheck": { kind: "not-run", why: ".ci/run runs it on every change" },
	".ci/run": { kind: "not-run", why: "it is CI: installs and runs the whole suite" },
	"npm run bench": { kind: "not-run", why: "the benchmarks take tens of minutes" },
	"npm run bench -- scoring": { kind: "not-run", why: "the scoring benchmark takes 5–10 minutes" },
	"npm run bench -- verdicts": {
		kind: "not-run",
		why: "the verdict calibration study takes 2–3 minutes of two cores",
	},
	"INVSCALE_BENCH_QUICK=1 npm run bench -- verdicts": {
		kind: "not-run",
		why: "even the quick calibration study takes a minute of two cores",
	},
	"node dist/bench/main.js scoring": { kind: "not-run", why: "the scoring benchmark takes 5–10 minutes" },

	// Catalog ladders and prize tasks: the hub.
	"invscale eval my-task.csv --ladder pythia-small": { kind: "offline", why: HUB },
	"invscale eval my-task.csv --ladder pythia:160m,1b": { kind: "offline", why: HUB },
	"invscale eval task.csv --ladder pythia-small": { kind: "offline", why: HUB },
	"invscale eval task.csv --ladder pythia:160m,410m,1b": { kind: "offline", why: HUB },
	"invscale pull pythia-small": { kind: "offline", why: HUB },
	"invscale eval prize:memo-trap --ladder pythia-small": { kind: "offline", why: PRIZE },
	"invscale eval prize:memo-trap,neqa --ladder pythia-small": { kind: "offline", why: PRIZE },
	"invscale eval prize:all --ladder pythia-small": { kind: "offline", why: PRIZE },
	"invscale eval prize:all --ladder pythia --out prize-runs": { kind: "offline", why: PRIZE },
	"invscale pull prize:all": { kind: "offline", why: "downloads the 11 prize tasks from the hub" },
	"invscale validate prize:sig-figs": { kind: "offline", why: "downloads the task from the hub" },

	// Servers: started, checked, stopped. A free port, since 7788 and 7790 may be taken here.
	"invscale serve --models-dir ~/models": {
		kind: "server",
		command: "invscale serve --models-dir ~/models --port 0",
		ready: /invscale is running at http:\/\/127\.0\.0\.1:\d+\//,
		why: "serves until stopped; port 0 instead of 7788, which another process may hold",
	},
	"HOUSE_KEY=sk-… invscale contest contest.yaml --port 7790 --trust-proxy": {
		kind: "server",
		command: "HOUSE_KEY=sk-test invscale contest contest.yaml --port 0 --trust-proxy",
		ready: /is running at http:\/\/127\.0\.0\.1:\d+\//,
		why: "serves until stopped; port 0 instead of 7790",
	},

	// Variants.
	"invscale cache clear --model pythia-160m": {
		kind: "variant",
		command: "invscale cache clear --model pythia-160m --yes",
		why: "it asks [y/N] on a terminal and the test has none; --yes answers",
	},
	"docs/tasks.md: invscale validate my-task.csv": {
		kind: "run",
		exit: 1,
		why: "the guide shows a file with errors, which exits 1 (its my-task.csv is that file)",
	},

	// Cannot run here.
	"huggingface-cli download EleutherAI/pythia-410m --revision step64000 --local-dir hf/pythia-410m-step64000":
		{
			kind: "not-run",
			why: "a Python tool fetching a 1 GB checkpoint from the hub",
		},
	"python llama.cpp/convert_hf_to_gguf.py hf/pythia-410m-step64000 --outtype f16 --outfile gguf/pythia-410m-step64000.gguf":
		{ kind: "not-run", why: "llama.cpp's Python converter, on the checkpoint above" },
	"invscale eval my-task.csv --ladder qwen3-vllm.yaml --budgets 0,256,1024,4096": {
		kind: "not-run",
		why: "needs Qwen3 on vLLM; budget forcing through /v1/completions runs in test/generation/completions.test.ts",
	},
	"jq -r '.metrics[0].along.statement' runs/pick/report.json": {
		kind: "not-run",
		why: "runs/pick is a run of two Claude models; test/generation/budget-report.test.ts builds it and checks this statement",
	},
	"invscale submit my-task.csv --contest https://bounty.example.org --token isc_…": {
		kind: "not-run",
		why: "needs a hosted contest and an entrant's token; test/contest/contest-api.test.ts submits to a local one",
	},
	"invscale submit my-task.csv --contest https://bounty.example.org --revise s-1a2b3c4d5e6f": {
		kind: "not-run",
		why: "needs a hosted contest and an earlier submission; test/contest/contest-api.test.ts revises one",
	},
};

/** The environment of a guide's command: its entry, else "run as written, exit 0". */
export function environmentOf(guide: string, key: string): Environment {
	return (
		ENVIRONMENTS[`${guide}: ${key}`] ?? ENVIRONMENTS[key] ?? { kind: "run", exit: 0, why: "runs as written" }
	);
}
