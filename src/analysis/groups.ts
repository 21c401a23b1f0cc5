/**
 * @module Which conditions share a line when several coordinates vary: the group of a condition is
 * its family plus its values on the dimensions the axis is crossed with (one line per size when x
 * is training tokens, one per checkpoint when x is parameters).
 */
import { formatCount } from "../ladders/numbers.js";
import type { Coordinates } from "../run/conditions.js";
import type { AxisSpec, Dimension } from "./axis.js";

/**
 * The dimensions a condition can be grouped by (compute is derived from size and training).
 * `model`: the ladder entry itself, for sweeps of a setting (budgets, shots) over models whose
 * sizes are unknown, as API models' are.
 */
export const GROUP_DIMENSIONS = ["size", "training", "shots", "budget", "model"] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/** The condition's value on a dimension: size by parameters (else non-embedding), training by tokens (else step). */
export function dimensionValue(coords: Coordinates, d: GroupDimension): number | undefined {
	if (d === "model") return undefined;
	if (d === "size") return coords.parameters ?? coords.nonEmbeddingParameters;
	if (d === "training") return coords.trainingTokens ?? coords.step;
	return coords[d];
}

/** The dimensions an axis moves along: compute moves along both size and training. */
function covered(dimension: Dimension): GroupDimension[] {
	return dimension === "compute" ? ["size", "training"] : [dimension];
}

export interface GroupMember {
	family: string;
	coords: Coordinates;
	x: number;
	/** The ladder entry's name (several conditions share it). */
	model?: string;
}

/** A member's value on a dimension: a number, or the model's name for `model`. */
function memberValue(m: GroupMember, d: GroupDimension): number | string | undefined {
	return d === "model" ? m.model : dimensionValue(m.coords, d);
}

/**
 * The dimensions to group by: those, other than the axis' own, that vary within a family and
 * are crossed with the axis (some value is shared by conditions at two different x). A size
 * ladder whose models each have their own token count is not split by tokens.
 */
export function autoGroupBy(axis: AxisSpec, members: readonly GroupMember[]): GroupDimension[] {
	const skip = covered(axis.dimension);
	const crossed = (d: GroupDimension) => {
		const byFamily = new Map<string, Map<number | string, Set<number>>>();
		for (const m of members) {
			const v = memberValue(m, d);
			if (v === undefined) continue;
			let values = byFamily.get(m.family);
			if (!values) {
				values = new Map();
				byFamily.set(m.family, values);
			}
			let xs = values.get(v);
			if (!xs) {
				xs = new Set();
				values.set(v, xs);
			}
			xs.add(m.x);
		}
		return [...byFamily.values()].some(
			(values) => values.size >= 2 && [...values.values()].some((xs) => xs.size >= 2),
		);
	};
	const by = GROUP_DIMENSIONS.filter((d) => d !== "model" && !skip.includes(d) && crossed(d));
	// A setting swept over models of unknown size: one line per model.
	if (by.length === 0 && (axis.dimension === "budget" || axis.dimension === "shots") && crossed("model"))
		return ["model"];
	return by;
}

export interface Group {
	key: string;
	/** How the group is named in tables and verdicts: a model name, "step 64000", "4-shot". */
	label: string;
	family: string;
	/** The group's value on each grouping dimension. */
	values: Partial<Record<GroupDimension, number>>;
	/** Indices of its members in the input order. */
	members: number[];
}

/** A condition's value on a dimension in words: "1B parameters", "step 64000", "4-shot". */
export function valueWords(d: GroupDimension, coords: Coordinates): string {
	if (d === "model") return "a model";
	const v = dimensionValue(coords, d);
	if (v === undefined) return `${d} unknown`;
	if (d === "size") return `${formatCount(v)} parameters`;
	if (d === "training") return coords.step !== undefined ? `step ${coords.step}` : `${formatCount(v)} tokens`;
	if (d === "shots") return `${v}-shot`;
	return `budget ${v}`;
}

/**
 * Splits the members into groups by family and the given dimensions, ordered by family then by
 * the dimension values. A group is labelled by the model name its members share when it is
 * grouped by size alone, otherwise by its values ("pythia · 134B tokens").
 */
export function groupMembers(members: readonly GroupMember[], by: readonly GroupDimension[]): Group[] {
	const families = new Set(members.map((m) => m.family));
	const groups = new Map<string, Group>();
	members.forEach((m, i) => {
		const values: Partial<Record<GroupDimension, number>> = {};
		for (const d of by) values[d] = dimensionValue(m.coords, d);
		const key = JSON.stringify([m.family, ...by.map((d) => memberValue(m, d) ?? null)]);
		let g = groups.get(key);
		if (!g) {
			const words = by.map((d) => valueWords(d, m.coords));
			const label = families.size > 1 ? [m.family, ...words].join(" · ") : words.join(" · ") || m.family;
			g = { key, label, family: m.family, values, members: [] };
			groups.set(key, g);
		}
		g.members.push(i);
	});
	const list = [...groups.values()];
	for (const g of list) {
		const models = new Set(g.members.map((i) => members[i].model).filter((v) => v !== undefined));
		if (by.length === 1 && (by[0] === "size" || by[0] === "model") && models.size === 1)
			g.label = [...models][0]!;
	}
	const order = (a: Group, b: Group) => {
		if (a.family !== b.family) return a.family.localeCompare(b.family);
		for (const d of by) {
			const x = a.values[d] ?? Number.NEGATIVE_INFINITY;
			const y = b.values[d] ?? Number.NEGATIVE_INFINITY;
			if (x !== y) return x - y;
		}
		return 0;
	};
	return list.sort(order);
}
