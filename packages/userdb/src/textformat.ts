// The userdb text source (spec/userdb.md §2): `name<TAB>key=value|key|…`, one account
// per line, `#` comments; the source is one file or a directory tree of files.

import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";

export type Fields = Map<string, string>;

export class UserdbError extends Error {}

/** Parses `key=value|key|…`; the first occurrence of a key wins, a bare key has value "". */
export function parseFields(text: string): Fields {
  const out: Fields = new Map();
  if (text === "") return out;
  for (const item of text.split("|")) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    if (!out.has(key)) out.set(key, eq < 0 ? "" : item.slice(eq + 1));
  }
  return out;
}

export function formatFields(fields: Fields): string {
  return [...fields].map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("|");
}

export interface SourceLine {
  file: string;
  line: number;
  name: string;
  fields: string;
}

export interface SourceFile {
  file: string;
  /** makeuserdb's `_` field: the file's path below a userdb directory plus `/`, or "" for a single file. */
  location: string;
  records: SourceLine[];
}

/** Splits one file's text into records; blank and `#` lines are skipped, a line without a TAB is an error. */
export function parseSource(text: string, file: string): SourceLine[] {
  const out: SourceLine[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "" || line.startsWith("#")) return;
    const tab = line.indexOf("\t");
    if (tab < 0) throw new UserdbError(`${file}:${i + 1}: no TAB between the account name and its fields`);
    if (tab === 0) throw new UserdbError(`${file}:${i + 1}: empty account name`);
    out.push({ file, line: i + 1, name: line.slice(0, tab), fields: line.slice(tab + 1) });
  });
  return out;
}

/** Every file below `dir`, breadth first, skipping names that start with `.`. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [dir];
  while (queue.length) {
    const d = queue.shift()!;
    const names = (await readdir(d)).filter((n) => !n.startsWith(".")).sort();
    for (const n of names) {
      const p = join(d, n);
      if ((await stat(p)).isDirectory()) queue.push(p);
      else out.push(p);
    }
  }
  return out;
}

/** Reads a userdb source: a single file or a directory tree. */
export async function readSource(path: string): Promise<SourceFile[]> {
  const st = await stat(path);
  const files = st.isDirectory() ? await listFiles(path) : [path];
  const out: SourceFile[] = [];
  for (const file of files) {
    const rel = relative(path, file);
    const text = await readFile(file, "utf8");
    out.push({ file, location: rel ? `${rel}/` : "", records: parseSource(text, file) });
  }
  return out;
}

/** A raw field `…pw=…` (key ending in `pw`, with `=`) belongs in the shadow database. */
export function isPasswordField(rawField: string): boolean {
  return /^[^=]*pw=/.test(rawField);
}
