// Reading the access database. couriertcpd -access= accepts, in this order of checks:
//   - a directory: every regular file in it is source text (makedat -src=dir semantics);
//   - a file made by our makedat (first line MAGIC): key<TAB>value lines;
//   - a Berkeley DB/GDBM file made by Courier's makedat: we cannot read those, so the
//     text source beside it (the name without `.dat`) is read instead, with a warning;
//   - any other file: source text.
// A missing file allows everything (logged), as an empty database does.

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";

export const MAGIC = "#courier-imap-ts access database 1";

/** Source files of a directory source, in name order; `*~` skipped. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.endsWith("~") && !n.startsWith("."))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

/** Files a packager or editor leaves behind that makedat refuses to compile silently. */
export function strayFile(name: string): boolean {
  return /\.(dpkg-[a-z]+|rpmsave|rpmnew|dist)$/.test(name);
}

export class AccessSourceError extends Error {}

/** `key<TAB>value` text: `#` and blank lines skipped, a key alone gets `1`, duplicates are an error. */
export function parseSource(
  text: string,
  origin: string,
  into = new Map<string, string>(),
): Map<string, string> {
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (!line.trim() || line.startsWith("#")) return;
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const key = m[1];
    if (into.has(key)) throw new AccessSourceError(`${origin}:${i + 1}: duplicate key ${key}`);
    into.set(key, m[2].trim() || "1");
  });
  return into;
}

export function readSource(src: string): Map<string, string> {
  const map = new Map<string, string>();
  if (statSync(src).isDirectory()) {
    for (const f of sourceFiles(src)) parseSource(readFileSync(f, "utf8"), f, map);
  } else parseSource(readFileSync(src, "utf8"), src, map);
  return map;
}

function head(file: string, n: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const b = Buffer.alloc(n);
    return b.subarray(0, readSync(fd, b, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

function isBinary(file: string): boolean {
  return head(file, 512).includes(0);
}

export function loadAccessSource(file: string, warn: (line: string) => void): Map<string, string> {
  if (!existsSync(file)) {
    warn(`ERR: ${file}: no such access file; all connections are allowed`);
    return new Map();
  }
  if (statSync(file).isDirectory()) return readSource(file);
  if (head(file, MAGIC.length).toString("latin1") === MAGIC) {
    const map = new Map<string, string>();
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const tab = line.indexOf("\t");
      if (tab > 0) map.set(line.slice(0, tab), line.slice(tab + 1));
    }
    return map;
  }
  if (isBinary(file)) {
    const src = file.replace(/\.dat$/, "");
    if (src !== file && existsSync(src)) {
      warn(`WARN: ${file} was made by Courier's makedat; reading its source ${src} instead`);
      return readSource(src);
    }
    throw new AccessSourceError(`${file}: not an access database we can read (run makedat)`);
  }
  return readSource(file);
}
