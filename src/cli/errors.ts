/** @module Exit codes and the error type commands throw to end with a message and a code. */

export const exitCodes = {
	ok: 0,
	/** Invalid input (a task with errors) or a run that did not complete. */
	failed: 1,
	/** Bad arguments or flags. */
	usage: 2,
	/** A run that finished for some models but not all. */
	partial: 3,
	internal: 70,
} as const;

export class CliError extends Error {
	constructor(
		message: string,
		readonly exitCode: number = exitCodes.failed,
		readonly hint?: string,
	) {
		super(message);
		this.name = "CliError";
	}
}
