/** @module Reads and checks an organisms config file; every problem names the file and the field. */
import { readFileSync } from "node:fs";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { type OrganismsConfig, organismsConfigSchema } from "./config.js";

export class OrganismsConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "OrganismsConfigError";
	}
}

export function loadOrganismsConfig(path: string): { config: OrganismsConfig; text: string } {
	let text: string;
	try {
		text = readFileSync(path, "utf8");
	} catch (error) {
		throw new OrganismsConfigError(`cannot read ${path}: ${(error as Error).message}`);
	}
	let data: unknown;
	try {
		data = parseYaml(text);
	} catch (error) {
		const at = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
		throw new OrganismsConfigError(
			`${path}${at ? `:${at.line}:${at.col}` : ""}: not valid YAML: ${(error as Error).message.split("\n")[0]}`,
		);
	}
	const parsed = organismsConfigSchema.safeParse(data);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((issue) => {
			const field = issue.path.join(".") || "(top level)";
			const message =
				issue.code === "unrecognized_keys"
					? `unknown ${issue.path.at(-1) === "mechanisms" ? "mechanism" : "field"}${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}${issue.path.at(-1) === "mechanisms" ? " (known: sayings, myths, negation)" : ""}`
					: issue.message;
			return `  - ${field}: ${message}`;
		});
		throw new OrganismsConfigError(`${path}: invalid organisms config:\n${lines.join("\n")}`);
	}
	return { config: parsed.data, text };
}
