// The shell subset Courier's config files are written in (spec/config-upgrade.md §2):
// comments, NAME=value assignments, single and double quotes, backslash escapes, $VAR and
// ${VAR} expansion from earlier assignments, `export`. Anything else is an error that names
// the file and line, since the rc scripts would have run it as a command.

import { ConfigError } from "./errors.js";

export interface Assignment {
  name: string;
  value: string;
  line: number;
  /** The `##NAME: label:revision` block this assignment sits in, if any. */
  block?: { label: string; revision: string };
}

export interface ParsedFile {
  file: string;
  version?: string;
  assignments: Assignment[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    public line: number,
  ) {}
  peek(): string {
    return this.text[this.pos] ?? "";
  }
  eof(): boolean {
    return this.pos >= this.text.length;
  }
}

/**
 * Parses a whole file. `vars` holds what earlier assignments (or earlier files) defined;
 * it is updated in place as assignments are read, so expansion sees them in order.
 */
export function parseShellConfig(text: string, file: string, vars: Map<string, string>): ParsedFile {
  const out: ParsedFile = { file, assignments: [] };
  const c = new Cursor(text, 1);
  let block: Assignment["block"];
  while (!c.eof()) {
    skipBlanks(c);
    const ch = c.peek();
    if (ch === "\n") {
      c.pos++;
      c.line++;
      continue;
    }
    if (ch === "#") {
      const end = text.indexOf("\n", c.pos);
      const comment = text.slice(c.pos, end < 0 ? text.length : end);
      const header = /^##(NAME|VERSION):\s*(.*)$/.exec(comment);
      if (header?.[1] === "VERSION") out.version = header[2].trim();
      if (header?.[1] === "NAME") {
        const spec = header[2].replace(/[ \t]/g, "");
        const colon = spec.lastIndexOf(":");
        block =
          colon < 0
            ? { label: spec, revision: "" }
            : { label: spec.slice(0, colon), revision: spec.slice(colon + 1) };
      }
      c.pos = end < 0 ? text.length : end;
      continue;
    }
    if (ch === ";") {
      c.pos++;
      continue;
    }
    statement(c, file, vars, out, block);
  }
  return out;
}

function skipBlanks(c: Cursor): void {
  for (;;) {
    const ch = c.peek();
    if (ch === " " || ch === "\t" || ch === "\r") c.pos++;
    else if (ch === "\\" && c.text[c.pos + 1] === "\n") {
      c.pos += 2;
      c.line++;
    } else return;
  }
}

function statement(
  c: Cursor,
  file: string,
  vars: Map<string, string>,
  out: ParsedFile,
  block: Assignment["block"],
): void {
  const startLine = c.line;
  const rest = c.text.slice(c.pos);
  const exp = /^export[ \t]+/.exec(rest);
  if (exp) {
    c.pos += exp[0].length;
    // `export NAME` alone only marks a variable for export; everything is exported anyway.
    const bare = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?=$|[\n;#])/.exec(c.text.slice(c.pos));
    if (bare) {
      c.pos += bare[0].length;
      return;
    }
  }
  const m = NAME.exec(c.text.slice(c.pos));
  if (!m || c.text[c.pos + m[0].length] !== "=") {
    const word = /^[^\s;]*/.exec(c.text.slice(c.pos))?.[0] ?? "";
    throw new ConfigError(file, startLine, undefined, `not a NAME=value assignment: ${JSON.stringify(word)}`);
  }
  const name = m[0];
  c.pos += name.length + 1;
  const value = word(c, file, vars, name);
  vars.set(name, value);
  out.assignments.push({ name, value, line: startLine, block });
  skipBlanks(c);
  const next = c.peek();
  if (next === "#" || next === "\n" || next === ";" || next === "") return;
  throw new ConfigError(
    file,
    c.line,
    name,
    "unexpected text after the value (quote values that contain spaces)",
  );
}

/** Reads one shell word (the value), applying quoting and expansion. */
function word(c: Cursor, file: string, vars: Map<string, string>, name: string): string {
  let out = "";
  for (;;) {
    const ch = c.peek();
    if (ch === "" || ch === " " || ch === "\t" || ch === "\n" || ch === ";" || ch === "\r") return out;
    if (ch === "'") {
      const end = c.text.indexOf("'", c.pos + 1);
      if (end < 0) throw new ConfigError(file, c.line, name, "unterminated single quote");
      const s = c.text.slice(c.pos + 1, end);
      c.line += countLines(s);
      out += s;
      c.pos = end + 1;
    } else if (ch === '"') {
      c.pos++;
      out += doubleQuoted(c, file, vars, name);
    } else if (ch === "\\") {
      const n = c.text[c.pos + 1];
      if (n === undefined) throw new ConfigError(file, c.line, name, "backslash at end of file");
      if (n === "\n") c.line++;
      else out += n;
      c.pos += 2;
    } else if (ch === "$") {
      out += expansion(c, file, vars, name);
    } else if (
      ch === "`" ||
      ch === "|" ||
      ch === "&" ||
      ch === "<" ||
      ch === ">" ||
      ch === "(" ||
      ch === ")"
    ) {
      throw new ConfigError(file, c.line, name, `shell construct ${JSON.stringify(ch)} is not supported`);
    } else {
      out += ch;
      c.pos++;
    }
  }
}

function doubleQuoted(c: Cursor, file: string, vars: Map<string, string>, name: string): string {
  let out = "";
  for (;;) {
    const ch = c.peek();
    if (ch === "") throw new ConfigError(file, c.line, name, "unterminated double quote");
    if (ch === '"') {
      c.pos++;
      return out;
    }
    if (ch === "\\") {
      const n = c.text[c.pos + 1] ?? "";
      if (n === "\n") c.line++;
      else if (n === "$" || n === "`" || n === '"' || n === "\\") out += n;
      else out += `\\${n}`;
      c.pos += 2;
    } else if (ch === "$") {
      out += expansion(c, file, vars, name);
    } else if (ch === "`") {
      throw new ConfigError(file, c.line, name, "command substitution is not supported");
    } else {
      if (ch === "\n") c.line++;
      out += ch;
      c.pos++;
    }
  }
}

function expansion(c: Cursor, file: string, vars: Map<string, string>, name: string): string {
  const rest = c.text.slice(c.pos + 1);
  const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest);
  if (braced) {
    c.pos += 1 + braced[0].length;
    return vars.get(braced[1]) ?? "";
  }
  const plain = NAME.exec(rest);
  if (plain) {
    c.pos += 1 + plain[0].length;
    return vars.get(plain[0]) ?? "";
  }
  if (rest.startsWith("(") || rest.startsWith("{")) {
    throw new ConfigError(file, c.line, name, "only $NAME and ${NAME} expansions are supported");
  }
  c.pos++;
  return "$";
}

function countLines(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === "\n") n++;
  return n;
}
