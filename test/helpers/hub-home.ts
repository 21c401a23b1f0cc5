/** @module A fresh INVSCALE_HOME and a local hub, with the environment that points invscale at both. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HubServer, startHubServer } from "./hub-server.js";

export interface HubHome {
	home: string;
	hub: HubServer;
	/** INVSCALE_HOME and HF_ENDPOINT. */
	env: NodeJS.ProcessEnv;
}

/** A new temporary home (named `<prefix>XXXXXX`) and hub. */
export async function openHubHome(prefix = "invscale-"): Promise<HubHome> {
	const home = mkdtempSync(join(tmpdir(), prefix));
	const hub = await startHubServer();
	return { home, hub, env: { INVSCALE_HOME: home, HF_ENDPOINT: hub.endpoint } };
}

/** Stops the hub and removes the home. */
export async function closeHubHome({ home, hub }: Partial<HubHome>): Promise<void> {
	await hub?.close();
	if (home) rmSync(home, { recursive: true, force: true });
}
