/** @module Download speed over a sliding window, and a clock that says when to report progress. */

/** Reports at most every `intervalMs`; speed is measured over the last `windowMs`. */
export class ProgressMeter {
	private readonly samples: Array<{ at: number; bytes: number }>;
	private lastReport = Number.NEGATIVE_INFINITY;

	constructor(
		startBytes: number,
		private readonly now: () => number = () => performance.now(),
		private readonly intervalMs = 100,
		private readonly windowMs = 5000,
	) {
		this.samples = [{ at: now(), bytes: startBytes }];
	}

	/** Whether a report is due now (always when `force`); marks the time when it is. */
	due(force: boolean): boolean {
		const at = this.now();
		if (!force && at - this.lastReport < this.intervalMs) return false;
		this.lastReport = at;
		return true;
	}

	/** Bytes per second over the window, counting only bytes transferred since the start. */
	rate(bytes: number): number {
		const at = this.now();
		this.samples.push({ at, bytes });
		while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
		const first = this.samples[0];
		const elapsed = (at - first.at) / 1000;
		return elapsed > 0 ? (bytes - first.bytes) / elapsed : 0;
	}
}
