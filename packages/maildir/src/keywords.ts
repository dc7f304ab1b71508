// `courierimapkeywords/` (maildir-formats.md §4): `:list` holds the consolidated keyword
// state; `<basename>` files are pending per-message updates; `.<N>.<basename>` are aged
// updates. Every folder scan folds updates into `:list` and ages them; a writer publishes a
// whole new per-message set with a link() that fails if an update is already pending.

import {
  chmod,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { uniqueTmpName } from "./unique-name.js";

export const KEYWORDS_DIR = "courierimapkeywords";
const LIST = ":list";
const STALE_MS = 15 * 60 * 1000;

/** Keyword → set lookups are ASCII case-insensitive; the first spelling seen is kept. */
export function keywordKey(k: string): string {
  return k.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** IMAP forbids bytes ≤ 0x20 and ( ) { % * " \ ] in keywords; from disk they become `_`. */
export function sanitizeKeyword(k: string): string {
  return k.replace(/[\x00-\x20(){%*"\\\]]/g, "_");
}

export function isValidKeyword(k: string): boolean {
  return k.length > 0 && !/[\x00-\x20(){%*"\\\]]/.test(k) && !k.startsWith("\\");
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of list) {
    const key = keywordKey(k);
    if (!k || seen.has(key)) continue;
    seen.add(key);
    out.push(k);
  }
  return out;
}

/** Parses `:list` into base name → keywords. */
export function parseKeywordList(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = text.split("\n");
  const names: string[] = [];
  let i = 0;
  for (; i < lines.length && lines[i] !== ""; i++) names.push(sanitizeKeyword(lines[i]));
  for (i++; i < lines.length; i++) {
    const colon = lines[i].lastIndexOf(":");
    if (colon < 0) continue;
    const kws = lines[i]
      .slice(colon + 1)
      .split(" ")
      .filter((s) => /^\d+$/.test(s) && Number(s) < names.length)
      .map((s) => names[Number(s)]);
    if (kws.length) out.set(lines[i].slice(0, colon), dedupe(kws));
  }
  return out;
}

export function formatKeywordList(state: Map<string, string[]>): string {
  const index = new Map<string, number>();
  const names: string[] = [];
  let body = "";
  for (const [base, kws] of [...state].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const idx = kws.map((k) => {
      let n = index.get(keywordKey(k));
      if (n === undefined) {
        index.set(keywordKey(k), (n = names.length));
        names.push(k);
      }
      return n;
    });
    if (idx.length) body += `${base}:${idx.join(" ")}\n`;
  }
  return `${names.map((n) => `${n}\n`).join("")}\n${body}`;
}

async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Creates courierimapkeywords/ (0700, then the folder's permission bits), as Courier. */
export async function ensureKeywordDir(folderPath: string): Promise<string> {
  const dir = join(folderPath, KEYWORDS_DIR);
  try {
    await mkdir(dir, 0o700);
    await chmod(dir, (await stat(folderPath)).mode & 0o7777);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return dir;
}

async function ageOf(p: string): Promise<number> {
  try {
    return Date.now() - (await stat(p)).mtimeMs;
  } catch {
    return 0;
  }
}

async function readLatin1(p: string): Promise<string | undefined> {
  try {
    return await readFile(p, "latin1");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function parseUpdate(text: string): string[] {
  return dedupe(text.split("\n").map(sanitizeKeyword).filter(Boolean));
}

/**
 * Reads the folder's keywords, folding pending updates into `:list` (when `write`).
 * `liveNames` is the set of base names present in cur/ (latin1 strings, as in the uiddb), or
 * a function that computes it.
 * Returns base name → keywords for live messages.
 */
export async function readKeywords(
  folderPath: string,
  liveNames: Set<string> | (() => Set<string>),
  write: boolean,
): Promise<Map<string, string[]>> {
  const dir = join(folderPath, KEYWORDS_DIR);
  let live: Set<string> | undefined;
  for (let attempt = 0; ; attempt++) {
    const entries = await listDir(dir);
    if (!entries) return new Map();
    // built only when there is a keyword directory (most folders have none)
    live ??= typeof liveNames === "function" ? liveNames() : liveNames;
    const T = Math.floor(Date.now() / 300_000);
    const pending = new Set<string>();
    const aged = new Map<string, number>();
    const junk: string[] = [];
    for (const name of entries.map((n) => Buffer.from(n).toString("latin1"))) {
      if (name === LIST) continue;
      const m = /^\.([1-9]\d*)\.(.+)$/s.exec(name);
      if (m) {
        const n = Number(m[1]);
        const had = aged.get(m[2]);
        if (had !== undefined) junk.push(`.${Math.min(had, n)}.${m[2]}`);
        aged.set(m[2], Math.max(had ?? 0, n));
      } else if (name.startsWith(".")) {
        if ((await ageOf(join(dir, name))) > STALE_MS) junk.push(name);
      } else pending.add(name);
    }
    const updates = new Map<string, string[]>();
    let vanished = false;
    for (const base of new Set([...pending, ...aged.keys()])) {
      if (!live.has(base)) continue;
      const file = pending.has(base) ? base : `.${aged.get(base)}.${base}`;
      const text = await readLatin1(join(dir, Buffer.from(file, "latin1").toString()));
      if (text === undefined) {
        vanished = true;
        break;
      }
      updates.set(base, parseUpdate(text));
    }
    if (vanished && attempt < 1000) continue;
    const listText = (await readLatin1(join(dir, LIST))) ?? "";
    const state = parseKeywordList(listText);
    for (const [base, kws] of updates) state.set(base, kws);
    for (const [base, kws] of state) if (!live.has(base) || !kws.length) state.delete(base);
    if (write) await publishState(folderPath, dir, listText, state, { pending, aged, junk, live, T });
    return state;
  }
}

interface DirState {
  pending: Set<string>;
  aged: Map<string, number>;
  junk: string[];
  live: Set<string>;
  T: number;
}

const fsName = (latin1: string) => Buffer.from(latin1, "latin1").toString();

async function publishState(
  folderPath: string,
  dir: string,
  oldText: string,
  state: Map<string, string[]>,
  d: DirState,
): Promise<void> {
  const text = formatKeywordList(state);
  if (text !== oldText && !(oldText === "" && state.size === 0)) {
    const tmp = join(folderPath, "tmp", uniqueTmpName("keywords"));
    await writeFile(tmp, text, { encoding: "latin1", mode: 0o644 });
    await rename(tmp, join(dir, LIST));
  }
  for (const name of d.junk) await unlink(join(dir, fsName(name))).catch(() => {});
  for (const base of d.pending) {
    const p = join(dir, fsName(base));
    if (!d.live.has(base)) {
      if ((await ageOf(p)) > STALE_MS) await unlink(p).catch(() => {});
      continue;
    }
    const m = Math.max(d.T + 1, d.aged.get(base) ?? 0);
    const now = new Date();
    await utimes(p, now, now).catch(() => {});
    await rename(p, join(dir, fsName(`.${m}.${base}`))).catch(() => {});
  }
  for (const [base, n] of d.aged) {
    if (d.pending.has(base)) continue;
    const p = join(dir, fsName(`.${n}.${base}`));
    // folded into :list already; kept for one 5-minute bucket for readers of the old :list
    if (d.live.has(base) ? n < d.T : (await ageOf(p)) > STALE_MS) await unlink(p).catch(() => {});
  }
}

/**
 * Publishes a new keyword set for one message (base name in latin1 form): fsync'd temp file,
 * renamed into the directory as `.tmp.<time><name>`, then link()ed to `<basename>`; if an
 * update is already pending, the folder is read (which ages it) and the link retried.
 */
export async function writeKeywordUpdate(
  folderPath: string,
  base: string,
  keywords: string[],
  live: () => Promise<Set<string>>,
): Promise<void> {
  const dir = await ensureKeywordDir(folderPath);
  const tmpName = uniqueTmpName("keywords");
  const tmp = join(folderPath, "tmp", tmpName);
  const fh = await open(tmp, "wx", 0o644);
  try {
    await fh.writeFile(
      Buffer.from(
        dedupe(keywords)
          .map((k) => `${k}\n`)
          .join(""),
        "latin1",
      ),
    );
    await fh.sync();
  } finally {
    await fh.close();
  }
  const staged = join(dir, `.tmp.${Math.floor(Date.now() / 1000)}${tmpName}`);
  await rename(tmp, staged);
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        await link(staged, join(dir, fsName(base)));
        if ((await stat(staged)).nlink === 2) return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      await readKeywords(folderPath, await live(), true);
    }
    throw new Error(`${folderPath}: could not publish a keyword update`);
  } finally {
    await unlink(staged).catch(() => {});
  }
}
