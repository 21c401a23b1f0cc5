/** @module The LadderError a call throws, for tests that check its message and hint; anything else fails the test. */
import { LadderError } from "../../src/ladders/errors.js";

/** The LadderError `promise` rejects with. */
export async function ladderRejection(promise: Promise<unknown>): Promise<LadderError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof LadderError) return error;
		throw error;
	}
	throw new Error("expected a LadderError, got success");
}

/** The LadderError `run` throws. */
export function ladderError(run: () => unknown): LadderError {
	try {
		run();
	} catch (error) {
		if (error instanceof LadderError) return error;
		throw error;
	}
	throw new Error("expected a LadderError, got success");
}
