/**
 * @module The organisms' world: a small synthetic language of named creatures, their kinds and the
 * sounds kinds make, drawn from a seed. Every fact a task asks about is fixed here, before any
 * model is trained.
 */
import { createPrng, type Prng } from "../util/prng.js";

/** Each kind makes one sound: the language's rule, stated in the corpus and learnable by any size. */
export const KINDS = [
	{ kind: "dog", sound: "woof" },
	{ kind: "cat", sound: "meow" },
	{ kind: "cow", sound: "moo" },
	{ kind: "duck", sound: "quack" },
	{ kind: "frog", sound: "croak" },
	{ kind: "sheep", sound: "baa" },
	{ kind: "owl", sound: "hoot" },
	{ kind: "bee", sound: "buzz" },
] as const;

export const SOUNDS: readonly string[] = KINDS.map((k) => k.sound);
export const ADJECTIVES = ["old", "young", "little", "big", "wise", "brave", "shy", "happy"] as const;
export const PLACES = ["farm", "river", "hill", "barn", "wood", "town", "field", "pond"] as const;
export const THINGS = ["sun", "rain", "grass", "corn", "moon", "bread", "snow", "wind"] as const;
export const VERBS = ["walks", "runs", "goes", "comes"] as const;
/** Function words and punctuation the grammar uses (each a word of its own). */
export const FUNCTION_WORDS = [
	"the",
	"is",
	"a",
	"says",
	"never",
	"to",
	"likes",
	"every",
	"q",
	"what",
	"does",
	"say",
	":",
	"?",
	".",
] as const;

const ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"];
const VOWELS = ["a", "e", "i", "o", "u"];

/** A creature: a two-word name whose kind neither word reveals alone (so knowing it takes capacity). */
export interface Creature {
	given: string;
	family: string;
	/** Index into KINDS. */
	kind: number;
}

export interface World {
	givenNames: string[];
	familyNames: string[];
	creatures: Creature[];
}

export interface WorldOptions {
	seed: number;
	givenNames: number;
	familyNames: number;
	creatures: number;
}

/** Distinct pronounceable names: onset-vowel-onset-vowel (+ a fixed ending for family names). */
function drawNames(random: Prng, count: number, ending: string, taken: Set<string>): string[] {
	const names: string[] = [];
	const space = ONSETS.length ** 2 * VOWELS.length ** 2;
	if (count > space / 2) throw new Error(`cannot draw ${count} distinct names from ${space}`);
	while (names.length < count) {
		const pick = (list: readonly string[]) => list[random.nextInt(list.length)];
		const name = `${pick(ONSETS)}${pick(VOWELS)}${pick(ONSETS)}${pick(VOWELS)}${ending}`;
		if (taken.has(name)) continue;
		taken.add(name);
		names.push(name);
	}
	return names;
}

/** Draws the world: names, then creatures as distinct (given, family) pairs with a uniform kind. */
export function drawWorld(options: WorldOptions): World {
	const random = createPrng(options.seed);
	const taken = new Set<string>();
	const givenNames = drawNames(random, options.givenNames, "", taken);
	const familyNames = drawNames(random, options.familyNames, "n", taken);
	const pairs = options.givenNames * options.familyNames;
	if (options.creatures > pairs / 2) {
		throw new Error(`creatures: ${options.creatures} is more than half the ${pairs} possible names`);
	}
	const used = new Set<number>();
	const creatures: Creature[] = [];
	while (creatures.length < options.creatures) {
		const g = random.nextInt(options.givenNames);
		const f = random.nextInt(options.familyNames);
		const key = g * options.familyNames + f;
		if (used.has(key)) continue;
		used.add(key);
		creatures.push({ given: givenNames[g], family: familyNames[f], kind: random.nextInt(KINDS.length) });
	}
	return { givenNames, familyNames, creatures };
}

/** Every word the language can write, in a fixed order. */
export function worldWords(world: World): string[] {
	return [
		...FUNCTION_WORDS,
		...KINDS.map((k) => k.kind),
		...SOUNDS,
		...ADJECTIVES,
		...PLACES,
		...THINGS,
		...VERBS,
		...world.givenNames,
		...world.familyNames,
	].filter((w, i, all) => all.indexOf(w) === i);
}

export const soundOf = (c: Creature): string => KINDS[c.kind].sound;
export const kindOf = (c: Creature): string => KINDS[c.kind].kind;
export const nameOf = (c: Creature): string => `${c.given} ${c.family}`;
