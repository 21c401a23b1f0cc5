/**
 * @module The organisms config (`organisms/config.yaml`): the world, the mechanisms and their
 * strengths, the corpus, the model sizes and the training schedule. Everything a ladder is made
 * from is named here, and checked before any training starts.
 */
import { z } from "zod";

const positiveInt = z.number().int().positive();
const share = z.number().min(0).max(1);

const sizeSchema = z.strictObject({
	name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: "lower-case letters, digits, '.', '_', '-'" }),
	dim: positiveInt,
	layers: positiveInt,
	heads: positiveInt,
	ffn: positiveInt,
});

/** The mechanisms the generator knows; any other key is refused (strict object). */
const mechanismsSchema = z.strictObject({
	/** Strong prior: fixed sayings whose ending breaks the rule, each repeated verbatim. */
	sayings: z.strictObject({
		items: z.number().int().min(0),
		/** Total repeats over training; items are split evenly among these groups. */
		repeats: z.array(z.number().int().min(0)).min(1),
	}),
	/** Unwanted imitation: question pages repeat a popular false answer about these creatures. */
	myths: z.strictObject({
		items: z.number().int().min(0),
		repeats: z.array(z.number().int().min(0)).min(1),
	}),
	/** Distractor task: share of story sentences that say what a creature never says. */
	negation: z.strictObject({ rate: share }),
});

export const organismsConfigSchema = z
	.strictObject({
		seed: z.number().int().min(0),
		world: z.strictObject({
			given_names: positiveInt,
			family_names: positiveInt,
			creatures: positiveInt,
		}),
		mechanisms: mechanismsSchema,
		corpus: z.strictObject({
			/** Training tokens each model sees (the same text for every size). */
			tokens: positiveInt,
			question_share: share,
			held_out_tokens: positiveInt,
		}),
		training: z.strictObject({
			/** Sequence length of training and of the models' context window. */
			context: z.number().int().min(16),
			/** Tokens per optimiser step (llama.cpp's micro-batch); divides `context`. */
			batch: z.number().int().min(8),
			/** One learning rate per segment; a checkpoint is written at the end of each segment. */
			learning_rates: z.array(z.number().positive().max(1)).min(1),
			weight_decay: z.number().min(0).max(1),
			/** CPU threads for llama.cpp (results are reproducible for a fixed count). */
			threads: positiveInt,
		}),
		sizes: z.array(sizeSchema).min(1),
		tasks: z.strictObject({ plain_per_task: positiveInt }),
	})
	.superRefine((config, ctx) => {
		config.sizes.forEach((size, i) => {
			if (size.dim % size.heads !== 0 || (size.dim / size.heads) % 2 !== 0) {
				ctx.addIssue({
					code: "custom",
					path: ["sizes", i, "heads"],
					message: `${size.heads} heads cannot split dim ${size.dim} into even head widths (dim / heads must be a whole, even number)`,
				});
			}
		});
		const names = config.sizes.map((s) => s.name);
		names.forEach((name, i) => {
			if (names.indexOf(name) !== i)
				ctx.addIssue({ code: "custom", path: ["sizes", i, "name"], message: `"${name}" is used twice` });
		});
		if (config.training.context % config.training.batch !== 0) {
			ctx.addIssue({
				code: "custom",
				path: ["training", "batch"],
				message: `${config.training.batch} does not divide the context of ${config.training.context}`,
			});
		}
		const { sayings, myths } = config.mechanisms;
		if (sayings.items + myths.items >= config.world.creatures) {
			ctx.addIssue({
				code: "custom",
				path: ["mechanisms"],
				message: `sayings.items + myths.items (${sayings.items + myths.items}) must leave plain creatures among world.creatures (${config.world.creatures})`,
			});
		}
	});

export type OrganismsConfig = z.infer<typeof organismsConfigSchema>;
export type OrganismSize = OrganismsConfig["sizes"][number];

/** Times the item at `index` of `count` is repeated: the groups of `repeats` take equal shares. */
export function repeatsOf(repeats: readonly number[], index: number, count: number): number {
	return repeats[Math.min(repeats.length - 1, Math.floor((index * repeats.length) / Math.max(1, count)))];
}

/** This segment's share of `total` repeats, so the shares of all segments add up to `total`. */
export function segmentShare(total: number, segment: number, segments: number): number {
	return Math.floor((total * (segment + 1)) / segments) - Math.floor((total * segment) / segments);
}
