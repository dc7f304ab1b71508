// `courierpop3dsizelist` (maildir-formats.md §7): POP3 sizes and UIDLs of INBOX.
// Line 1 `/3 <nextuid> <uidvalidity>`; then `<cur name> <size> <uid>:<uidv>:<utf8>`, split at
// the last two spaces. Messages are matched by name up to the first `:`; unknown ones get
// `nextuid++` in arrival order. The file is rewritten only when the message set changed.

import { open, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { compareNewNames } from "./scan.js";
import { uniqueTmpName } from "./unique-name.js";

export const SIZELIST_FILE = "courierpop3dsizelist";

export interface SizeListEntry {
  filename: string;
  size: number;
  uid: number;
  uidv: number;
  utf8: boolean;
}

export interface SizeList {
  version: number;
  nextUid: number;
  uidValidity: number;
  entries: SizeListEntry[];
}

/** Undefined for a missing or unreadable file (every message then gets a new UIDL). */
export function parseSizeList(text: string): SizeList | undefined {
  const lines = text.split("\n");
  const head = /^\/([23]) (\d+) (\d+)$/.exec(lines[0] ?? "");
  if (!head) return undefined;
  const list: SizeList = {
    version: Number(head[1]),
    nextUid: Number(head[2]),
    uidValidity: Number(head[3]),
    entries: [],
  };
  for (const line of lines.slice(1)) {
    const m = /^(.*) (\d+) (\d+):(\d+)(?::(\d+))?$/s.exec(line);
    if (!m) continue;
    list.entries.push({
      filename: m[1],
      size: Number(m[2]),
      uid: Number(m[3]),
      uidv: Number(m[4]),
      utf8: m[5] !== undefined && m[5] !== "0",
    });
  }
  return list;
}

export function formatSizeList(list: SizeList): string {
  let out = `/3 ${list.nextUid} ${list.uidValidity}\n`;
  for (const e of list.entries) out += `${e.filename} ${e.size} ${e.uid}:${e.uidv}:${e.utf8 ? 1 : 0}\n`;
  return out;
}

function keyOf(name: string): string {
  const c = name.indexOf(":");
  return c < 0 ? name : name.slice(0, c);
}

/** The UIDL string of an entry (§7 table). */
export function uidlOf(e: SizeListEntry): string {
  if (e.uid === 0) {
    let out = "";
    for (const b of Buffer.from(keyOf(e.filename), "latin1")) {
      out +=
        b < 0x21 || b > 0x7e || b === 0x27 || b === 0x22 || b === 0x2b
          ? `+${b.toString(16).toUpperCase().padStart(2, "0")}`
          : String.fromCharCode(b);
    }
    return out;
  }
  return e.uidv === 0 ? `UID${e.uid}` : `UID${e.uid}-${e.uidv}`;
}

/** RFC 1939 size (bytes + LFs, + 2 without a final LF) and whether the header has 8-bit bytes. */
export async function measurePop3(path: string): Promise<{ size: number; utf8: boolean }> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(65536);
    let bytes = 0;
    let lf = 0;
    let last = -1;
    let inHeader = true;
    let utf8 = false;
    let prev = 10;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, bytes);
      if (!bytesRead) break;
      for (let i = 0; i < bytesRead; i++) {
        const b = buf[i];
        if (b === 10) {
          lf++;
          if (prev === 10) inHeader = false;
        } else if (b >= 0x80 && inHeader) utf8 = true;
        prev = b;
      }
      last = buf[bytesRead - 1];
      bytes += bytesRead;
    }
    return { size: bytes + lf + (bytes > 0 && last !== 10 ? 2 : 0), utf8 };
  } finally {
    await fh.close();
  }
}

async function readSizeList(root: string): Promise<SizeList | undefined> {
  try {
    return parseSizeList(await readFile(join(root, SIZELIST_FILE), "latin1"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

async function saveSizeList(root: string, list: SizeList): Promise<boolean> {
  const tmp = join(root, "tmp", uniqueTmpName("pop3"));
  try {
    await writeFile(tmp, formatSizeList(list), { encoding: "latin1", mode: 0o644 });
    await rename(tmp, join(root, SIZELIST_FILE));
    return true;
  } catch {
    await unlink(tmp).catch(() => {});
    return false;
  }
}

/**
 * The POP3 view of the cur/ names given (latin1 form): sizes and UIDs from the size list,
 * new entries measured and numbered; the file is rewritten when something changed. Courier's
 * disk-full recovery applies when it cannot be saved.
 */
export async function syncSizeList(root: string, curNames: string[]): Promise<SizeListEntry[]> {
  const names = [...curNames].sort(compareNewNames);
  const old = await readSizeList(root);
  const list: SizeList = {
    version: 3,
    nextUid: old?.nextUid ?? 1,
    uidValidity: old?.uidValidity ?? Math.floor(Date.now() / 1000),
    entries: [],
  };
  const known = new Map((old?.entries ?? []).map((e) => [keyOf(e.filename), e]));
  const fresh = new Set<SizeListEntry>();
  for (const filename of names) {
    const had = known.get(keyOf(filename));
    if (had) {
      list.entries.push({ ...had, filename });
      continue;
    }
    let m: { size: number; utf8: boolean };
    try {
      m = await measurePop3(join(root, "cur", Buffer.from(filename, "latin1").toString()));
    } catch {
      continue; // vanished
    }
    const e = { filename, size: m.size, uid: list.nextUid++, uidv: list.uidValidity, utf8: m.utf8 };
    fresh.add(e);
    list.entries.push(e);
  }
  const matched = list.entries.length - fresh.size;
  const changed = old?.version !== 3 || fresh.size > 0 || old.entries.length !== matched;
  if (!changed || (await saveSizeList(root, list))) return list.entries;
  const kept = list.entries.filter((e) => !fresh.has(e));
  if (kept.length || !list.entries.length) return kept;
  return [list.entries[0]];
}
