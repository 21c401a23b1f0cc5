/** @module LadderError: the typed failure of reading ladders and fetching model files. */
import { CliError, exitCodes } from "../cli/errors.js";

export type LadderErrorCode =
	/** A ladder file or config file that does not parse or validate. */
	| "invalid-ladder"
	/** A ladder name that is neither in the catalog, the user config nor a file. */
	| "unknown-ladder"
	/** A model file that is not on disk (and may not be downloaded: offline, or a local path). */
	| "model-missing"
	/** The hub could not be reached or stopped answering. */
	| "network"
	/** The hub answered with an error status. */
	| "hub-error"
	/** A downloaded file whose size or sha256 differs from the expected one (the file is deleted). */
	| "checksum"
	/** Another process is downloading the same file. */
	| "busy"
	| "aborted";

/**
 * A failure a person must act on. It is a CliError so the command line prints the message and
 * hint as they are; other callers switch on `code`.
 */
export class LadderError extends CliError {
	constructor(
		message: string,
		readonly code: LadderErrorCode,
		hint?: string,
	) {
		super(
			message,
			code === "invalid-ladder" || code === "unknown-ladder" ? exitCodes.usage : exitCodes.failed,
			hint,
		);
		this.name = "LadderError";
	}
}
