// courierimapcache: facts derived from message files (sizes, rendered ENVELOPE and
// BODYSTRUCTURE, header fields for SEARCH/SORT/THREAD …), kept across sessions so that a
// new session need not re-read and re-parse every message. Our own file: Courier has no
// file of this name and ignores unknown files in a folder directory. The values are opaque
// here; the caller names their format and checks their shape.
//
// File: `<folder dir>/courierimapcache`, UTF-8 text, one record per line:
//   line 1:   "courier-imap-ts cache 1 <format>"
//   others:   "<base name>\t<stamp>\t<JSON value>"
// The base name is the message file name up to ":" (it survives flag changes); the stamp is
// "S<bytes>" when the name carries Courier's ",S=<bytes>" (then no stat is needed per message:
// maildir files are never rewritten in place, and a replacement of another size no longer
// matches), else "<bytes>.<mtime ms>.<inode>" of the file the value was computed from, so a
// replaced file never gets another file's facts. A record whose base name or stamp does not match the
// message, a line that is not valid, a file of another version or format, or a file too
// large, or one not owned by the account or writable by others, is ignored; an unreadable
// file is an empty cache.
// Written whole to a unique file in tmp/ and renamed over the old one (never edited in
// place, so a crash leaves either file, complete); no fsync: a torn file is only a cold
// cache. Records of messages no longer in the folder are dropped at every write, and the
// records held in memory (so the file) stop at MAX_CACHE_CHARS, the most recently stored
// kept; a file larger than twice that is not read.

