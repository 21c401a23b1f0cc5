/**
 * @module Turns task examples into backend requests for one model: tokenizes each joined
 * `prompt + class`, finds the boundary, groups classes that share a context (so each prompt is
 * evaluated once), and checks the context window before anything is scored.
 */
import type { Backend, ContinuationRequest, NextTokenRequest, Token, TokenSeq } from "../backends/types.js";
import type { BoundaryMode, TruncateMode } from "../run/manifest.js";
import type { Example } from "../tasks/types.js";
import { codePointLength, sliceCodePoints } from "../util/codepoints.js";
import { findBoundary } from "./boundary.js";

export interface PlanOptions {
	boundary: BoundaryMode;
	truncate: TruncateMode;
	/** Tokens the backend can hold: BOS + context + continuation must fit. */
	contextLength: number;
}

/** Where one scored item (a class, a completion, a logodds candidate) sits among the requests. */
export type Slot = readonly [request: number, item: number];

export type ExamplePlan =
	| {
			kind: "continuations";
			index: number;
			requests: ContinuationRequest[];
			/** Per class (or the one completion): its request and continuation. */
			slots: Slot[];
			truncated: boolean;
			straddled: boolean;
	  }
	| {
			kind: "next-token";
			index: number;
			requests: NextTokenRequest[];
			/** [c0 | prompt, c1 | prompt, c0 | other_prompt, c1 | other_prompt]. */
			slots: Slot[];
			truncated: boolean;
			straddled: boolean;
			/** Some class had several tokens; as the prize, only its last token is read. */
			multiToken: boolean;
	  };

export interface PlanProblem {
	index: number;
	line: number;
	kind: "straddle" | "overflow" | "empty";
	message: string;
}

export type PlanResult = { kind: "ok"; plan: ExamplePlan } | { kind: "problem"; problem: PlanProblem };

interface Split {
	context: TokenSeq;
	continuation: TokenSeq;
	straddled: boolean;
	truncated: boolean;
	/** Leading context tokens that cover exactly the shared prefix, when a token boundary falls there. */
	sharedTokens?: number;
}

/** Tokenizes `prompt + tail` and splits it at the join. */
async function split(
	backend: Backend,
	example: Example,
	prompt: string,
	tail: string,
	options: PlanOptions,
	sharedPrefix: number,
): Promise<{ kind: "ok"; split: Split } | { kind: "problem"; problem: PlanProblem }> {
	const text = prompt + tail;
	const tokens: Token[] = await backend.tokenize(text);
	const join = codePointLength(prompt);
	const found = findBoundary(tokens, join, options.boundary);
	const problem = (kind: PlanProblem["kind"], message: string) =>
		({ kind: "problem", problem: { index: example.index, line: example.line, kind, message } }) as const;
	if (found.kind === "empty")
		return problem("empty", `${JSON.stringify(tail)} produced no tokens after the prompt`);
	if (found.kind === "straddle") {
		const piece = sliceCodePoints(text, found.token.start, found.token.end);
		return problem(
			"straddle",
			`token ${JSON.stringify(piece)} crosses the join between prompt and ${JSON.stringify(tail)}`,
		);
	}
	let contextTokens = tokens.slice(0, found.index);
	const continuationTokens = tokens.slice(found.index);
	const bos = backend.info.addsBos ? 1 : 0;
	const overflow = bos + contextTokens.length + continuationTokens.length - options.contextLength;
	let truncated = false;
	if (overflow > 0) {
		if (options.truncate !== "left" || overflow >= contextTokens.length) {
			return problem(
				"overflow",
				`needs ${bos + contextTokens.length + continuationTokens.length} tokens; the context window holds ${options.contextLength}`,
			);
		}
		// Drop the start of the prompt, never the end: the class tokens must stay.
		contextTokens = contextTokens.slice(overflow);
		truncated = true;
	}
	const contextStart = contextTokens[0]?.start ?? continuationTokens[0].start;
	const cut = continuationTokens[0].start;
	const sharedTokens = truncated ? undefined : sharedTokenCount(tokens, sharedPrefix, contextTokens.length);
	return {
		kind: "ok",
		split: {
			context: { ids: contextTokens.map((t) => t.id), text: sliceCodePoints(text, contextStart, cut) },
			continuation: { ids: continuationTokens.map((t) => t.id), text: sliceCodePoints(text, cut) },
			straddled: found.straddled,
			truncated,
			...(sharedTokens ? { sharedTokens } : {}),
		},
	};
}

