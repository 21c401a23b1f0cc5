/**
 * @module Getting a model's file onto disk: local files are checked, hub files are downloaded
 * into INVSCALE_HOME/models through a `.part` file that later attempts resume with HTTP Range,
 * verified by size and sha256 when known. Connect and idle timeouts mean it never hangs.
 */
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { sha256File } from "../util/hash.js";
import { modelsDir } from "../util/home.js";
import { version } from "../version.js";
import { LadderError } from "./errors.js";
import { hfFileUrl, parseHfUri } from "./hf-uri.js";
import { type HubSettings, hubSettings } from "./hub-settings.js";
import { hfLocalCandidates, modelFileState } from "./local-files.js";
import { describeNetworkFailure, type NetworkFailure, TimeoutReason } from "./network-failure.js";
import { ProgressMeter } from "./progress-meter.js";
import { isRemoteSource, type LadderModel } from "./types.js";

export interface DownloadProgress {
	/** The file's name, e.g. `pythia-160m.Q8_0.gguf`. */
	file: string;
	/** Bytes on disk so far, resumed bytes included. */
	bytes: number;
	/** Size of the whole file, when the hub or the catalog says it. */
	total: number | undefined;
	bytesPerSecond: number;
	etaSeconds: number | undefined;
}

export interface EnsureModelFileOptions {
	/** Use files on disk only (also `INVSCALE_OFFLINE=1` or `HF_HUB_OFFLINE=1`). */
	offline?: boolean;
	/** Called about ten times a second while downloading, and once at the end. */
	onProgress?(progress: DownloadProgress): void;
	signal?: AbortSignal;
	/** Environment to read INVSCALE_HOME, HF_ENDPOINT, HF_TOKEN and the timeouts from (default: process.env). */
	env?: NodeJS.ProcessEnv;
	/** Longest wait for the hub to connect and answer (default: INVSCALE_CONNECT_TIMEOUT_MS or 10 s). */
	connectTimeoutMs?: number;
	/** Longest pause between two pieces of data (default: INVSCALE_IDLE_TIMEOUT_MS or 30 s). */
	idleTimeoutMs?: number;
	/** How many times a transfer broken off midway is resumed before giving up (default 2). */
	retries?: number;
	/** The ladder being fetched, named in the hint when the hub cannot be reached. */
	ladder?: string;
}

// Concurrent calls for the same file in one process share one download.
const inFlight = new Map<string, Promise<string>>();

/**
 * The local path of `model`'s GGUF file, downloading it from the hub first when needed.
 * Throws LadderError: `model-missing` (a local file that is not there, or offline), `network`,
 * `hub-error`, `checksum`, `busy` or `aborted`. Models served by an OpenAI-compatible server have
 * no file and are refused.
 */
export async function ensureModelFile(
	model: LadderModel,
	options: EnsureModelFileOptions = {},
): Promise<string> {
	const env = options.env ?? process.env;
	const source = model.source;
	if (isRemoteSource(source))
		throw new LadderError(
			`model "${model.name}" is served by ${source.baseUrls[0]} and has no file to fetch`,
			"invalid-ladder",
		);
	if (source.kind === "file") {
		const state = modelFileState(model, env);
		if (state.kind === "present") return state.path;
		throw new LadderError(
			`model file not found: ${source.path} (model "${model.name}")`,
			"model-missing",
			"Check the path; paths in a ladder file are relative to the ladder file's folder.",
		);
	}
	const parsed = parseHfUri(source.uri);
	if (!parsed.ok) throw new LadderError(`model "${model.name}": ${parsed.reason}`, "invalid-ladder");
	const settings = hubSettings(env);
	const state = modelFileState(model, env);
	if (state.kind === "present") return state.path;
	if (state.kind === "wrong-size")
		throw new LadderError(
			`${state.path} has ${state.bytes} bytes but ${source.uri} has ${state.total}`,
			"checksum",
			`Delete ${state.path} to download it again, or put the right file there.`,
		);
	const destination = hfLocalCandidates(source.uri, env)[0];
	if (options.offline || settings.offline)
		throw new LadderError(
			`offline, and ${model.name} is not on disk: ${destination} is missing`,
			"model-missing",
			`Run \`invscale pull ${options.ladder ?? "LADDER"}\` where there is network and copy ${modelsDir(env)} here${parsed.ref.revision === "main" ? ` (any file named ${parsed.ref.file.split("/").at(-1)} directly in that folder works too)` : ""}, or give local files with --models a.gguf,b.gguf.`,
		);
	return downloadHubFile(
		{
			url: hfFileUrl(parsed.ref, settings.endpoint),
			destination,
			fileName: parsed.ref.file.split("/").at(-1) ?? parsed.ref.file,
			uri: source.uri,
			expected: { size: source.size, sha256: source.sha256 },
			withoutNetwork: `Without network: give local files with --models a.gguf,b.gguf, or run \`invscale pull ${options.ladder ?? "LADDER"}\` on a machine with network and copy ${modelsDir(env)} here.`,
		},
		options,
	);
}

