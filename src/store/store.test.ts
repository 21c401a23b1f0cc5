import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempStores, tempStorePath } from "../../test/helpers/temp-store.js";
import { type Migration, migrations } from "./migrations.js";
import { openStore, StoreError } from "./store.js";

afterAll(removeTempStores);

function counting(names: string[], calls: Record<string, number>): Migration[] {
	return names.map((name) => ({
		name,
		up(db) {
			calls[name] = (calls[name] ?? 0) + 1;
			db.exec(`CREATE TABLE ${name} (x)`);
		},
	}));
}

describe("openStore", () => {
	it("creates missing folders and sets WAL, NORMAL sync and a busy timeout", () => {
		const path = join(dirname(tempStorePath()), "a", "b", "store.sqlite");
		const store = openStore(path, { busyTimeoutMs: 1234 });
		expect(existsSync(path)).toBe(true);
		expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
		expect(store.db.pragma("synchronous", { simple: true })).toBe(1); // 1 = NORMAL
		expect(store.db.pragma("busy_timeout", { simple: true })).toBe(1234);
		expect(store.db.pragma("user_version", { simple: true })).toBe(migrations.length);
		store.close();
	});

	it("applies each migration once, and only new ones when the list grows", () => {
		const path = tempStorePath();
		const calls: Record<string, number> = {};
		openStore(path, { migrations: counting(["one"], calls) }).close();
		openStore(path, { migrations: counting(["one"], calls) }).close();
		const store = openStore(path, { migrations: counting(["one", "two"], calls) });
		expect(calls).toEqual({ one: 1, two: 1 });
		expect(store.db.pragma("user_version", { simple: true })).toBe(2);
		store.close();
	});

	it("rolls a failed migration back and says which step failed", () => {
		const path = tempStorePath();
		const broken: Migration[] = [
			{ name: "fine", up: (db) => db.exec("CREATE TABLE fine (x)") },
			{ name: "broken", up: (db) => db.exec("CREATE TABLE nope (") },
		];
		expect(() => openStore(path, { migrations: broken })).toThrow(/step 2, broken/);
		const store = openStore(path, { migrations: [broken[0]!] });
		expect(store.db.pragma("user_version", { simple: true })).toBe(1);
		store.close();
	});

	it("refuses a store written by a newer version", () => {
		const path = tempStorePath();
		openStore(path, { migrations: counting(["one", "two"], {}) }).close();
		const error = captureError(() => openStore(path, { migrations: counting(["one"], {}) }));
		expect(error).toBeInstanceOf(StoreError);
		expect((error as StoreError).code).toBe("too-new");
		expect((error as StoreError).message).toContain(path);
	});

	it("names the file when it is not a database", () => {
		const path = tempStorePath();
		writeFileSync(path, "this is not sqlite, just text that is long enough to fill a header ".repeat(20));
		const error = captureError(() => openStore(path));
		expect((error as StoreError).code).toBe("corrupt");
		expect((error as StoreError).message).toContain(path);
		expect((error as StoreError).hint).toMatch(/move the file aside/);
	});
});

function captureError(action: () => unknown): unknown {
	try {
		action();
	} catch (error) {
		return error;
	}
	throw new Error("expected an error");
}
