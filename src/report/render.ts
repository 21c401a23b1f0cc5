/** @module Renders a Vega-Lite spec to SVG (vega's headless View) and SVG to PNG (resvg with system fonts). */
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
	// Vega-Lite's warnings (e.g. dropped scale options) are about the spec, not the user's data.
	const quiet = {
		level: () => quiet,
		error: () => quiet,
		warn: () => quiet,
		info: () => quiet,
		debug: () => quiet,
	};
	// biome-ignore lint/suspicious/noExplicitAny: vega-lite's logger type is vega-util's LoggerInterface.
	const vgSpec = compile(spec as unknown as TopLevelSpec, { logger: quiet as any }).spec;
	const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
	try {
		return await view.toSVG();
	} finally {
		view.finalize();
	}
}

/** PNG at `scale`× the SVG size; text uses the system's fonts (Debian: Liberation, DejaVu). */
export function svgToPng(svg: string, scale = 2): Buffer {
	const resvg = new Resvg(svg, {
		fitTo: { mode: "zoom", value: scale },
		background: "white",
		font: { loadSystemFonts: true, defaultFontFamily: "Liberation Sans", sansSerifFamily: "Liberation Sans" },
	});
	return resvg.render().asPng();
}