/** One hub file to fetch: where from, where to, and what it must be. */
export interface HubFileRequest {
	/** The download address (a hub `resolve` URL). */
	url: string;
	/** The final path; the transfer goes through `<destination>.part`. */
	destination: string;
	/** The file's name, for progress. */
	fileName: string;
	/** The name messages use (`hf:owner/repo/file`). */
	uri: string;
	/** Size and sha256 the file must have; a mismatch deletes it. Leave out what is not known. */
	expected: { size?: number; sha256?: string };
	/** How to get the file without network, said when the hub cannot be reached. */
	withoutNetwork: string;
}

/**
 * Downloads one hub file to `request.destination` (resuming a `.part` left by an earlier attempt,
 * under a lock, once per process), with the settings and timeouts of `options`. The file is
 * complete when it has the length the hub announced; a transfer cut short is never renamed into
 * place. Throws LadderError like `ensureModelFile`. The caller checks offline mode first.
 */
export function downloadHubFile(
	request: HubFileRequest,
	options: EnsureModelFileOptions = {},
): Promise<string> {
	const env = options.env ?? process.env;
	const settings = hubSettings(env);
	const running = inFlight.get(request.destination);
	if (running) return running;
	const job = download(request, settings, options).finally(() => inFlight.delete(request.destination));
	inFlight.set(request.destination, job);
	return job;
}

interface Expected {
	uri: string;
	size?: number;
	sha256?: string;
}

async function download(
	request: HubFileRequest,
	settings: HubSettings,
	options: EnsureModelFileOptions,
): Promise<string> {
	const { destination, url, fileName } = request;
	const expected: Expected = { ...request.expected, uri: request.uri };
	await mkdir(dirname(destination), { recursive: true });
	const lock = await takeLock(`${destination}.lock`, expected.uri);
	try {
		const part = `${destination}.part`;
		const retries = options.retries ?? 2;
		for (let attempt = 0; ; attempt++) {
			const outcome = await transfer(url, part, fileName, expected, settings, options);
			if (outcome.kind === "complete") break;
			// A transfer broken off after some progress is resumed; one that made none is reported.
			if (outcome.kind === "broken" && outcome.progressed && attempt < retries) continue;
			throw networkError(outcome.failure, expected.uri, settings.endpoint, request.withoutNetwork);
		}
		await verify(part, expected);
		await rename(part, destination);
		return destination;
	} finally {
		await lock.release();
	}
}

type TransferOutcome =
	| { kind: "complete" }
	| { kind: "broken"; progressed: boolean; failure: NetworkFailure };

