// Our own per-folder scan index, `imapd-ts.scanindex`: the result of the last full scan (UID →
// cur/ file name), so that opening an unchanged large folder needs three stat() calls and one
// file read instead of a readdir of cur/ plus a parse of courierimapuiddb. Courier never reads
// or writes it; it is only a cache:
//   line 1  JSON header {"v":1,"uidValidity","nextUid","count","cur":[…],"new":[…],"db":[…]}
//           (stat identities of cur/, new/ and courierimapuiddb when the scan ran)
//   line 2  JSON array of UIDs, ascending
//   line 3  JSON array of cur/ file names, in the same order
// It is used only when all three identities still match and the db's first line agrees, and
// it is written (tmp/ file + rename) only when cur/ and new/ had been quiet for SETTLE_MS
// before the scan, so that a change in the same timestamp tick as the scan cannot go unseen.
// Anything unreadable, malformed or stale is ignored (and a stale one removed).

import {
  type BigIntStats,
  closeSync,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { UIDDB_FILE } from "./uiddb.js";
import { uniqueTmpName } from "./unique-name.js";

export const SCAN_INDEX_FILE = "imapd-ts.scanindex";
/** Folders smaller than this are scanned in full: the index would not pay for itself. */
export const SCAN_INDEX_MIN_MESSAGES = 500;
/** cur/ and new/ must be this much older than the index (by the filesystem's own clock). */
export const SETTLE_MS = 2000n;

const VERSION = 1;
const HEAD_BYTES = 2048;

/** The parts of a stat that any change to a directory or a replaced file alters. */
export type Identity = string[];

export function dirIdentity(st: BigIntStats): Identity {
  return [String(st.dev), String(st.ino), String(st.mtimeNs), String(st.ctimeNs)];
}

export function fileIdentity(st: BigIntStats): Identity {
  return [...dirIdentity(st), String(st.size)];
}

export interface ScanState {
  cur: Identity;
  new: Identity;
  db: Identity;
}

export interface IndexedScan {
  uidValidity: number;
  nextUid: number;
  uids: number[];
  names: string[];
}

/** First line of the uiddb text. */
export function uidDbHead(text: string): string {
  const eol = text.indexOf("\n");
  return eol < 0 ? text : text.slice(0, eol);
}

interface Header extends ScanState {
  v: number;
  uidValidity: number;
  nextUid: number;
  count: number;
  /** Line 1 of courierimapuiddb as the scan left it. */
  dbHead: string;
}

function sameIdentity(a: unknown, b: Identity): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

function statBig(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
}

/** The current identities of cur/, new/ and the uiddb; undefined when one is missing. */
export function currentState(folderPath: string): ScanState | undefined {
  const cur = statBig(join(folderPath, "cur"));
  const nw = statBig(join(folderPath, "new"));
  const db = statBig(join(folderPath, UIDDB_FILE));
  if (!cur || !nw || !db) return undefined;
  return { cur: dirIdentity(cur), new: dirIdentity(nw), db: fileIdentity(db) };
}

export function sameState(a: ScanState, b: ScanState): boolean {
  return sameIdentity(a.cur, b.cur) && sameIdentity(a.new, b.new) && sameIdentity(a.db, b.db);
}

/**
 * True when neither cur/ nor new/ changed its entries within SETTLE_MS before `nowNs`
 * (filesystem clock): any later change then stamps an mtime that differs from the recorded
 * one, even on a filesystem with one-second timestamps. (ctime is part of the identity but
 * not of this test: a chmod does not change what a listing returns.)
 */
export function settled(state: ScanState, nowNs: bigint): boolean {
  const cur = BigInt(state.cur[2]);
  const nw = BigInt(state.new[2]);
  return (cur > nw ? cur : nw) + SETTLE_MS * 1_000_000n < nowNs;
}

function readHead(fd: number): { header: unknown; headText: string } {
  const buf = Buffer.alloc(HEAD_BYTES);
  const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
  const eol = buf.subarray(0, n).indexOf(10);
  if (eol < 0) throw new Error("no header line");
  const headText = buf.toString("utf8", 0, eol);
  return { header: JSON.parse(headText), headText };
}

/** The db's own first line must agree, should its stat identity ever repeat. */
function dbHeadMatches(folderPath: string, h: Header): boolean {
  const fd = openSync(join(folderPath, UIDDB_FILE), "r");
  try {
    const buf = Buffer.alloc(128);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return typeof h.dbHead === "string" && uidDbHead(buf.toString("latin1", 0, n)) === h.dbHead;
  } finally {
    closeSync(fd);
  }
}

/** The indexed scan when it still describes `state`; undefined otherwise (stale ones are removed if `removeStale`). */
export function loadScanIndex(
  folderPath: string,
  state: ScanState,
  removeStale: boolean,
): IndexedScan | undefined {
  const path = join(folderPath, SCAN_INDEX_FILE);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  let stale = false;
  try {
    const { header, headText } = readHead(fd);
    const h = header as Header;
    if (
      h?.v !== VERSION ||
      !sameState(h, state) ||
      !Number.isSafeInteger(h.uidValidity) ||
      !Number.isSafeInteger(h.nextUid) ||
      !Number.isSafeInteger(h.count)
    ) {
      stale = true;
      return undefined;
    }
    if (!dbHeadMatches(folderPath, h)) {
      stale = true;
      return undefined;
    }
    const size = Number(fstatSync(fd).size);
    const rest = Buffer.allocUnsafe(size - headText.length - 1);
    let got = 0;
    while (got < rest.length) {
      const n = readSync(fd, rest, got, rest.length - got, headText.length + 1 + got);
      if (!n) break;
      got += n;
    }
    const text = rest.toString("utf8", 0, got);
    const eol = text.indexOf("\n");
    const uids: unknown = JSON.parse(text.slice(0, eol));
    const names: unknown = JSON.parse(text.slice(eol + 1));
    if (!valid(uids, names, h)) {
      stale = true;
      return undefined;
    }
    return { uidValidity: h.uidValidity, nextUid: h.nextUid, uids, names: names as string[] };
  } catch {
    stale = true;
    return undefined;
  } finally {
    closeSync(fd);
    if (stale && removeStale) {
      try {
        unlinkSync(path);
      } catch {}
    }
  }
}

function valid(uids: unknown, names: unknown, h: Header): uids is number[] {
  if (!Array.isArray(uids) || !Array.isArray(names) || uids.length !== h.count || names.length !== h.count)
    return false;
  let last = 0;
  for (let i = 0; i < uids.length; i++) {
    const u = uids[i];
    const n = names[i];
    if (typeof u !== "number" || !Number.isSafeInteger(u) || u <= last) return false;
    if (typeof n !== "string" || !n || n.startsWith(".") || n.includes("/")) return false;
    last = u;
  }
  return last < h.nextUid;
}

/**
 * Writes the index for a full scan whose cur/ and new/ identities were `state` before it
 * read them; does nothing unless they had settled by then. Failures are ignored.
 */
export function saveScanIndex(
  folderPath: string,
  state: ScanState,
  dbHead: string,
  scan: IndexedScan,
): boolean {
  const tmp = join(folderPath, "tmp", uniqueTmpName("scanindex"));
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", 0o644);
    // the tmp file's mtime is the filesystem's clock, which stamped cur/ and new/ too
    if (!settled(state, fstatSync(fd, { bigint: true }).mtimeNs)) {
      closeSync(fd);
      fd = undefined;
      unlinkSync(tmp);
      return false;
    }
    const header: Header = {
      v: VERSION,
      uidValidity: scan.uidValidity,
      nextUid: scan.nextUid,
      count: scan.uids.length,
      dbHead,
      ...state,
    };
    const text = `${JSON.stringify(header)}\n${JSON.stringify(scan.uids)}\n${JSON.stringify(scan.names)}\n`;
    const buf = Buffer.from(text);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, join(folderPath, SCAN_INDEX_FILE));
    return true;
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {}
    return false;
  }
}

/** Removes the index (a full scan found it stale and did not replace it). */
export function dropScanIndex(folderPath: string): void {
  try {
    unlinkSync(join(folderPath, SCAN_INDEX_FILE));
  } catch {}
}
