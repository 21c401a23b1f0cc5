/** Without network, `invscale eval --ladder pythia` fails within seconds, says what to do, and never hangs. */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const servers: Server[] = [];
afterAll(() => {
	for (const s of servers) s.close();
});

let connections = 0;

/** A loopback port that accepts connections (counting them) and never answers. */
async function silentPort(): Promise<number> {
	const server = createServer(() => {
		connections++;
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	return (server.address() as { port: number }).port;
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const port = (server.address() as { port: number }).port;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe("eval with the hub out of reach", () => {
	it.each([
		["connection refused", closedPort, /connection refused/],
		["no answer", silentPort, /no answer within 1 s/],
	] as const)("%s: fails fast with what to do instead", async (_, port, reason) => {
		const home = mkdtempSync(join(tmpdir(), "invscale-home-"));
		const started = Date.now();
		const result = await runCli(
			[
				"eval",
				"examples/tasks/negation-qa.csv",
				"--ladder",
				"pythia",
				"--out",
				join(home, "runs"),
				"--no-report",
			],
			{
				INVSCALE_HOME: home,
				HF_ENDPOINT: `http://127.0.0.1:${await port()}`,
				INVSCALE_CONNECT_TIMEOUT_MS: "1000",
			},
		);
		expect(Date.now() - started).toBeLessThan(20_000);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/cannot reach the model hub/);
		expect(result.stderr).toMatch(reason);
		expect(result.stderr).toContain("--models a.gguf,b.gguf");
		// The later models are not tried once the hub is known to be out of reach.
		expect(result.stderr.match(/cannot reach the model hub/g)).toHaveLength(1);
		expect(result.stderr).toMatch(/pythia-6\.9b: not downloaded: the hub could not be reached/);
	});

	it("offline mode never touches the network", async () => {
		const home = mkdtempSync(join(tmpdir(), "invscale-home-"));
		const before = connections;
		const result = await runCli(
			[
				"eval",
				"examples/tasks/negation-qa.csv",
				"--ladder",
				"pythia-small",
				"--offline",
				"--out",
				join(home, "runs"),
			],
			{ INVSCALE_HOME: home, HF_ENDPOINT: `http://127.0.0.1:${await silentPort()}` },
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/offline/i);
		expect(connections).toBe(before);
	});
});
