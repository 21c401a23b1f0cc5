/**
 * @module Appends rows to a file in example order while results arrive out of order, so a run's
 * files are identical however its work was scheduled.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export class OrderedAppender<T> {
	private readonly pending = new Map<number, T>();
	private next = 0;

	/**
	 * @param order the example indices in the order they must appear
	 * @param format turns one item into its text (with its trailing newline)
	 */
	constructor(
		private readonly path: string,
		private readonly order: readonly number[],
		private readonly format: (item: T) => string,
		header = "",
	) {
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, header);
	}

	/** Accepts the item for example `index` and writes every item now in order. */
	add(index: number, item: T): void {
		this.pending.set(index, item);
		let text = "";
		while (this.next < this.order.length && this.pending.has(this.order[this.next])) {
			const key = this.order[this.next];
			text += this.format(this.pending.get(key) as T);
			this.pending.delete(key);
			this.next++;
		}
		if (text) appendFileSync(this.path, text);
	}

	get written(): number {
		return this.next;
	}
}