import { closeSync, readSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { safeOpenSync } from "./safe-open.js";

export const CACHE_FILE = "courierimapcache";
const MAGIC = "courier-imap-ts cache 1";
export const MAX_CACHE_CHARS = 32 * 1024 * 1024;
/** A value longer than this (a message with thousands of parts) is not kept. */
export const MAX_RECORD_CHARS = 64 * 1024;

/** Which version of a message file a record describes, from its stat. */
export function fileStamp(st: { size: number; mtimeMs: number; ino: number }): string {
  return `${st.size}.${st.mtimeMs}.${st.ino}`;
}

/** The same from the file's name alone, `S<bytes>`, when the name carries `,S=<bytes>`. */
export function nameStamp(filename: string): string | undefined {
  const colon = filename.indexOf(":");
  const base = colon < 0 ? filename : filename.slice(0, colon);
  const i = base.lastIndexOf(",S=");
  if (i < 0) return undefined;
  const m = /^\d+/.exec(base.slice(i + 3));
  return m ? `S${m[0]}` : undefined;
}

let tmpSeq = 0;

function charsOf(base: string, record: string | { stamp: string }): number {
  return base.length + 2 + (typeof record === "string" ? record.length : FRESH_CHARS);
}

/** A value stored in this session, serialized only when the file is written. */
interface Fresh {
  stamp: string;
  value: unknown;
}
/** What a Fresh record is counted as until it is serialized. */
const FRESH_CHARS = 1024;

export class MessageCache {
  /** base name → "<stamp>\t<JSON>" (or a Fresh one), most recently stored last. */
  private records?: Map<string, string | Fresh>;
  private chars = 0;
  private changed = false;

  private readonly maxChars: number;
  private readonly skipSymlinkChecks: boolean;

  constructor(
    /** The folder directory (holding tmp/ new/ cur/). */
    private readonly dir: string,
    /** What the values are, e.g. "imapd-summary-1"; a file of another format is ignored. */
    private readonly format: string,
    opts: { skipSymlinkChecks?: boolean; maxChars?: number } = {},
  ) {
    this.maxChars = opts.maxChars ?? MAX_CACHE_CHARS;
    this.skipSymlinkChecks = opts.skipSymlinkChecks ?? false;
  }

  private load(): Map<string, string | Fresh> {
    if (this.records) return this.records;
    this.records = new Map();
    let text: string;
    try {
      text = this.readFile();
    } catch {
      return this.records; // missing, unreadable or unsafe: start empty
    }
    let pos = text.indexOf("\n");
    if (pos < 0 || text.slice(0, pos) !== `${MAGIC} ${this.format}`) return this.records;
    pos++;
    while (pos < text.length) {
      let end = text.indexOf("\n", pos);
      if (end < 0) end = text.length; // a last line without LF may be torn: its JSON will not parse
      const tab = text.indexOf("\t", pos);
      if (tab > pos && tab < end) this.remember(text.slice(pos, tab), text.slice(tab + 1, end));
      pos = end + 1;
    }
    return this.records;
  }

  private readFile(): string {
    const path = join(this.dir, CACHE_FILE);
    const { fd, stat } = safeOpenSync(path, this.skipSymlinkChecks);
    try {
      // Values are sent to the client as they are: only a file this account wrote and no
      // one else could write is trusted (another account's cache in a shared folder is not).
      if (stat.uid !== (process.getuid?.() ?? -1) || (stat.mode & 0o022) !== 0) return "";
      const size = Number(stat.size);
      if (size > 2 * this.maxChars) return "";
      const buf = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, buf, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      return buf.toString("utf8", 0, got);
    } finally {
      closeSync(fd);
    }
  }

  private remember(base: string, record: string | Fresh): void {
    const map = this.records!;
    const old = map.get(base);
    if (old !== undefined) {
      this.chars -= charsOf(base, old);
      map.delete(base);
    }
    map.set(base, record);
    this.chars += charsOf(base, record);
    this.trim();
  }

  /** Drops the oldest records while over the limit (the newest always stays). */
  private trim(): void {
    const map = this.records!;
    while (this.chars > this.maxChars && map.size > 1) {
      const [k, v] = map.entries().next().value as [string, string | Fresh];
      map.delete(k);
      this.chars -= charsOf(k, v);
    }
  }

  /**
   * The value stored for this message file, if it was computed from this very version;
   * `stamp` (its fileStamp) is asked for only when there is a record.
   */
  get(base: string, stamp: () => string): unknown {
    const record = this.load().get(base);
    if (record === undefined) return undefined;
    const st = stamp();
    if (typeof record !== "string") return record.stamp === st ? record.value : undefined;
    if (!record.startsWith(st) || record[st.length] !== "\t") return undefined;
    try {
      return JSON.parse(record.slice(st.length + 1));
    } catch {
      return undefined;
    }
  }

  /** Stores a plain-data value (not to be changed afterwards: get() may return it as it is). */
  set(base: string, stamp: string, value: unknown): void {
    if (base.includes("\t") || base.includes("\n")) return;
    this.load();
    this.remember(base, { stamp, value });
    this.changed = true;
  }

  /**
   * Writes the file if anything was stored since it was read, keeping the records of
   * `live` (the folder's current base names) only. Failures (read-only folder, disk full)
   * are ignored: the cache is an optimisation.
   */
  save(live: Iterable<string>): void {
    if (!this.changed || !this.records) return;
    this.changed = false;
    for (const [base, r] of this.records) {
      if (typeof r === "string") continue;
      const json = JSON.stringify(r.value);
      if (json === undefined || json.length > MAX_RECORD_CHARS) this.records.delete(base);
      else this.records.set(base, `${r.stamp}\t${json}`);
    }
    this.chars = 0;
    for (const [base, r] of this.records) this.chars += charsOf(base, r);
    this.trim();
    const parts = [`${MAGIC} ${this.format}\n`];
    for (const base of live) {
      const r = this.records.get(base);
      if (typeof r === "string") parts.push(base, "\t", r, "\n");
    }
    const tmp = join(this.dir, "tmp", `${Date.now()}.${process.pid}_${tmpSeq++}.${hostname()}.cache`);
    try {
      writeFileSync(tmp, parts.join(""), { mode: 0o644 });
      renameSync(tmp, join(this.dir, CACHE_FILE));
    } catch {
      try {
        unlinkSync(tmp);
      } catch {}
    }
  }
}
