/** @module The shape of one `npm run bench` section: what main.ts runs and each section exports. */

export interface BenchSection {
	name: string;
	description: string;
	/** Runs the benchmark, prints its own table, returns the figures to record. */
	run(): Promise<Record<string, unknown>>;
}
