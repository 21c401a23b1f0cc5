/**
 * @module The commands a guide shows: every command line of its ```sh, ```bash and ```console
 * blocks, with the guide's line, and for a console block the output printed under it.
 */
import { readFileSync } from "node:fs";

export interface DocCommand {
	/** The guide, relative to the repository root (`README.md`, `docs/eval.md`). */
	guide: string;
	/** 1-based line of the command in the guide. */
	line: number;
	/** The command as written (continuation lines and here-documents joined, the `$ ` prompt removed). */
	command: string;
	/** The output a console block shows under the command (empty for sh blocks). */
	output: string[];
	kind: "sh" | "console";
}

const SHELL_BLOCKS = new Set(["sh", "bash", "shell", "console"]);

/** Every command in the guide's shell and console blocks, in order. */
export function commandsOf(guide: string, text = readFileSync(guide, "utf8")): DocCommand[] {
	const lines = text.split("\n");
	const out: DocCommand[] = [];
	let i = 0;
	while (i < lines.length) {
		const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
		i++;
		if (!open) continue;
		const indent = open[1].length;
		const body: Array<{ text: string; line: number }> = [];
		while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) {
			body.push({ text: lines[i].slice(indent), line: i + 1 });
			i++;
		}
		i++;
		if (!SHELL_BLOCKS.has(open[2])) continue;
		if (open[2] === "console") out.push(...consoleCommands(guide, body));
		else out.push(...shellCommands(guide, body));
	}
	return out;
}

function consoleCommands(guide: string, body: Array<{ text: string; line: number }>): DocCommand[] {
	const out: DocCommand[] = [];
	for (const { text, line } of body) {
		if (text.startsWith("$ ")) out.push({ guide, line, command: text.slice(2), output: [], kind: "console" });
		else if (out.length > 0) out.at(-1)!.output.push(text);
	}
	for (const c of out) while (c.output.length > 0 && c.output.at(-1)!.trim() === "") c.output.pop();
	return out;
}

function shellCommands(guide: string, body: Array<{ text: string; line: number }>): DocCommand[] {
	const out: DocCommand[] = [];
	let k = 0;
	while (k < body.length) {
		const { text, line } = body[k];
		k++;
		if (text.trim() === "" || text.trim().startsWith("#")) continue;
		let command = text.trim();
		// A trailing backslash continues the command on the next line.
		while (command.endsWith("\\") && k < body.length)
			command = `${command.slice(0, -1).trimEnd()} ${body[k++].text.trim()}`;
		// A here-document runs to its delimiter line.
		const here = /<<-?\s*'?"?(\w+)'?"?/.exec(command);
		if (here) {
			const lines = [command];
			while (k < body.length) {
				lines.push(body[k].text);
				if (body[k++].text.trim() === here[1]) break;
			}
			command = lines.join("\n");
		}
		out.push({ guide, line, command, output: [], kind: "sh" });
	}
	return out;
}

/** The command without a trailing `# comment` and with runs of spaces made one: the key of the table. */
export function commandKey(command: string): string {
	const first = command.split("\n")[0];
	const rest = command.includes("\n") ? command.slice(first.length) : "";
	return `${first
		.replace(/\s+#\s.*$/, "")
		.replace(/\s+/g, " ")
		.trim()}${rest}`;
}

/**
 * The lines of documented output that carry no number: headings, column names, labels and fixed
 * messages. A run must print each of them as a line of its own (spacing aside).
 */
export function headingsOf(output: string[]): string[] {
	return output
		.map((l) => l.replace(/\s+/g, " ").trim())
		.filter((l) => l !== "" && l !== "…" && !/[0-9]/.test(l) && !/^[─━\s-]+$/.test(l));
}
