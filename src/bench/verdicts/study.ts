/**
 * @module The verdict calibration study: null ladders (no trend, pure noise, and two diagnostics),
 * known slopes (power), known shapes (U and inverted U), Benjamini–Hochberg across tasks, and
 * degenerate data, each as seeded cells of simulated runs through `analyzeRun`.
 */
import { DEFAULT_LEVEL } from "../../analysis/bootstrap.js";
import { benjaminiHochberg } from "../../analysis/multiple.js";
import type { VerdictKind } from "../../analysis/trend.js";
import { type CellCounts, type CellJob, wilson } from "./cells.js";
import { degenerateCases } from "./degenerate.js";
import { defaultSpec, type LadderSpec, SIM_AXES, type SimAxis, type SimMetric } from "./ladders.js";
import { runCells } from "./pool.js";

/** Replication counts: what the bench runs (`full`) and a quick version (`quick`, for trying changes). */
export interface StudySize {
	/** Bootstrap replicates per simulated run (the report's default is 10,000; the verdict's interval needs far fewer). */
	replicates: number;
	nullRuns: number;
	powerRuns: number;
	shapeRuns: number;
	bhTrials: number;
	bhNullTasks: number;
	bhTrueTasks: number;
}

export const FULL: StudySize = {
	replicates: 400,
	nullRuns: 200,
	powerRuns: 100,
	shapeRuns: 100,
	bhTrials: 20,
	bhNullTasks: 40,
	bhTrueTasks: 10,
};

export const QUICK: StudySize = {
	replicates: 200,
	nullRuns: 40,
	powerRuns: 30,
	shapeRuns: 30,
	bhTrials: 5,
	bhNullTasks: 20,
	bhTrueTasks: 5,
};

export const METRICS: readonly SimMetric[] = ["correct", "loss"];
export const MODEL_COUNTS = [4, 6, 8, 12] as const;
export const EXAMPLE_COUNTS = [50, 300, 1000] as const;
/** Total change from the first to the last condition (accuracy, or nats of loss). */
export const EFFECTS: Record<SimMetric, readonly number[]> = {
	correct: [0.02, 0.04, 0.08, 0.16, 0.32],
	loss: [0.02, 0.04, 0.08, 0.16, 0.32],
};
/** Depth of the U shapes at the middle of the ladder. */
export const SHAPE_DEPTH: Record<SimMetric, number> = { correct: 0.04, loss: 0.08 };
/** Total change of the true tasks in the false discovery study (accuracy). */
export const BH_EFFECT = 0.12;

export type NullKind = "no trend" | "pure noise" | "model scatter" | "near ceiling";

export interface NullCell {
	kind: NullKind;
	metric: SimMetric;
	models: number;
	examples: number;
	axis: SimAxis;
	runs: number;
	verdicts: Record<VerdictKind, number>;
	inverse: { rate: number; interval: [number, number] };
	/** A direction or a shape claimed: inverse, positive, U or inverted U. */
	anyClaim: { rate: number; interval: [number, number] };
	/** Whether "inverse" is within α: its interval's lower end is at most α. */
	withinAlpha: boolean;
	/** The total change (first to last condition) this design detects 80% of the time, from its runs' power lines. */
	detectable80: number;
	/** Not a target: a diagnostic of what the verdict claims (see the guide). */
	target: boolean;
}

export interface PowerCell {
	metric: SimMetric;
	models: number;
	examples: number;
	axis: SimAxis;
	runs: number;
	effects: { effect: number; power: number; predicted: number | null }[];
	/** Total change at which the simulated power reaches 80% (log-linear between effects); null when out of range. */
	effect80: number | null;
}

export interface ShapeCell {
	metric: SimMetric;
	shape: "u" | "inverted-u";
	depth: number;
	models: number;
	examples: number;
	runs: number;
	right: number;
	monotone: number;
	other: number;
}

export interface StudyResult {
	alpha: number;
	size: StudySize;
	nulls: NullCell[];
	power: PowerCell[];
	shapes: ShapeCell[];
	bh: {
		trials: number;
		nullTasks: number;
		trueTasks: number;
		effect: number;
		q: number;
		meanFdp: number;
		maxFdp: number;
		meanDiscoveries: number;
		truePower: number;
	};
	degenerate: ReturnType<typeof degenerateCases>;
	seconds: number;
}

