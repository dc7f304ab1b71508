// Editing the userdb text source as Courier's `userdb` script does (spec/userdb.md §5).
// Untouched lines and fields are kept byte for byte; the file is replaced via a temp file.

import { chmod, lstat, readFile, readlink, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { withLockFile } from "./flock.js";
import { UserdbError } from "./textformat.js";

export type EditOp =
  | { kind: "set"; fields: [string, string][] }
  | { kind: "unset"; keys: string[] }
  | { kind: "del" };

const fieldKey = (item: string) => item.split("=", 1)[0];
const lineName = (line: string) => {
  const tab = line.indexOf("\t");
  return tab < 0 ? line : line.slice(0, tab);
};

/** Follows a symlink chain (relative links against the link's directory) to the real file. */
export async function followLinks(file: string): Promise<string> {
  let p = file;
  for (let i = 0; i < 40; i++) {
    const st = await lstat(p).catch(() => undefined);
    if (!st?.isSymbolicLink()) return p;
    p = resolve(dirname(p), await readlink(p));
  }
  throw new UserdbError(`${file}: too many levels of symbolic links`);
}

/**
 * Which file and record `userdb [path/]name` means: `dir/sub/name` is record `name` in
 * `<base>/dir/sub`; with `-f file` the file is named directly.
 */
export async function resolveTarget(
  base: string,
  spec: string,
  file?: string,
): Promise<{ file: string; name: string }> {
  if (file !== undefined) return { file: await followLinks(file), name: spec };
  await refuseLinkedBase(base);
  const slash = spec.lastIndexOf("/");
  const target = slash < 0 ? base : `${base}/${spec.slice(0, slash)}`;
  const name = slash < 0 ? spec : spec.slice(slash + 1);
  return { file: await followLinks(target), name };
}

/** Courier's userdb refuses to work when the userdb path itself is a symbolic link. */
export async function refuseLinkedBase(base: string): Promise<void> {
  if ((await lstat(base).catch(() => undefined))?.isSymbolicLink())
    throw new UserdbError(`ERROR: Wrong userdb command.\n       (${base} is a symbolic link)`);
}

/**
 * Runs `fn` holding the flock on `.lock.<file>` beside `file` (mode 0600), the lock
 * Courier's userdb script takes.
 */
export function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  return withLockFile(join(dirname(file), `.lock.${basename(file)}`), 0o600, fn);
}

async function readLines(file: string): Promise<string[]> {
  let text: string;
  try {
    if (!(await stat(file)).isFile()) throw new UserdbError(`${file}: not a file.`);
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Writes `lines` over `file` via `.tmp.<file>`, keeping the old permission bits (new: 0600). */
async function replaceFile(file: string, lines: string[]): Promise<void> {
  const mode = (await stat(file).catch(() => undefined))?.mode;
  const tmp = join(dirname(file), `.tmp.${basename(file)}`);
  await rm(tmp, { force: true });
  await writeFile(tmp, lines.map((l) => `${l}\n`).join(""), { mode: 0o600, flag: "wx" });
  if (mode !== undefined) await chmod(tmp, mode & 0o7777);
  await rename(tmp, file);
}

export function validateArg(s: string, what = "field or value"): void {
  if (/[|\n]/.test(s)) throw new UserdbError(`Invalid ${what}.`);
}

/** Applies set/unset/del to record `name` in `file`. Returns false when nothing changed. */
export async function editRecord(file: string, name: string, op: EditOp): Promise<boolean> {
  if (name === "" || /[|\n\t]/.test(name)) throw new UserdbError("Invalid account name.");
  const lines = await readLines(file);
  const idx = lines.findIndex((l) => !l.startsWith("#") && lineName(l) === name);
  if (op.kind === "del") {
    if (idx < 0) return false;
    lines.splice(idx, 1);
  } else if (op.kind === "unset") {
    if (idx < 0 || !op.keys.length) return false;
    const tab = lines[idx].indexOf("\t");
    const items = tab < 0 ? [] : lines[idx].slice(tab + 1).split("|");
    lines[idx] = `${name}\t${items.filter((it) => it !== "" && !op.keys.includes(fieldKey(it))).join("|")}`;
  } else {
    if (idx < 0) {
      lines.push(`${name}\t${op.fields.map(([k, v]) => `${k}=${v}`).join("|")}`);
    } else {
      const tab = lines[idx].indexOf("\t");
      const items =
        tab < 0
          ? []
          : lines[idx]
              .slice(tab + 1)
              .split("|")
              .filter(Boolean);
      for (const [k, v] of op.fields) {
        const at = items.findIndex((it) => fieldKey(it) === k);
        if (at >= 0) items[at] = `${k}=${v}`;
        else items.push(`${k}=${v}`);
      }
      lines[idx] = `${name}\t${items.join("|")}`;
    }
  }
  await replaceFile(file, lines);
  return true;
}

/** `userdb -show file`: every record name (a missing file has none). */
export async function listNames(file: string): Promise<string[]> {
  const lines = await readLines(file);
  return lines.filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("\t")).map(lineName);
}

/** `userdb -show file name`: the record's fields, one `key=value` per entry, or undefined. */
export async function showRecord(file: string, name: string): Promise<string[] | undefined> {
  const lines = await readLines(file);
  const line = lines.find((l) => !l.startsWith("#") && lineName(l) === name);
  if (line === undefined) return undefined;
  const tab = line.indexOf("\t");
  return tab < 0
    ? []
    : line
        .slice(tab + 1)
        .split("|")
        .filter(Boolean);
}
