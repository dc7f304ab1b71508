// One folder scan (maildir-formats.md §3): purge tmp/, move new/ to cur/, match cur/
// against courierimapuiddb, give new messages UIDs, and persist the db when it changed.

import {
  type BigIntStats,
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
} from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { baseName, latin1Name } from "./flags.js";
import {
  currentState,
  dirIdentity,
  dropScanIndex,
  fileIdentity,
  type IndexedScan,
  loadScanIndex,
  SCAN_INDEX_MIN_MESSAGES,
  type ScanState,
  sameState,
  saveScanIndex,
  uidDbHead,
} from "./scan-index.js";
import { purgeStaleTmpSync } from "./tmp-purge.js";
import { IMAP_EPOCH, parseUidDb, UIDDB_FILE, type UidDb } from "./uiddb.js";
import { writeUidDbSync } from "./uiddb-write.js";

export interface ScannedFile {
  uid: number;
  /** Current file name in cur/. */
  filename: string;
  /** True when this scan assigned the UID (the message is \Recent for this session). */
  isNew: boolean;
}

export interface ScanOutcome {
  uidValidity: number;
  nextUid: number;
  /** Sorted by UID. */
  files: ScannedFile[];
  /** False when the db could not be (or, read-only, was not) persisted. */
  persisted: boolean;
}

// File system calls are synchronous here: a worker serves one connection, and a scan of a
// large folder through the thread pool costs several times more than the calls themselves.

export function listDirSync(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  let dotted = false;
  for (const n of names) if (n.charCodeAt(0) === 46) dotted = true;
  return dotted ? names.filter((n) => n.charCodeAt(0) !== 46) : names;
}

export async function listDir(dir: string): Promise<string[]> {
  return listDirSync(dir);
}

