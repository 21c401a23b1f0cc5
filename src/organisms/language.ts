/**
 * @module Everything the config fixes before training: the world, who holds which exception, the
 * vocabulary, the corpus text of each training segment and the held-out text.
 */
import { type OrganismsConfig, repeatsOf, segmentShare } from "./config.js";
import { assignRoles, type Roles, writeCorpusPart } from "./corpus.js";
import { buildVocabulary, type Vocabulary } from "./vocabulary.js";
import { drawWorld, type World, worldWords } from "./world.js";

export interface Language {
	world: World;
	roles: Roles;
	vocab: Vocabulary;
}

export function languageOf(config: OrganismsConfig): Language {
	const world = drawWorld({
		seed: config.seed,
		givenNames: config.world.given_names,
		familyNames: config.world.family_names,
		creatures: config.world.creatures,
	});
	const roles = assignRoles(
		world,
		{ sayings: config.mechanisms.sayings.items, myths: config.mechanisms.myths.items },
		config.seed,
	);
	return { world, roles, vocab: buildVocabulary(worldWords(world)) };
}

export const segmentCount = (config: OrganismsConfig): number => config.training.learning_rates.length;

/** The training text of one segment (each segment is fresh text; the exceptions recur in each). */
export function segmentText(config: OrganismsConfig, language: Language, segment: number): string {
	const segments = segmentCount(config);
	const { sayings, myths } = config.mechanisms;
	return writeCorpusPart(
		language.world,
		language.roles,
		{
			tokens: segmentShare(config.corpus.tokens, segment, segments),
			sayingRepeats: (i) => segmentShare(repeatsOf(sayings.repeats, i, sayings.items), segment, segments),
			mythRepeats: (i) => segmentShare(repeatsOf(myths.repeats, i, myths.items), segment, segments),
			negationRate: config.mechanisms.negation.rate,
			questionShare: config.corpus.question_share,
		},
		config.seed + 1000 + segment,
	);
}

/** Text from the same generator that no model trains on: stories and question pages, no exceptions. */
export function heldOutText(config: OrganismsConfig, language: Language): string {
	return writeCorpusPart(
		language.world,
		language.roles,
		{
			tokens: config.corpus.held_out_tokens,
			sayingRepeats: () => 0,
			mythRepeats: () => 0,
			negationRate: config.mechanisms.negation.rate,
			questionShare: config.corpus.question_share,
		},
		config.seed + 999,
	);
}
