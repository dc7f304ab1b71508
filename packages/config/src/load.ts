// Loads Courier config files in the order an rc script sources them (later files win),
// remembering where each variable was last set so typed readers can name file and line.

import { readFileSync } from "node:fs";
import { ConfigError } from "./errors.js";
import { type ParsedFile, parseShellConfig } from "./shell.js";

export interface Origin {
  file: string;
  line: number;
}

export class LoadedConfig {
  constructor(
    readonly vars: Map<string, string>,
    readonly origins: Map<string, Origin>,
    readonly files: ParsedFile[],
  ) {}

  get(name: string): string | undefined {
    return this.vars.get(name);
  }

  /** The variables as an environment block, as `set -a; . file` would export them. */
  toEnv(): Record<string, string> {
    return Object.fromEntries(this.vars);
  }

  /** An error about variable `name` located where it was set. */
  error(name: string, problem: string): ConfigError {
    const o = this.origins.get(name);
    return new ConfigError(o?.file ?? "(environment)", o?.line ?? 0, name, problem);
  }
}

/** Parses `files` in order; `initial` plays the part of variables set before sourcing. */
export function loadConfigFiles(files: string[], initial: Record<string, string> = {}): LoadedConfig {
  const vars = new Map(Object.entries(initial));
  const origins = new Map<string, Origin>();
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new ConfigError(file, 0, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    const p = parseShellConfig(text, file, vars);
    for (const a of p.assignments) origins.set(a.name, { file, line: a.line });
    parsed.push(p);
  }
  return new LoadedConfig(vars, origins, parsed);
}