/** Renames new/* into cur/, appending `:2,` to names without `:`; repeats until new/ is empty. */
export function moveNewToCurSync(folderPath: string): string[] {
  const moved: string[] = [];
  for (let pass = 0; pass < 1000; pass++) {
    const names = listDirSync(join(folderPath, "new"));
    if (!names.length) break;
    let progress = false;
    for (const name of names) {
      const target = name.includes(":") ? name : `${name}:2,`;
      try {
        renameSync(join(folderPath, "new", name), join(folderPath, "cur", target));
        moved.push(target);
        progress = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
    if (!progress) break;
  }
  return moved;
}

export async function moveNewToCur(folderPath: string): Promise<string[]> {
  return moveNewToCurSync(folderPath);
}

interface DbRead {
  db: UidDb | undefined;
  head: string;
  identity: string[] | undefined;
}

function readDb(folderPath: string): DbRead {
  let fd: number;
  try {
    fd = openSync(join(folderPath, UIDDB_FILE), "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return { db: undefined, head: "", identity: undefined };
    throw e;
  }
  try {
    const identity = fileIdentity(fstatSync(fd, { bigint: true }));
    // latin1 keeps arbitrary bytes of file names round-tripping through the db unchanged
    const text = readFileSync(fd, "latin1");
    return { db: parseUidDb(text), head: uidDbHead(text), identity };
  } finally {
    closeSync(fd);
  }
}

function leadingNumber(name: string): number {
  let n = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + c - 48;
  }
  return n;
}

/** The part of a name up to the first `:`, as a latin1 string of its UTF-8 bytes (compares byte-wise). */
function byteKey(name: string): string {
  const colon = name.indexOf(":");
  return latin1Name(colon < 0 ? name : name.slice(0, colon));
}

/** Courier's order for new messages: leading decimal timestamp, then bytes up to `:`. */
export function compareNewNames(a: string, b: string): number {
  const d = leadingNumber(a) - leadingNumber(b);
  if (d) return d;
  const ka = byteKey(a);
  const kb = byteKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** compareNewNames for many names: each name's keys computed once. */
function sortNewNames(names: string[]): string[] {
  if (names.length < 2) return names;
  const keyed = names.map((name) => ({ name, n: leadingNumber(name), k: byteKey(name) }));
  keyed.sort((a, b) => a.n - b.n || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((e) => e.name);
}

/** The last indexed scan this process saw per folder, valid while the folder's state is unchanged. */
const remembered = new Map<string, { state: ScanState; scan: IndexedScan }>();

/** Tests: forget what this process remembered, so that the next scan reads the index file. */
export function forgetRememberedScans(): void {
  remembered.clear();
}

function fromIndex(scan: IndexedScan): ScanOutcome {
  const files: ScannedFile[] = new Array(scan.uids.length);
  for (let i = 0; i < files.length; i++)
    files[i] = { uid: scan.uids[i], filename: scan.names[i], isNew: false };
  return { uidValidity: scan.uidValidity, nextUid: scan.nextUid, files, persisted: true };
}

/**
 * `sorted` with the names that `order` lists (by base name) rearranged into that order,
 * in the places they held: a COPY's messages get UIDs in the order of their source, even
 * where Courier's order (the unpadded microseconds of their names) would swap them.
 */
function inCallerOrder(sorted: string[], order: string[]): string[] {
  const rank = new Map(order.map((n, i) => [baseName(n), i]));
  const slots: number[] = [];
  const ours: string[] = [];
  sorted.forEach((n, i) => {
    if (rank.has(baseName(n))) {
      slots.push(i);
      ours.push(n);
    }
  });
  ours.sort((a, b) => rank.get(baseName(a))! - rank.get(baseName(b))!);
  slots.forEach((slot, j) => {
    sorted[slot] = ours[j];
  });
  return sorted;
}

export async function scanFolder(folderPath: string, readWrite: boolean): Promise<ScanOutcome> {
  return scanFolderSync(folderPath, readWrite);
}

/** `order`: names that, if new, take their UIDs in this order (see inCallerOrder). */
export function scanFolderSync(folderPath: string, readWrite: boolean, order?: string[]): ScanOutcome {
  purgeStaleTmpSync(folderPath);
  const now = currentState(folderPath);
  if (now) {
    const mem = remembered.get(folderPath);
    if (mem && sameState(mem.state, now)) return fromIndex(mem.scan);
    const indexed = loadScanIndex(folderPath, now, readWrite);
    if (indexed) {
      remembered.set(folderPath, { state: now, scan: indexed });
      return fromIndex(indexed);
    }
  }
  remembered.delete(folderPath);
  // without a uiddb any index left behind is stale
  if (!now && readWrite) dropScanIndex(folderPath);
  return fullScan(folderPath, readWrite, order);
}

function statBig(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
}

interface DirStats {
  cur: BigIntStats;
  new: BigIntStats | undefined;
}

/** Saves (and remembers) the outcome of a full read-write scan of a large folder. */
function index(
  folderPath: string,
  dirs: DirStats,
  dbIdentity: string[],
  dbHead: string,
  out: ScanOutcome,
): void {
  if (!dirs.new || out.files.length < SCAN_INDEX_MIN_MESSAGES) return;
  const state: ScanState = { cur: dirIdentity(dirs.cur), new: dirIdentity(dirs.new), db: dbIdentity };
  const scan: IndexedScan = {
    uidValidity: out.uidValidity,
    nextUid: out.nextUid,
    uids: out.files.map((f) => f.uid),
    names: out.files.map((f) => f.filename),
  };
  if (saveScanIndex(folderPath, state, dbHead, scan)) remembered.set(folderPath, { state, scan });
}

function fullScan(folderPath: string, readWrite: boolean, order?: string[]): ScanOutcome {
  const { db, head, identity: dbIdentity } = readDb(folderPath);
  if (readWrite) moveNewToCurSync(folderPath);
  // identities taken before the listing: a change after this point alters them
  const curDir = join(folderPath, "cur");
  const dirs = readWrite
    ? { cur: statSync(curDir, { bigint: true }), new: statBig(join(folderPath, "new")) }
    : undefined;
  const curNames = listDirSync(curDir);

  const known: ScannedFile[] = [];
  const fresh: string[] = [];
  const seen = new Set<string>();
  for (const name of curNames) {
    const base = baseName(name);
    if (seen.has(base)) continue;
    seen.add(base);
    const uid = db?.uids.get(latin1Name(base));
    if (uid !== undefined) known.push({ uid, filename: name, isNew: false });
    else fresh.push(name);
  }
  // A rename inside cur/ by another process can hide an entry from one readdir pass; before
  // dropping db records, look once more so that a flag change never costs a message its UID.
  if (db && known.length < db.uids.size) {
    for (const name of listDirSync(curDir)) {
      const base = baseName(name);
      if (seen.has(base)) continue;
      const uid = db.uids.get(latin1Name(base));
      if (uid === undefined) continue;
      seen.add(base);
      known.push({ uid, filename: name, isNew: false });
    }
  }
  known.sort((a, b) => a.uid - b.uid);
  const changed = !db || fresh.length > 0 || known.length !== db.uids.size;

  let nextUid = db?.nextUid ?? 1;
  const files = known;
  const sortedFresh = order?.length ? inCallerOrder(sortNewNames(fresh), order) : sortNewNames(fresh);
  for (const filename of sortedFresh) files.push({ uid: nextUid++, filename, isNew: true });
  if (!readWrite || !changed) {
    const uidValidity = db?.uidValidity ?? Math.floor(Date.now() / 1000) - IMAP_EPOCH;
    const out = { uidValidity, nextUid, files, persisted: !!db && !changed };
    if (dirs && out.persisted && dbIdentity) index(folderPath, dirs, dbIdentity, head, out);
    return out;
  }
  const uids = new Map(files.map((f) => [latin1Name(baseName(f.filename)), f.uid]));
  const written = writeUidDbSync(folderPath, { uidValidity: db?.uidValidity ?? 0, nextUid, uids });
  const out = { uidValidity: written.uidValidity, nextUid, files, persisted: written.ok };
  if (dirs && written.ok) {
    const st = statBig(join(folderPath, UIDDB_FILE));
    if (st) index(folderPath, dirs, fileIdentity(st), `1 ${written.uidValidity} ${nextUid}`, out);
  }
  return out;
}

export async function isFolderDir(path: string): Promise<boolean> {
  try {
    return (await stat(join(path, "cur"))).isDirectory();
  } catch {
    return false;
  }
}
