/**
 * @module An independent reference for scores: plain node-llama-cpp, one fresh sequence per scored
 * string, no prefix sharing, no batching, f32 KV cache. Tests compare the engine's numbers with it.
 */
import { getLlama, type LlamaContext, type LlamaModel, type Token } from "node-llama-cpp";

export class ReferenceScorer {
	/** One sequence at a time: calls queue behind each other. */
	private queue: Promise<unknown> = Promise.resolve();

	private constructor(
		private readonly model: LlamaModel,
		private readonly context: LlamaContext,
	) {}

	static async open(path: string): Promise<ReferenceScorer> {
		const llama = await getLlama({ gpu: false, build: "never" });
		const model = await llama.loadModel({ modelPath: path });
		const context = await model.createContext({
			contextSize: 512,
			threads: 2,
			flashAttention: false,
			experimentalKvCacheKeyType: "F32",
			experimentalKvCacheValueType: "F32",
		});
		return new ReferenceScorer(model, context);
	}

	tokenize(text: string): number[] {
		return this.model.tokenize(text) as number[];
	}

	/**
	 * Sum of log-probs of the tokens of `prompt + tail` that follow the prompt's own tokens (the
	 * fixtures are written so the prompt's tokens are a prefix of the joint tokens; checked here).
	 */
	continuationLogprob(prompt: string, tail: string): Promise<number> {
		const result = this.queue.then(() => this.score(prompt, tail));
		this.queue = result.catch(() => undefined);
		return result;
	}

	private async score(prompt: string, tail: string): Promise<number> {
		const promptIds = this.tokenize(prompt);
		const joint = this.tokenize(prompt + tail);
		if (!promptIds.every((id, i) => joint[i] === id))
			throw new Error(`fixture tokens differ at the join: ${prompt}|${tail}`);
		const ids = [this.model.tokens.bos!, ...joint];
		const sequence = this.context.getSequence();
		try {
			const out = await sequence.controlledEvaluate(
				// Distributions only where a continuation token is read: the prompt's own are not needed.
				ids.map((id, i) => [
					id as Token,
					i >= promptIds.length ? { generateNext: { probabilities: true } } : {},
				]),
			);
			let total = 0;
			for (let i = promptIds.length; i < joint.length; i++) {
				total += Math.log(out[i]!.next.probabilities!.get(ids[i + 1] as Token)!);
			}
			return total;
		} finally {
			sequence.dispose();
		}
	}

	/**
	 * One fresh forward pass over `ids` (BOS included by the caller): for every position from
	 * `from` on, the most probable next token, its probability, and the probability of the token
	 * that actually follows in `ids`.
	 */
	nextChoices(ids: number[], from: number): Promise<Array<{ best: number; pBest: number; pActual: number }>> {
		const result = this.queue.then(async () => {
			const sequence = this.context.getSequence();
			try {
				const out = await sequence.controlledEvaluate(
					ids.map((id, i) => [id as Token, i >= from - 1 ? { generateNext: { probabilities: true } } : {}]),
				);
				const choices: Array<{ best: number; pBest: number; pActual: number }> = [];
				for (let i = from - 1; i < ids.length - 1; i++) {
					const probabilities = out[i]!.next.probabilities!;
					let best = -1;
					let pBest = -1;
					for (const [token, p] of probabilities) {
						if (p > pBest) {
							best = token as number;
							pBest = p;
						}
					}
					choices.push({ best, pBest, pActual: probabilities.get(ids[i + 1] as Token) ?? 0 });
				}
				return choices;
			} finally {
				sequence.dispose();
			}
		});
		this.queue = result.catch(() => undefined);
		return result;
	}

	/** log p(first token of `tail` | BOS + prompt), for single-token classes. */
	async nextTokenLogprob(prompt: string, tail: string): Promise<number> {
		const joint = this.tokenize(prompt + tail);
		const promptIds = this.tokenize(prompt);
		if (joint.length !== promptIds.length + 1) throw new Error(`fixture class is not one token: ${tail}`);
		return this.continuationLogprob(prompt, tail);
	}

	/**
	 * The prize's log-odds rule for a class of any length: the class's last token (the last token of
	 * `prompt + tail` tokenized as one string), read from the next-token distribution right after
	 * BOS + prompt, as if it were the class's only token.
	 */
	lastTokenLogprob(prompt: string, tail: string): Promise<number> {
		const result = this.queue.then(() => this.scoreLast(prompt, tail));
		this.queue = result.catch(() => undefined);
		return result;
	}

	private async scoreLast(prompt: string, tail: string): Promise<number> {
		const promptIds = this.tokenize(prompt);
		const joint = this.tokenize(prompt + tail);
		if (joint.length <= promptIds.length || !promptIds.every((id, i) => joint[i] === id))
			throw new Error(`fixture tokens differ at the join: ${prompt}|${tail}`);
		const last = joint[joint.length - 1]! as Token;
		const ids = [this.model.tokens.bos!, ...promptIds] as Token[];
		const sequence = this.context.getSequence();
		try {
			const out = await sequence.controlledEvaluate(
				ids.map((id, i) => (i === ids.length - 1 ? [id, { generateNext: { probabilities: true } }] : id)),
			);
			return Math.log(out[ids.length - 1]!.next.probabilities!.get(last)!);
		} finally {
			sequence.dispose();
		}
	}

	async dispose(): Promise<void> {
		await this.context.dispose();
		await this.model.dispose();
	}
}