/**
 * Tokens of the joint tokenization that cover exactly the first `chars` code points, when a token
 * starts there (no token crosses that point) and they all lie in the context; else none.
 */
function sharedTokenCount(tokens: Token[], chars: number, contextTokens: number): number | undefined {
	if (chars <= 0) return undefined;
	const found = findBoundary(tokens, chars, "strict");
	if (found.kind !== "ok" || found.index === 0 || found.index > contextTokens) return undefined;
	return found.index;
}

function sameIds(a: number[], b: number[]): boolean {
	return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Finds or adds the request whose context matches, returning its position. */
function requestFor<T extends { context: TokenSeq }>(
	requests: T[],
	context: TokenSeq,
	make: () => T,
): number {
	const found = requests.findIndex((r) => sameIds(r.context.ids, context.ids));
	if (found >= 0) return found;
	requests.push(make());
	return requests.length - 1;
}

/**
 * Plans one example. `sharedPrefix`: code points at the start of its prompts that other rows
 * repeat (a few-shot block); the requests then say how many of their tokens that is.
 */
export async function planExample(
	backend: Backend,
	example: Example,
	options: PlanOptions,
	sharedPrefix = 0,
): Promise<PlanResult> {
	if (example.kind === "logodds") {
		const requests: NextTokenRequest[] = [];
		const slots: Slot[] = [];
		let truncated = false;
		let straddled = false;
		let multiToken = false;
		for (const prompt of [example.prompt, example.otherPrompt]) {
			for (const cls of example.classes) {
				const result = await split(backend, example, prompt, cls, options, sharedPrefix);
				if (result.kind === "problem") return result;
				const { context, continuation, sharedTokens } = result.split;
				truncated ||= result.split.truncated;
				straddled ||= result.split.straddled;
				multiToken ||= continuation.ids.length > 1;
				const r = requestFor(requests, context, () => ({
					context,
					candidates: [],
					...(sharedTokens ? { sharedPrefixTokens: sharedTokens } : {}),
				}));
				requests[r].candidates.push(continuation.ids[continuation.ids.length - 1]);
				slots.push([r, requests[r].candidates.length - 1]);
			}
		}
		return {
			kind: "ok",
			plan: { kind: "next-token", index: example.index, requests, slots, truncated, straddled, multiToken },
		};
	}
	if (example.kind === "exact_answer")
		throw new Error("an exact_answer task has no texts to score: it is evaluated by generation");
	const tails = example.kind === "classification" ? example.classes : [example.completion];
	const requests: ContinuationRequest[] = [];
	const slots: Slot[] = [];
	let truncated = false;
	let straddled = false;
	for (const tail of tails) {
		const result = await split(backend, example, example.prompt, tail, options, sharedPrefix);
		if (result.kind === "problem") return result;
		const { context, continuation, sharedTokens } = result.split;
		truncated ||= result.split.truncated;
		straddled ||= result.split.straddled;
		const r = requestFor(requests, context, () => ({
			context,
			continuations: [],
			...(sharedTokens ? { sharedPrefixTokens: sharedTokens } : {}),
		}));
		requests[r].continuations.push(continuation);
		slots.push([r, requests[r].continuations.length - 1]);
	}
	return {
		kind: "ok",
		plan: { kind: "continuations", index: example.index, requests, slots, truncated, straddled },
	};
}
