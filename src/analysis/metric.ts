/**
 * @module What each plotted metric means: its direction (which way is worse), its label, the
 * prize's invert option and the default width of the "flat" equivalence band.
 */
import type { PlottedMetric } from "../tasks/types.js";

export interface MetricInfo {
	metric: PlottedMetric;
	/** +1 when a higher value is worse (loss, log-odds difference), −1 when higher is better (accuracy). */
	worseSign: 1 | -1;
	label: string;
	unit: string;
	/** The prize plots loss on a log axis, accuracy and log-odds on a linear one. */
	logScale: boolean;
}

/**
 * Directions. Loss: higher is worse, so loss rising with size is inverse scaling. Accuracy
 * (`correct`): higher is better, so a falling line is inverse. Log-odds difference: with
 * d = L(prompt) − L(other_prompt), negated when the answer is class 1, d is the log-odds the
 * correct answer loses when `other_prompt` replaces `prompt`; a larger d means the model is
 * moved further away from the answer, so higher is worse and a rising line is inverse
 * (for `absolute_logodds` |d| measures sensitivity to the change, also worse when larger).
 */
export const metricInfo: Record<PlottedMetric, MetricInfo> = {
	loss: { metric: "loss", worseSign: 1, label: "Loss", unit: "nats", logScale: true },
	correct: { metric: "correct", worseSign: -1, label: "Accuracy", unit: "", logScale: false },
	logodds_difference: {
		metric: "logodds_difference",
		worseSign: 1,
		label: "Log-odds difference",
		unit: "nats",
		logScale: false,
	},
};

/**
 * The names people give a metric, mapped to the column it reads: the prize's own column names,
 * its task-type spellings (`classification_acc` plots accuracy) and the everyday words.
 */
const metricNames: Record<string, PlottedMetric> = {
	loss: "loss",
	classification_loss: "loss",
	correct: "correct",
	accuracy: "correct",
	acc: "correct",
	classification_acc: "correct",
	logodds_difference: "logodds_difference",
	logodds: "logodds_difference",
	absolute_logodds: "logodds_difference",
};

/** The metric a user's name refers to (any case), or undefined when it names none. */
export function metricByName(name: string): PlottedMetric | undefined {
	return metricNames[name.trim().toLowerCase()];
}

/** The prize's invert option: loss → −ln(1 − e^(−loss)); accuracy → 1 − correct. Log-odds are not inverted. */
export function invertValue(metric: PlottedMetric, value: number): number {
	if (metric === "loss") return -Math.log(-Math.expm1(-value));
	if (metric === "correct") return 1 - value;
	return value;
}

/**
 * Default half-width of the "flat" band, in metric units per decade of x: one accuracy point;
 * 2% of the ladder's mean loss (at least 0.005 nats); 0.02 nats of log-odds.
 */
export function defaultFlatBand(metric: PlottedMetric, meanOfMeans: number): number {
	if (metric === "correct") return 0.01;
	if (metric === "loss") return Math.max(0.005, 0.02 * Math.abs(meanOfMeans));
	return 0.02;
}
