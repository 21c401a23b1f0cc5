/** @module Draws the server's Vega-Lite specs (the same as report.html) with the vega builds served locally. */

/** Renders `spec` into `container` as SVG; hovering a point shows its numbers. */
export async function drawChart(container, spec) {
	const { vega, vegaLite } = window;
	if (!vega || !vegaLite) {
		container.textContent = "The chart library did not load; reload the page.";
		return;
	}
	const compiled = vegaLite.compile(spec).spec;
	const view = new vega.View(vega.parse(compiled), { renderer: "svg", container, hover: true });
	await view.runAsync();
	return view;
}
