/**
 * @module The import graph of a TypeScript project as the compiler resolves it (`tsc --explainFiles`:
 * static, type-only and dynamic imports and re-exports), and the import cycles in it.
 */
import { spawnSync } from "node:child_process";
import { relative, resolve } from "node:path";
import { repoRoot } from "./cli.js";

/** File → the files it imports, paths relative to the project folder, both ends under `under`. */
export type ImportGraph = Map<string, Set<string>>;

const tsc = resolve(repoRoot, "node_modules", "typescript", "bin", "tsc");

/**
 * Asks tsc which file imports which in the project of `tsconfig` (type errors do not matter here),
 * keeping the edges between files inside the folder `under` (relative to the tsconfig's folder).
 */
export function importGraph(tsconfig: string, under = "src"): ImportGraph {
	const folder = resolve(tsconfig, "..");
	const run = spawnSync(process.execPath, [tsc, "-p", tsconfig, "--noEmit", "--explainFiles"], {
		cwd: folder,
		encoding: "utf8",
		maxBuffer: 64 * 1024 * 1024,
	});
	if (run.error) throw run.error;
	const inside = (file: string) => {
		const path = relative(folder, resolve(folder, file));
		return path === under || path.startsWith(`${under}/`) ? path : undefined;
	};
	const graph: ImportGraph = new Map();
	let current: string | undefined;
	let files = 0;
	for (const line of run.stdout.split("\n")) {
		if (line.length > 0 && !/^\s/.test(line)) {
			// A file line starts a block; its indented lines say why it is in the program.
			current = inside(line.trim());
			if (current) {
				files++;
				if (!graph.has(current)) graph.set(current, new Set());
			}
			continue;
		}
		const via = /^\s+Imported via .* from file '([^']+)'/.exec(line);
		const from = via && inside(via[1]);
		if (current && from) {
			if (!graph.has(from)) graph.set(from, new Set());
			graph.get(from)!.add(current);
		}
	}
	if (files === 0) {
		throw new Error(
			`tsc -p ${tsconfig} --explainFiles listed no file under ${under}/:\n${run.stdout}${run.stderr}`,
		);
	}
	return graph;
}

/**
 * Every import cycle, one per strongly connected component (Tarjan), each written as a path that
 * starts at the component's first file in name order and comes back to it: [a, b, a].
 */
export function importCycles(graph: ImportGraph): string[][] {
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const components: string[][] = [];
	const visit = (file: string) => {
		index.set(file, index.size);
		low.set(file, index.get(file)!);
		stack.push(file);
		onStack.add(file);
		for (const next of graph.get(file) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(file, Math.min(low.get(file)!, low.get(next)!));
			} else if (onStack.has(next)) {
				low.set(file, Math.min(low.get(file)!, index.get(next)!));
			}
		}
		if (low.get(file) === index.get(file)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== file);
			const selfImport = graph.get(file)?.has(file) ?? false;
			if (component.length > 1 || selfImport) components.push(component.sort());
		}
	};
	for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
	return components
		.sort((a, b) => a[0].localeCompare(b[0]))
		.map((component) => cycleThrough(graph, component));
}

/** The shortest path from the component's first file back to itself, inside the component. */
function cycleThrough(graph: ImportGraph, component: string[]): string[] {
	const members = new Set(component);
	const start = component[0];
	const previous = new Map<string, string>();
	const queue = [start];
	while (queue.length > 0) {
		const file = queue.shift()!;
		for (const next of [...(graph.get(file) ?? [])].sort()) {
			if (!members.has(next)) continue;
			if (next === start) {
				const path = [file];
				while (path[0] !== start) path.unshift(previous.get(path[0])!);
				return [...path, start];
			}
			if (!previous.has(next)) {
				previous.set(next, file);
				queue.push(next);
			}
		}
	}
	return [...component, start];
}

/** Every file reachable from `entries` by imports. */
export function reachable(graph: ImportGraph, entries: string[]): Set<string> {
	const seen = new Set<string>();
	const pending = [...entries];
	while (pending.length > 0) {
		const file = pending.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		pending.push(...(graph.get(file) ?? []));
	}
	return seen;
}
