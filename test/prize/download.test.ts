import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prizeTask } from "../../src/tasks/prize-catalog.js";
import { ensurePrizeTask, prizeTaskState } from "../../src/tasks/prize-files.js";
import { closeHubHome, openHubHome } from "../helpers/hub-home.js";
import { closedLoopbackEndpoint, type HubServer } from "../helpers/hub-server.js";
import { ladderRejection } from "../helpers/ladder-errors.js";
import { datasetPath, hostStandIns, sha256, standInClassification } from "./stand-ins.js";

let home: string;
let hub: HubServer;
let env: NodeJS.ProcessEnv;
const memoTrap = prizeTask("memo-trap")!;
const file = memoTrap.file;

beforeEach(async () => {
	({ home, hub, env } = await openHubHome("invscale-prize-"));
});
afterEach(() => closeHubHome({ home, hub }));

describe("fetching a prize task", () => {
	it("downloads the release file from the hub's dataset URL, writes its card and reports both hashes", async () => {
		const bytes = standInClassification(40);
		hostStandIns(hub, { [file]: bytes });
		const got = await ensurePrizeTask(memoTrap, { env });
		expect(got.path).toBe(join(home, "tasks", "inverse-scaling-ttc", "inverse_scaling_prize", file));
		expect(readFileSync(got.path).equals(bytes)).toBe(true);
		expect(hub.requests.map((r) => r.path)).toEqual([`/${datasetPath}/resolve/main/${file}`]);
		expect(got.downloaded).toBe(true);
		// The stand-in is not the release file: it is used, and the difference is recorded.
		expect(got.provenance).toMatchObject({
			name: "memo-trap",
			sha256: sha256(bytes),
			bytes: bytes.length,
			expectedSha256: memoTrap.sha256,
			expectedBytes: 165_763,
			matches: false,
		});
		const card = readFileSync(got.cardPath, "utf8");
		expect(got.cardPath).toBe(got.path.replace(/\.jsonl$/, ".card.yaml"));
		expect(card).toMatch(/^name: Memo trap$/m);
		expect(card).toMatch(/^type: classification_acc$/m);
		expect(card).toMatch(/Alisa Liu/);
	});

	it("says the file matches when its bytes are the catalog's", async () => {
		const bytes = standInClassification(30, 2);
		hostStandIns(hub, { [file]: bytes });
		const entry = { ...memoTrap, bytes: bytes.length, sha256: sha256(bytes) };
		expect((await ensurePrizeTask(entry, { env })).provenance.matches).toBe(true);
	});

	it("resumes a download cut short, within the same call and in the next one", async () => {
		const bytes = standInClassification(400);
		hostStandIns(hub, { [file]: bytes }, { breakAfter: 5000 });
		await ensurePrizeTask(memoTrap, { env });
		expect(hub.requests.map((r) => r.range)).toEqual([undefined, "bytes=5000-"]);
		expect(readFileSync(prizeTaskState(memoTrap, env).path).equals(bytes)).toBe(true);

		// The next call after a failed one: the .part file is kept and resumed.
		const other = prizeTask("neqa")!;
		const neqa = standInClassification(300, 3);
		hostStandIns(hub, { [other.file]: neqa }, { breakAfter: 7000 });
		const error = await ladderRejection(ensurePrizeTask(other, { env, retries: 0 }));
		expect(error.code).toBe("network");
		const state = prizeTaskState(other, env);
		expect(state).toMatchObject({ kind: "partial", bytes: 7000 });
		// A file cut short is never used: nothing sits at the task's path.
		expect(existsSync(state.path)).toBe(false);
		hub.requests.length = 0;
		const got = await ensurePrizeTask(other, { env });
		expect(hub.requests.map((r) => r.range)).toEqual(["bytes=7000-"]);
		expect(readFileSync(got.path).equals(neqa)).toBe(true);
		expect(statSync(got.path).size).toBe(neqa.length);
	});

	it("offline: a missing task fails at once saying what to do; a cached one is used without the network", async () => {
		const started = Date.now();
		const error = await ladderRejection(
			ensurePrizeTask(memoTrap, { env: { ...env, INVSCALE_OFFLINE: "1" } }),
		);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(error.code).toBe("model-missing");
		expect(error.message).toMatch(/offline, and prize:memo-trap is not on disk/);
		expect(error.hint).toMatch(/invscale pull prize:memo-trap/);
		expect(hub.requests).toEqual([]);

		hostStandIns(hub, { [file]: standInClassification(20) });
		await ensurePrizeTask(memoTrap, { env });
		hub.requests.length = 0;
		const cached = await ensurePrizeTask(memoTrap, {
			env: { ...env, HF_ENDPOINT: await closedLoopbackEndpoint(), HF_HUB_OFFLINE: "1" },
		});
		expect(cached.downloaded).toBe(false);
		expect(hub.requests).toEqual([]);
		// Not offline, but the hub is gone: the cached file is still used, without a request.
		const again = await ensurePrizeTask(memoTrap, {
			env: { ...env, HF_ENDPOINT: await closedLoopbackEndpoint() },
		});
		expect(again.path).toBe(cached.path);
	});

	it("a hub out of reach fails within seconds and names the way round it", async () => {
		const started = Date.now();
		const error = await ladderRejection(
			ensurePrizeTask(memoTrap, { env: { ...env, HF_ENDPOINT: await closedLoopbackEndpoint() } }),
		);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(error.code).toBe("network");
		expect(error.hint).toMatch(/invscale pull prize:memo-trap/);
		expect(error.hint).toMatch(/INVSCALE_OFFLINE=1/);
	});

	it("sends HF_TOKEN to the hub", async () => {
		hostStandIns(hub, { [file]: standInClassification(10) });
		await ensurePrizeTask(memoTrap, { env: { ...env, HF_TOKEN: "hf_test" } });
		expect(hub.requests[0].authorization).toBe("Bearer hf_test");
	});
});
