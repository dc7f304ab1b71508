// One folder scan (maildir-formats.md §3): purge tmp/, move new/ to cur/, match cur/
// against courierimapuiddb, give new messages UIDs, and persist the db when it changed.

import { readdir, readFile, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { baseName, latin1Name } from "./flags.js";
import { purgeStaleTmp } from "./tmp-purge.js";
import { IMAP_EPOCH, parseUidDb, UIDDB_FILE, type UidDb } from "./uiddb.js";
import { writeUidDb } from "./uiddb-write.js";

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

export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith("."));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** Renames new/* into cur/, appending `:2,` to names without `:`; repeats until new/ is empty. */
export async function moveNewToCur(folderPath: string): Promise<string[]> {
  const moved: string[] = [];
  for (let pass = 0; pass < 1000; pass++) {
    const names = await listDir(join(folderPath, "new"));
    if (!names.length) break;
    let progress = false;
    for (const name of names) {
      const target = name.includes(":") ? name : `${name}:2,`;
      try {
        await rename(join(folderPath, "new", name), join(folderPath, "cur", target));
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

async function readDb(folderPath: string): Promise<UidDb | undefined> {
  try {
    return parseUidDb(await readFile(join(folderPath, UIDDB_FILE), "latin1"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function leadingNumber(name: string): number {
  const m = /^\d+/.exec(name);
  return m ? Number(m[0]) : 0;
}

/** Courier's order for new messages: leading decimal timestamp, then bytes up to `:`. */
export function compareNewNames(a: string, b: string): number {
  const d = leadingNumber(a) - leadingNumber(b);
  if (d) return d;
  const ka = Buffer.from(a.split(":")[0], "latin1");
  const kb = Buffer.from(b.split(":")[0], "latin1");
  return Buffer.compare(ka, kb);
}

export async function scanFolder(folderPath: string, readWrite: boolean): Promise<ScanOutcome> {
  await purgeStaleTmp(folderPath);
  const db = await readDb(folderPath);
  // latin1 keeps arbitrary bytes of file names round-tripping through the db unchanged
  const curNames = await listDir(join(folderPath, "cur"));
  if (readWrite) curNames.push(...(await moveNewToCur(folderPath)));

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
    for (const name of await listDir(join(folderPath, "cur"))) {
      const base = baseName(name);
      if (seen.has(base)) continue;
      const uid = db.uids.get(latin1Name(base));
      if (uid === undefined) continue;
      seen.add(base);
      known.push({ uid, filename: name, isNew: false });
    }
  }
  known.sort((a, b) => a.uid - b.uid);
  fresh.sort(compareNewNames);

  let nextUid = db?.nextUid ?? 1;
  const files = known.concat(fresh.map((filename) => ({ uid: nextUid++, filename, isNew: true })));
  const changed = !db || fresh.length > 0 || known.length !== db.uids.size;
  if (!readWrite || !changed) {
    const uidValidity = db?.uidValidity ?? Math.floor(Date.now() / 1000) - IMAP_EPOCH;
    return { uidValidity, nextUid, files, persisted: !!db && !changed };
  }
  const uids = new Map(files.map((f) => [latin1Name(baseName(f.filename)), f.uid]));
  const written = await writeUidDb(folderPath, { uidValidity: db?.uidValidity ?? 0, nextUid, uids });
  return { uidValidity: written.uidValidity, nextUid, files, persisted: written.ok };
}

export async function isFolderDir(path: string): Promise<boolean> {
  try {
    return (await stat(join(path, "cur"))).isDirectory();
  } catch {
    return false;
  }
}
