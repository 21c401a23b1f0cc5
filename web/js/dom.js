/** @module Small DOM and number helpers shared by the views. */

/** Creates an element: el("p", { class: "x", onclick }, "text", child…). Text is always text, never HTML. */
export function el(tag, attrs = {}, ...children) {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs)) {
		if (value === undefined || value === null || value === false) continue;
		if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
		else if (key === "dataset") Object.assign(node.dataset, value);
		else node.setAttribute(key, value === true ? "" : String(value));
	}
	for (const child of children.flat()) {
		if (child === undefined || child === null || child === false) continue;
		node.append(child instanceof Node ? child : String(child));
	}
	return node;
}

/** A table with one header row (strings become th cells; null, undefined and false are skipped) and the given body rows. */
export function table(attrs, headers, rows) {
	const cells = headers.flat().filter((h) => h !== null && h !== undefined && h !== false);
	return el(
		"table",
		attrs,
		el(
			"thead",
			{},
			el(
				"tr",
				{},
				cells.map((h) => (h instanceof Node ? h : el("th", {}, h))),
			),
		),
		el("tbody", {}, rows),
	);
}

/** A readable number: 3 significant digits, exponent form for very small or large values. */
export function num(v, digits = 3) {
	if (v === null || v === undefined || Number.isNaN(v)) return "—";
	if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
	if (v === 0) return "0";
	const a = Math.abs(v);
	if (a < 0.001 || a >= 1e6) {
		const [mantissa, exponent] = v.toExponential(1).split("e");
		const sup = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
		return `${mantissa} × 10${[...exponent.replace("+", "")].map((c) => sup[c]).join("")}`;
	}
	return String(Number(v.toPrecision(digits)));
}

export function percent(v, decimals = 0) {
	if (v === null || v === undefined || Number.isNaN(v)) return "—";
	return `${(v * 100).toFixed(decimals)}%`;
}

/** Model sizes as papers write them: 42K, 160M, 1.4B. */
export function size(v) {
	if (v === null || v === undefined) return "unknown";
	for (const [unit, suffix] of [
		[1e12, "T"],
		[1e9, "B"],
		[1e6, "M"],
		[1e3, "K"],
	]) {
		if (v >= unit) return `${Number((v / unit).toPrecision(v / unit >= 100 ? 3 : 2))}${suffix}`;
	}
	return String(v);
}

export function bytes(v) {
	if (v === null || v === undefined) return "";
	// Binary units, as the server states its upload limit.
	const mb = 1024 * 1024;
	if (v >= 1024 * mb) return `${Number((v / (1024 * mb)).toFixed(1))} GB`;
	if (v >= mb) return `${Number((v / mb).toFixed(1))} MB`;
	if (v >= 1024) return `${Math.round(v / 1024)} KB`;
	return `${v} B`;
}

export function when(iso) {
	if (!iso) return "";
	const d = new Date(iso);
	return d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** Shows an error (message and hint) in the page's notice area. */
export function showError(error) {
	const box = document.getElementById("notice");
	fill(
		box,
		el("strong", {}, error.message ?? String(error)),
		error.hint ? el("span", { class: "hint" }, error.hint) : null,
	);
	box.hidden = false;
	box.scrollIntoView({ block: "nearest" });
}

export function clearError() {
	document.getElementById("notice").hidden = true;
}

export const statusWords = {
	queued: "Waiting",
	running: "Running",
	complete: "Complete",
	partial: "Partly done",
	failed: "Failed",
	cancelled: "Cancelled",
	interrupted: "Interrupted",
};

/** Replaces a node's children, skipping null, undefined and false (replaceChildren would print them). */
export function fill(node, ...children) {
	node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
	return node;
}
