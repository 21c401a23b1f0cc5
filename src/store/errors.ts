/** @module The error the store throws, with a code callers can switch on and a hint for the user. */

/** A store that cannot be opened or used; `hint` says what the user can do about it. */
export class StoreError extends Error {
	constructor(
		message: string,
		readonly code: "open" | "corrupt" | "too-new" | "migration" | "busy" | "write",
		readonly hint?: string,
	) {
		super(message);
		this.name = "StoreError";
	}
}
