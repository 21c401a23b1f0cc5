/**
 * @module Child process of the remote-scale benchmark: runs K scale servers (one per replica) so
 * that their work never counts as invscale's CPU time. Told what to run in argv; answers over IPC.
 */
import { type ScaleServer, type ScaleServerOptions, startScaleServer } from "../../testing/scale-server.js";

export type ServersMessage = { type: "kill"; replica: number } | { type: "stats" } | { type: "close" };
export type ServersReply =
	| { type: "ready"; baseUrls: string[] }
	| { type: "killed"; replica: number }
	| { type: "stats"; stats: ScaleServer["stats"][] };

const config = JSON.parse(process.argv[2] ?? "{}") as ScaleServerOptions & { replicas: number };
const servers = await Promise.all(Array.from({ length: config.replicas }, () => startScaleServer(config)));
const send = (reply: ServersReply) => process.send?.(reply);
process.on("message", async (message: ServersMessage) => {
	if (message.type === "kill") {
		await servers[message.replica]!.kill();
		send({ type: "killed", replica: message.replica });
	} else if (message.type === "stats") {
		send({ type: "stats", stats: servers.map((s) => ({ ...s.stats })) });
	} else {
		await Promise.all(servers.map((s) => s.close()));
		process.exit(0);
	}
});
send({ type: "ready", baseUrls: servers.map((s) => s.baseUrl) });
