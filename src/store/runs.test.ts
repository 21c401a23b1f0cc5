import { afterAll, describe, expect, it } from "vitest";
import { removeTempStores, tempStorePath } from "../../test/helpers/temp-store.js";
import { openStore } from "./store.js";

afterAll(removeTempStores);

const newRun = (id: string) => ({
	id,
	kind: "eval",
	title: `Run ${id}`,
	options: { tasks: ["a.csv"], precision: "exact", limit: null },
	dir: `/tmp/runs/${id}`,
});

describe("run registry", () => {
	it("creates a queued run and reads it back after reopening", () => {
		const path = tempStorePath();
		const store = openStore(path);
		const created = store.runs.createRun(newRun("r1"));
		expect(created).toMatchObject({
			id: "r1",
			kind: "eval",
			title: "Run r1",
			status: "queued",
			options: { tasks: ["a.csv"], precision: "exact", limit: null },
			progress: null,
			error: null,
			dir: "/tmp/runs/r1",
			startedAt: null,
			endedAt: null,
		});
		expect(Date.parse(created.createdAt)).not.toBeNaN();
		store.close();
		const reopened = openStore(path);
		expect(reopened.runs.getRun("r1")).toEqual(created);
		expect(reopened.runs.getRun("nope")).toBeUndefined();
		reopened.close();
	});

	it("stamps start and end as the status moves, and keeps an explicit end time", () => {
		const store = openStore(tempStorePath());
		store.runs.createRun(newRun("r1"));
		const running = store.runs.updateRun("r1", { status: "running", progress: { done: 3, total: 10 } })!;
		expect(running.status).toBe("running");
		expect(running.startedAt).not.toBeNull();
		expect(running.endedAt).toBeNull();
		expect(running.progress).toEqual({ done: 3, total: 10 });
		// An update without progress keeps the previous one.
		expect(store.runs.updateRun("r1", { error: "model b failed" })!.progress).toEqual({ done: 3, total: 10 });
		const done = store.runs.updateRun("r1", { status: "partial" })!;
		expect(done.endedAt).not.toBeNull();
		expect(done.startedAt).toBe(running.startedAt);
		expect(done.error).toBe("model b failed");
		store.runs.createRun(newRun("r2"));
		const ended = store.runs.updateRun("r2", { status: "failed", endedAt: "2024-01-02T03:04:05.000Z" })!;
		expect(ended.endedAt).toBe("2024-01-02T03:04:05.000Z");
		expect(store.runs.updateRun("missing", { status: "running" })).toBeUndefined();
		store.close();
	});

	it("refuses unknown statuses and duplicate ids", () => {
		const store = openStore(tempStorePath());
		store.runs.createRun(newRun("r1"));
		expect(() => store.runs.createRun(newRun("r1"))).toThrow(/UNIQUE/);
		expect(() => store.runs.updateRun("r1", { status: "done" as never })).toThrow(
			/unknown run status "done"/,
		);
		expect(store.runs.getRun("r1")!.status).toBe("queued");
		store.close();
	});

	it("lists newest first, with a limit, and deletes", () => {
		const store = openStore(tempStorePath());
		for (const id of ["a", "b", "c"]) store.runs.createRun(newRun(id));
		expect(store.runs.listRuns().map((r) => r.id)).toEqual(["c", "b", "a"]);
		expect(store.runs.listRuns({ limit: 2 }).map((r) => r.id)).toEqual(["c", "b"]);
		expect(store.runs.deleteRun("b")).toBe(true);
		expect(store.runs.deleteRun("b")).toBe(false);
		expect(store.runs.listRuns().map((r) => r.id)).toEqual(["c", "a"]);
		store.close();
	});

	it("marks runs left running as interrupted, and queued ones only when asked", () => {
		const store = openStore(tempStorePath());
		for (const id of ["q", "r1", "r2", "done"]) store.runs.createRun(newRun(id));
		store.runs.updateRun("r1", { status: "running" });
		store.runs.updateRun("r2", { status: "running" });
		store.runs.updateRun("done", { status: "complete" });
		expect(store.runs.markInterruptedRuns()).toBe(2);
		expect(store.runs.getRun("r1")!.status).toBe("interrupted");
		expect(store.runs.getRun("r1")!.endedAt).not.toBeNull();
		expect(store.runs.getRun("done")!.status).toBe("complete");
		expect(store.runs.getRun("q")!.status).toBe("queued");
		expect(store.runs.markInterruptedRuns()).toBe(0);
		expect(store.runs.markInterruptedRuns({ includeQueued: true })).toBe(1);
		expect(store.runs.getRun("q")!.status).toBe("interrupted");
		store.close();
	});
});
