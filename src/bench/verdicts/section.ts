/**
 * @module Bench section `verdicts`: the calibration study of the verdicts (false positives, power,
 * shapes, false discoveries, degenerate data). Prints its tables, writes them to bench/out/verdicts.md
 * and the power plot to docs/img/verdict-power.png. `INVSCALE_BENCH_QUICK=1` runs a small version.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderSvg, svgToPng } from "../../report/render.js";
import type { BenchSection } from "../section.js";
import { powerPlotSpec } from "./figure.js";
import { FULL, QUICK, runStudy } from "./study.js";
import { studyMarkdown } from "./tables.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export const section: BenchSection = {
	name: "verdicts",
	description:
		"calibration of the verdicts on simulated ladders: false positives, power, shapes, BH, degenerate data",
	async run() {
		const quick = process.env.INVSCALE_BENCH_QUICK === "1";
		const workers = Math.max(1, Math.min(2, availableParallelism()));
		const result = await runStudy(quick ? QUICK : FULL, workers);
		const markdown = studyMarkdown(result);
		console.log(markdown.replace(/^/gm, "  "));
		mkdirSync(join(root, "bench", "out"), { recursive: true });
		writeFileSync(join(root, "bench", "out", "verdicts.md"), `${markdown}\n`);
		const svg = await renderSvg(powerPlotSpec(result));
		if (!quick) {
			mkdirSync(join(root, "docs", "img"), { recursive: true });
			writeFileSync(join(root, "docs", "img", "verdict-power.png"), svgToPng(svg));
		}
		const targets = result.nulls.filter((c) => c.target);
		const worst = targets.reduce((a, b) => (b.inverse.rate > a.inverse.rate ? b : a));
		console.log(
			`  ${targets.filter((c) => c.withinAlpha).length} of ${targets.length} null cells within α; highest inverse rate ${(worst.inverse.rate * 100).toFixed(1)}% (${worst.kind}, ${worst.metric}, ${worst.axis}, ${worst.models} models, ${worst.examples} examples); ${result.seconds.toFixed(0)} s on ${workers} worker(s)`,
		);
		return {
			quick,
			workers,
			seconds: Math.round(result.seconds),
			alpha: result.alpha,
			size: result.size,
			nullCellsWithinAlpha: targets.filter((c) => c.withinAlpha).length,
			nullCells: targets.length,
			pooledInverseRate:
				targets.reduce((s, c) => s + c.verdicts.inverse, 0) / targets.reduce((s, c) => s + c.runs, 0),
			pooledDirectionRate:
				targets.reduce((s, c) => s + c.verdicts.inverse + c.verdicts.positive, 0) /
				targets.reduce((s, c) => s + c.runs, 0),
			pooledAnyClaimRate:
				targets.reduce((s, c) => s + c.anyClaim.rate * c.runs, 0) / targets.reduce((s, c) => s + c.runs, 0),
			worstInverse: { ...worst, verdicts: undefined },
			bh: result.bh,
			degenerateAllOk: result.degenerate.every((d) => d.ok),
			power: result.power.map((c) => ({
				metric: c.metric,
				models: c.models,
				examples: c.examples,
				effect80: c.effect80,
				effects: c.effects,
			})),
		};
	},
};
