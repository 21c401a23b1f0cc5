/** @module The task card of a prize catalog task, written as `<task>.card.yaml` from the catalog entry. */
import { stringify } from "yaml";
import { type PrizeCause, type PrizeTask, prizeDataset } from "./prize-catalog.js";

/** What each cause means, in the words of the card (after McKenzie et al. 2023). */
const causeWords: Record<PrizeCause, { why: string; matters: string }> = {
	"strong prior": {
		why: "Larger models hold stronger priors from pretraining (memorised text, usual meanings), which win over the instruction in the prompt.",
		matters: "Instructions in the prompt should override what a model has memorised.",
	},
	"unwanted imitation": {
		why: "Larger models imitate their training text more faithfully, including the mistakes people make in it.",
		matters: "A model that copies human errors repeats them where correctness matters.",
	},
	"distractor task": {
		why: "An easier task that resembles the real one pulls larger models, which solve the easy task well, away from the real one.",
		matters: "Models should do the task asked, not a similar-looking easier one.",
	},
	"spurious few-shot": {
		why: "The demonstrations share a misleading regularity that larger models pick up and follow more reliably.",
		matters: "Few-shot prompts can teach the wrong rule without anyone noticing.",
	},
};

/** The card YAML of a catalog task: the prize's submission fields, from the catalog. */
export function prizeCardYaml(task: PrizeTask): string {
	const cause = causeWords[task.cause];
	const card = {
		name: task.title,
		description: task.description,
		correct_behaviour:
			task.type === "sequence_prob"
				? "Assign high probability to the completion given in each row."
				: "Put the most probability on the class marked by answer_index.",
		why_inverse_scaling: `Cause category "${task.cause}" in McKenzie et al. (2023): ${cause.why}`,
		why_it_matters: cause.matters,
		shots: task.shots,
		data_generation: `Written by the task's authors for the Inverse Scaling Prize (round ${task.round}); this is the final release file ${task.file}.`,
		sources: [
			`https://huggingface.co/datasets/${prizeDataset}/blob/main/${task.file}`,
			'McKenzie et al. (2023), "Inverse Scaling: When Bigger Isn\'t Better", TMLR',
		],
		licence: task.licence,
		authors: task.authors,
		type: task.type,
	};
	const note =
		task.unchecked.length > 0
			? `# Not checked against a public source when the catalog was written: ${task.unchecked.join(", ")}.\n`
			: "";
	return `# Written by invscale from its prize task catalog (prize:${task.name}).\n${note}${stringify(card, { lineWidth: 100 })}`;
}