async function transfer(
	url: string,
	part: string,
	fileName: string,
	expected: Expected,
	settings: HubSettings,
	options: EnsureModelFileOptions,
): Promise<TransferOutcome> {
	const connectTimeoutMs = options.connectTimeoutMs ?? settings.connectTimeoutMs;
	const idleTimeoutMs = options.idleTimeoutMs ?? settings.idleTimeoutMs;
	let start = await existingSize(part);
	if (expected.size !== undefined && start > expected.size) {
		await rm(part, { force: true });
		start = 0;
	}
	const controller = new AbortController();
	const onAbort = () => controller.abort(options.signal?.reason);
	options.signal?.addEventListener("abort", onAbort, { once: true });
	let timer = setTimeout(
		() => controller.abort(new TimeoutReason("connect", connectTimeoutMs)),
		connectTimeoutMs,
	);
	let progressed = false;
	try {
		throwIfAborted(options.signal);
		const headers: Record<string, string> = {
			"user-agent": `invscale/${version}`,
			"accept-encoding": "identity",
		};
		if (settings.token) headers.authorization = `Bearer ${settings.token}`;
		if (start > 0) headers.range = `bytes=${start}-`;
		let response: Response;
		try {
			response = await fetch(url, { headers, signal: controller.signal, redirect: "follow" });
		} catch (error) {
			throwIfAborted(options.signal);
			return {
				kind: "broken",
				progressed: false,
				failure: describeNetworkFailure(error, controller.signal.reason),
			};
		}
		clearTimeout(timer);

		let total: number | undefined;
		if (response.status === 206 && start > 0) {
			const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
			if (!range || Number(range[1]) !== start) {
				// A range other than the one asked for: start over rather than splice wrong bytes.
				await response.body?.cancel();
				await rm(part, { force: true });
				return {
					kind: "broken",
					progressed: true,
					failure: { kind: "protocol", reason: "the hub answered a different byte range" },
				};
			}
			total = range[3] === "*" ? undefined : Number(range[3]);
		} else if (response.status === 200) {
			start = 0; // The hub ignored the range (or none was asked): the body is the whole file.
			const length = response.headers.get("content-length");
			total = length === null ? undefined : Number(length);
		} else if (response.status === 416 && start > 0) {
			await response.body?.cancel();
			const whole = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
			if (whole && Number(whole[1]) === start) return { kind: "complete" };
			await rm(part, { force: true });
			return {
				kind: "broken",
				progressed: true,
				failure: { kind: "protocol", reason: "the partial file is larger than the file on the hub" },
			};
		} else {
			await response.body?.cancel();
			throw hubStatusError(response.status, expected.uri, settings);
		}
		if (expected.size !== undefined && total !== undefined && total !== expected.size) {
			await response.body?.cancel();
			await rm(part, { force: true });
			throw new LadderError(
				`${expected.uri} on the hub has ${total} bytes, but ${expected.size} were expected`,
				"checksum",
				"The file on the hub has changed; update the ladder's size (and sha256) or pin a revision: hf:owner/repo@REVISION/file.gguf.",
			);
		}
		total ??= expected.size;

		const handle = await open(part, start > 0 ? "a" : "w");
		const meter = new ProgressMeter(start);
		let bytes = start;
		const report = (force: boolean) => {
			if (!options.onProgress || !meter.due(force)) return;
			const rate = meter.rate(bytes);
			options.onProgress({
				file: fileName,
				bytes,
				total,
				bytesPerSecond: rate,
				etaSeconds: total !== undefined && rate > 0 ? Math.max(0, (total - bytes) / rate) : undefined,
			});
		};
		try {
			if (!response.body) throw new Error("the hub sent no body");
			timer = setTimeout(() => controller.abort(new TimeoutReason("idle", idleTimeoutMs)), idleTimeoutMs);
			report(true);
			for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
				timer.refresh();
				await handle.write(chunk);
				bytes += chunk.byteLength;
				progressed = true;
				report(false);
			}
		} catch (error) {
			throwIfAborted(options.signal);
			return { kind: "broken", progressed, failure: describeNetworkFailure(error, controller.signal.reason) };
		} finally {
			clearTimeout(timer);
			await handle.close();
		}
		report(true);
		if (total !== undefined && bytes < total)
			return {
				kind: "broken",
				progressed,
				failure: { kind: "broken", reason: `the transfer ended at ${bytes} of ${total} bytes` },
			};
		return { kind: "complete" };
	} finally {
		clearTimeout(timer);
		options.signal?.removeEventListener("abort", onAbort);
	}
}