const claims: VerdictKind[] = ["inverse", "positive", "u-shaped", "inverted-u"];

function nullSpec(
	kind: NullKind,
	metric: SimMetric,
	models: number,
	examples: number,
	axis: SimAxis,
): LadderSpec {
	const spec = defaultSpec(metric, models, examples, axis);
	if (kind === "pure noise") return { ...spec, shared: 0, level: metric === "correct" ? 0.5 : spec.level };
	if (kind === "model scatter") return { ...spec, scatter: metric === "correct" ? 0.02 : 0.04 };
	if (kind === "near ceiling") return { ...spec, level: 0.97 };
	return spec;
}

/** Log-linear interpolation of the effect at which power crosses `target`. */
export function effectAt(points: { effect: number; power: number }[], target = 0.8): number | null {
	for (let i = 1; i < points.length; i++) {
		const a = points[i - 1];
		const b = points[i];
		if (a.power < target && b.power >= target) {
			const f = (target - a.power) / (b.power - a.power);
			return Math.exp(Math.log(a.effect) + f * (Math.log(b.effect) - Math.log(a.effect)));
		}
	}
	return null;
}

export async function runStudy(size: StudySize, workers: number, seed = 20_221_007): Promise<StudyResult> {
	const t0 = performance.now();
	const alpha = Number((1 - DEFAULT_LEVEL).toFixed(6));
	// Each cell its own seed, in the order cells are made, so adding a cell at the end changes no other.
	let cells = 0;
	const job = (spec: LadderSpec, runs: number): CellJob => {
		cells++;
		return { spec, runs, seed: (seed + cells * 1_000_003) >>> 0, replicates: size.replicates };
	};

	// Null ladders: the full grid without a trend; pure noise on the parameter axis; two diagnostics.
	const nullDesigns: {
		kind: NullKind;
		metric: SimMetric;
		models: number;
		examples: number;
		axis: SimAxis;
		target: boolean;
	}[] = [];
	for (const metric of METRICS)
		for (const axis of SIM_AXES)
			for (const models of MODEL_COUNTS)
				for (const examples of EXAMPLE_COUNTS)
					nullDesigns.push({ kind: "no trend", metric, models, examples, axis, target: true });
	for (const metric of METRICS)
		for (const models of MODEL_COUNTS)
			for (const examples of EXAMPLE_COUNTS)
				nullDesigns.push({ kind: "pure noise", metric, models, examples, axis: "params", target: true });
	for (const examples of EXAMPLE_COUNTS) {
		nullDesigns.push({
			kind: "near ceiling",
			metric: "correct",
			models: 6,
			examples,
			axis: "params",
			target: true,
		});
		for (const metric of METRICS)
			nullDesigns.push({ kind: "model scatter", metric, models: 6, examples, axis: "params", target: false });
	}
	const nullJobs = nullDesigns.map((d) =>
		job(nullSpec(d.kind, d.metric, d.models, d.examples, d.axis), size.nullRuns),
	);

	// Known slopes on the parameter axis.
	const powerDesigns: { metric: SimMetric; models: number; examples: number }[] = [];
	for (const metric of METRICS)
		for (const models of MODEL_COUNTS)
			for (const examples of EXAMPLE_COUNTS) powerDesigns.push({ metric, models, examples });
	const powerJobs = powerDesigns.flatMap((d) =>
		EFFECTS[d.metric].map((effect) =>
			job(defaultSpec(d.metric, d.models, d.examples, "params", "linear", effect), size.powerRuns),
		),
	);

	// Known shapes.
	const shapeDesigns: { metric: SimMetric; shape: "u" | "inverted-u"; models: number; examples: number }[] =
		[];
	for (const metric of METRICS)
		for (const shape of ["u", "inverted-u"] as const)
			for (const models of [6, 8, 12])
				for (const examples of [300, 1000]) shapeDesigns.push({ metric, shape, models, examples });
	const shapeJobs = shapeDesigns.map((d) =>
		job(
			defaultSpec(d.metric, d.models, d.examples, "params", d.shape, SHAPE_DEPTH[d.metric]),
			size.shapeRuns,
		),
	);

	// Across tasks: many null and some inverse tasks of one design.
	const bhNull = job(defaultSpec("correct", 6, 300, "params"), size.bhTrials * size.bhNullTasks);
	const bhTrue = job(
		defaultSpec("correct", 6, 300, "params", "linear", BH_EFFECT),
		size.bhTrials * size.bhTrueTasks,
	);

	const all = [...nullJobs, ...powerJobs, ...shapeJobs, bhNull, bhTrue];
	const results = await runCells(all, workers);
	let k = 0;
	const take = (n: number) => {
		k += n;
		return results.slice(k - n, k);
	};
	const nullResults = take(nullJobs.length);
	const powerResults = take(powerJobs.length);
	const shapeResults = take(shapeJobs.length);
	const [bhNullResult, bhTrueResult] = take(2);

	const rate = (c: CellCounts, kinds: VerdictKind[]) => {
		const hits = kinds.reduce((s, v) => s + c.verdicts[v], 0);
		return { rate: hits / c.runs, interval: wilson(hits, c.runs) };
	};
	const nulls: NullCell[] = nullDesigns.map((d, i) => {
		const c = nullResults[i];
		const inverse = rate(c, ["inverse"]);
		return {
			...d,
			runs: c.runs,
			verdicts: c.verdicts,
			inverse,
			anyClaim: rate(c, claims),
			withinAlpha: inverse.interval[0] <= alpha,
			detectable80: c.meanDetectable80,
		};
	});

	const perDesign = EFFECTS.correct.length;
	const power: PowerCell[] = powerDesigns.map((d, i) => {
		const cells = powerResults.slice(i * perDesign, (i + 1) * perDesign);
		const effects = EFFECTS[d.metric].map((effect, j) => ({
			effect,
			power: cells[j].verdicts.inverse / cells[j].runs,
			predicted: cells[j].meanPredictedPower,
		}));
		return { ...d, axis: "params", runs: size.powerRuns, effects, effect80: effectAt(effects) };
	});

	const shapes: ShapeCell[] = shapeDesigns.map((d, i) => {
		const c = shapeResults[i];
		const right = c.verdicts[d.shape === "u" ? "u-shaped" : "inverted-u"];
		const monotone = c.verdicts.inverse + c.verdicts.positive;
		return {
			...d,
			depth: SHAPE_DEPTH[d.metric],
			runs: c.runs,
			right,
			monotone,
			other: c.runs - right - monotone,
		};
	});

	// BH at q = α within each trial; a discovery on a true task counts only in the inverse direction (accuracy falls).
	const fdps: number[] = [];
	let discoveries = 0;
	let trueFound = 0;
	for (let trial = 0; trial < size.bhTrials; trial++) {
		const nullP = bhNullResult.p.slice(trial * size.bhNullTasks, (trial + 1) * size.bhNullTasks);
		const trueP = bhTrueResult.p.slice(trial * size.bhTrueTasks, (trial + 1) * size.bhTrueTasks);
		const trueSlopes = bhTrueResult.slopes.slice(trial * size.bhTrueTasks, (trial + 1) * size.bhTrueTasks);
		const q = benjaminiHochberg([...nullP, ...trueP]);
		const found = q.map((v) => Number.isFinite(v) && v <= alpha);
		let falseFound = 0;
		let all = 0;
		found.forEach((f, j) => {
			if (!f) return;
			all++;
			const isTrue = j >= nullP.length && trueSlopes[j - nullP.length] < 0;
			if (isTrue) trueFound++;
			else falseFound++;
		});
		discoveries += all;
		fdps.push(all > 0 ? falseFound / all : 0);
	}
	return {
		alpha,
		size,
		nulls,
		power,
		shapes,
		bh: {
			trials: size.bhTrials,
			nullTasks: size.bhNullTasks,
			trueTasks: size.bhTrueTasks,
			effect: BH_EFFECT,
			q: alpha,
			meanFdp: fdps.reduce((a, b) => a + b, 0) / fdps.length,
			maxFdp: Math.max(...fdps),
			meanDiscoveries: discoveries / size.bhTrials,
			truePower: trueFound / (size.bhTrials * size.bhTrueTasks),
		},
		degenerate: degenerateCases(),
		seconds: (performance.now() - t0) / 1000,
	};
}
