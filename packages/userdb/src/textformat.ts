// The userdb text source (spec/userdb.md §2): `name<TAB>key=value|key|…`, one account
// per line, `#` comments; the source is one file or a directory tree of files.

import { readdir, readFile, stat } from "node:fs/promises";

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
  /** makeuserdb's `_` field: where the file lies below the default userdb directory (see locationOf). */
  location: string;
  records: SourceLine[];
  /** Lines makeuserdb skips with a warning, as `file:line: …`. */
  warnings: string[];
}

/**
 * Splits one file's text into records. Blank and `#` lines are comments. A line without a TAB
 * is no account (Courier stores it under the whole line as key, value "1", where no lookup
 * can find an account); it is skipped with a warning so the admin sees the likely typo.
 */
export function parseSource(text: string, file: string): { records: SourceLine[]; warnings: string[] } {
  const records: SourceLine[] = [];
  const warnings: string[] = [];
  // indexOf rather than split: a 100,000-account file stays one string, not 100,000 more.
  for (let start = 0, i = 0; start < text.length; i++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    if (line.trim() === "" || line.startsWith("#")) continue;
    const tab = line.indexOf("\t");
    if (tab < 0)
      warnings.push(`${file}:${i + 1}: no TAB between the account name and its fields, line ignored`);
    else if (tab === 0) throw new UserdbError(`${file}:${i + 1}: empty account name before the TAB`);
    else records.push({ file, line: i + 1, name: line.slice(0, tab), fields: line.slice(tab + 1) });
  }
  return { records, warnings };
}

/**
 * The `_` field as Courier's makeuserdb computes it: the file name minus as many leading
 * characters as the default (compile-time) userdb path has, without its leading and trailing
 * `/`, plus a trailing `/` unless empty. Below the default path that is the file's relative
 * path, which the password-change code hands to `userdb <_><name> set`; for a source
 * compiled with `-f` elsewhere it is as meaningless as Courier's.
 */
export function locationOf(file: string, defaultPath: string): string {
  const loc = file.slice(defaultPath.length).replace(/^\//, "").replace(/\/$/, "");
  return loc === "" ? "" : `${loc}/`;
}

/** Every file below `dir`, breadth first, skipping names that start with `.`. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [dir];
  while (queue.length) {
    const d = queue.shift()!;
    const names = (await readdir(d)).filter((n) => !n.startsWith(".")).sort();
    for (const n of names) {
      const p = `${d}/${n}`;
      if ((await stat(p)).isDirectory()) queue.push(p);
      else out.push(p);
    }
  }
  return out;
}

/** The files of a userdb source: the file itself, or every file of the directory tree. */
export async function sourceFiles(path: string): Promise<string[]> {
  return (await stat(path)).isDirectory() ? listFiles(path) : [path];
}

/** Reads one source file; `defaultPath` gives its `_` location. */
export async function readSourceFile(file: string, defaultPath: string): Promise<SourceFile> {
  const text = await readFile(file, "utf8");
  return { file, location: locationOf(file, defaultPath), ...parseSource(text, file) };
}

/** Reads a userdb source: a single file or a directory tree. */
export async function readSource(path: string, defaultPath: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const file of await sourceFiles(path)) out.push(await readSourceFile(file, defaultPath));
  return out;
}

/** A raw field `…pw=…` (key ending in `pw`, with `=`) belongs in the shadow database. */
export function isPasswordField(rawField: string): boolean {
  return /^[^=]*pw=/.test(rawField);
}
