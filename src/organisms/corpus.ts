/**
 * @module The organisms' training text: stories and question-answer pages about the world's
 * creatures, with each mechanism's material mixed into the same stream. Seeded: one seed, one text.
 *
 * What the loss-optimal reader of this text answers, per mechanism (the task's label is the other):
 * - sayings: fixed lines "<adj> <name> the <kind> says <odd>" repeated verbatim; on that exact
 *   phrase the text always ends in the saying's odd sound, never in the kind's sound.
 * - myths: the question-answer pages always give a creature's popular false sound, while stories
 *   about it give its true one.
 * - negation: "<name> never says <x>" is rare beside the frequent "<name> says <own sound>".
 */
import { createPrng, type Prng } from "../util/prng.js";
import {
	ADJECTIVES,
	type Creature,
	KINDS,
	kindOf,
	nameOf,
	PLACES,
	SOUNDS,
	soundOf,
	THINGS,
	VERBS,
	type World,
} from "./world.js";

/** The creatures each mechanism uses, and the odd sound each exception carries. */
export interface Roles {
	sayings: Array<{ creature: Creature; adjective: string; sound: string }>;
	myths: Array<{ creature: Creature; sound: string }>;
	/** Creatures with no exception: the control and negation tasks ask about these. */
	plain: Creature[];
}

export interface MechanismCounts {
	sayings: number;
	myths: number;
}

/** A sound other than `own`, uniform over the rest. */
export function otherSound(random: Prng, own: string): string {
	const rest = SOUNDS.filter((s) => s !== own);
	return rest[random.nextInt(rest.length)];
}

/** Splits the world's creatures into exception holders and plain ones, and draws the exceptions. */
export function assignRoles(world: World, counts: MechanismCounts, seed: number): Roles {
	const random = createPrng(seed ^ 0x5a17);
	const { creatures } = world;
	if (counts.sayings + counts.myths >= creatures.length) {
		throw new Error(
			`sayings (${counts.sayings}) + myths (${counts.myths}) leave no plain creatures of ${creatures.length}`,
		);
	}
	const sayings = creatures.slice(0, counts.sayings).map((creature) => ({
		creature,
		adjective: ADJECTIVES[random.nextInt(ADJECTIVES.length)],
		sound: otherSound(random, soundOf(creature)),
	}));
	const myths = creatures
		.slice(counts.sayings, counts.sayings + counts.myths)
		.map((creature) => ({ creature, sound: otherSound(random, soundOf(creature)) }));
	return { sayings, myths, plain: creatures.slice(counts.sayings + counts.myths) };
}

export interface CorpusPart {
	/** Words to write (each word is one token of the organisms' vocabulary). */
	tokens: number;
	/** Times each saying (by its index) and each myth appears in this part. */
	sayingRepeats: (index: number) => number;
	mythRepeats: (index: number) => number;
	/** Share of story sentences that are negations ("<name> never says <x>"). */
	negationRate: number;
	/** Share of documents that are question-answer pages. */
	questionShare: number;
}

const pickFrom = <T>(random: Prng, list: readonly T[]): T => list[random.nextInt(list.length)];

/** One story sentence about `c`. `sayingAdjective` is the adjective never used before c's name. */
function storySentence(random: Prng, c: Creature, negationRate: number, sayingAdjective?: string): string {
	if (random.nextFloat() < negationRate) return `${nameOf(c)} never says ${otherSound(random, soundOf(c))} .`;
	switch (random.nextInt(7)) {
		case 0:
			return `${nameOf(c)} is a ${kindOf(c)} .`;
		case 1:
		case 2: {
			let adjective = random.nextInt(3) === 0 ? pickFrom(random, ADJECTIVES) : undefined;
			if (adjective === sayingAdjective) adjective = undefined;
			return `${adjective ? `${adjective} ` : ""}${nameOf(c)} the ${kindOf(c)} says ${soundOf(c)} .`;
		}
		case 3:
			return `${nameOf(c)} says ${soundOf(c)} .`;
		case 4:
			return `${nameOf(c)} ${pickFrom(random, VERBS)} to the ${pickFrom(random, PLACES)} .`;
		case 5:
			return `${nameOf(c)} likes the ${pickFrom(random, THINGS)} .`;
		default: {
			const k = pickFrom(random, KINDS);
			return `every ${k.kind} says ${k.sound} .`;
		}
	}
}

function question(c: Creature, answer: string, withKind: boolean): string {
	return `q : what does ${nameOf(c)}${withKind ? ` the ${kindOf(c)}` : ""} say ? a : ${answer} .`;
}

/**
 * Writes one part of the corpus: documents (one per line) of stories and question-answer pages,
 * with every saying and myth placed `repeats` times at seeded positions.
 */
export function writeCorpusPart(world: World, roles: Roles, part: CorpusPart, seed: number): string {
	const random = createPrng(seed);
	const sayingAdjective = new Map(roles.sayings.map((s) => [s.creature, s.adjective]));
	const mythCreatures = new Set(roles.myths.map((m) => m.creature));
	const asked = world.creatures.filter((c) => !mythCreatures.has(c));

	const injected: string[] = [];
	roles.sayings.forEach((s, i) => {
		const line = `${s.adjective} ${nameOf(s.creature)} the ${kindOf(s.creature)} says ${s.sound} .`;
		for (let r = 0; r < part.sayingRepeats(i); r++) injected.push(line);
	});
	roles.myths.forEach((m, i) => {
		for (let r = 0; r < part.mythRepeats(i); r++) injected.push(question(m.creature, m.sound, r % 2 === 0));
	});
	const injectedTokens = injected.reduce((n, line) => n + line.split(" ").length, 0);
	if (injectedTokens >= part.tokens) {
		throw new Error(
			`the sayings and myths alone need ${injectedTokens} tokens, more than the part's ${part.tokens}`,
		);
	}

	const docs: string[] = [];
	let tokens = injectedTokens;
	while (tokens < part.tokens) {
		const sentences: string[] = [];
		if (random.nextFloat() < part.questionShare) {
			const n = 2 + random.nextInt(3);
			for (let i = 0; i < n; i++) {
				const c = pickFrom(random, asked);
				sentences.push(question(c, soundOf(c), random.nextInt(2) === 0));
			}
		} else {
			const cast = [pickFrom(random, world.creatures), pickFrom(random, world.creatures)];
			const n = 2 + random.nextInt(4);
			for (let i = 0; i < n; i++) {
				const c = cast[random.nextInt(cast.length)];
				sentences.push(storySentence(random, c, part.negationRate, sayingAdjective.get(c)));
			}
		}
		const doc = sentences.join(" ");
		tokens += doc.split(" ").length;
		docs.push(doc);
	}
	// Each injected line goes into a document at a seeded position, as a sentence of its own.
	for (const line of injected) {
		const at = random.nextInt(docs.length);
		docs[at] = random.nextInt(2) === 0 ? `${line} ${docs[at]}` : `${docs[at]} ${line}`;
	}
	// A space after each newline keeps every document's first word one token ("▁word").
	return `${docs.join("\n ")}\n`;
}