async function existingSize(path: string): Promise<number> {
	try {
		return (await stat(path)).size;
	} catch {
		return 0;
	}
}

function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted)
		throw new LadderError("download cancelled", "aborted", "Run the same command again to resume it.");
}

async function verify(part: string, expected: Expected): Promise<void> {
	const size = await existingSize(part);
	if (expected.size !== undefined && size !== expected.size) {
		await rm(part, { force: true });
		throw new LadderError(
			`${expected.uri}: downloaded ${size} bytes, expected ${expected.size}; the file was deleted`,
			"checksum",
			"Run the command again to download it afresh.",
		);
	}
	if (expected.sha256 === undefined) return;
	const digest = await sha256File(part);
	if (digest !== expected.sha256.toLowerCase()) {
		await rm(part, { force: true });
		throw new LadderError(
			`${expected.uri}: sha256 is ${digest}, expected ${expected.sha256}; the downloaded file was deleted`,
			"checksum",
			"The hub (or a mirror set with HF_ENDPOINT) served other bytes. Run again to retry; if it persists, the file has changed upstream and the ladder's sha256 needs updating.",
		);
	}
}

function hubStatusError(status: number, uri: string, settings: HubSettings): LadderError {
	const at = `${settings.endpoint} answered HTTP ${status} for ${uri}`;
	if (status === 401 || status === 403)
		return new LadderError(
			`${at}: access refused`,
			"hub-error",
			settings.token
				? "HF_TOKEN is set but has no access to this repository; accept its licence on the hub or use another token."
				: "The repository may be gated or private: set HF_TOKEN to a token that has access.",
		);
	if (status === 404)
		return new LadderError(
			`${at}: no such file`,
			"hub-error",
			"Check the owner, repository and file name in the uri (hf:owner/repo/file.gguf).",
		);
	if (status === 429)
		return new LadderError(
			`${at}: too many requests`,
			"hub-error",
			"Wait a few minutes and run again; the partial file is kept.",
		);
	return new LadderError(
		`${at}`,
		"hub-error",
		"The hub may be having trouble; run again later (the partial file is kept).",
	);
}

function networkError(
	failure: NetworkFailure,
	uri: string,
	endpoint: string,
	withoutNetwork: string,
): LadderError {
	const what =
		failure.kind === "stalled"
			? `the download of ${uri} from ${endpoint} stalled (${failure.reason}); the partial file is kept and the next run resumes it`
			: failure.kind === "protocol" || failure.kind === "broken"
				? `the download of ${uri} from ${endpoint} failed: ${failure.reason}`
				: `cannot reach the model hub at ${endpoint} (${failure.reason}) to download ${uri}`;
	return new LadderError(
		what,
		"network",
		`${withoutNetwork} HF_ENDPOINT sets another hub address (a mirror); INVSCALE_OFFLINE=1 uses files on disk only.`,
	);
}

/** An exclusive lock file holding our pid; a lock left by a process that is gone is taken over. */
async function takeLock(path: string, uri: string): Promise<{ release(): Promise<void> }> {
	const release = async () => {
		await rm(path, { force: true });
	};
	try {
		await writeFile(path, String(process.pid), { flag: "wx" });
		return { release };
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
	}
	const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
	if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner))
		throw new LadderError(
			`${uri} is being downloaded by another invscale process (pid ${owner})`,
			"busy",
			`Wait for it to finish, or delete ${path} if that process is gone.`,
		);
	await writeFile(path, String(process.pid));
	return { release };
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}
