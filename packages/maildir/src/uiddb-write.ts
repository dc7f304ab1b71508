// Persisting courierimapuiddb: write a unique temp file in tmp/, rename it over the db.
// A brand-new db takes UIDVALIDITY from the temp file's mtime − IMAP_EPOCH.

import { closeSync, fstatSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { formatUidDb, IMAP_EPOCH, UIDDB_FILE, type UidDb } from "./uiddb.js";
import { uniqueTmpName } from "./unique-name.js";

export interface WriteResult {
  ok: boolean;
  uidValidity: number;
}

/** `db.uidValidity === 0` means "new db": the value is derived from the temp file. */
export async function writeUidDb(folderPath: string, db: UidDb): Promise<WriteResult> {
  return writeUidDbSync(folderPath, db);
}

export function writeUidDbSync(folderPath: string, db: UidDb): WriteResult {
  const tmp = join(folderPath, "tmp", uniqueTmpName("imapuiddb"));
  let uidValidity = db.uidValidity;
  try {
    const fd = openSync(tmp, "wx", 0o644);
    try {
      if (!uidValidity) uidValidity = Math.floor(fstatSync(fd).mtimeMs / 1000) - IMAP_EPOCH;
      const buf = Buffer.from(formatUidDb({ ...db, uidValidity }), "latin1");
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(folderPath, UIDDB_FILE));
    return { ok: true, uidValidity };
  } catch {
    process.stderr.write("ERR: Failed to create cache file\n");
    for (const p of [tmp, join(folderPath, UIDDB_FILE)]) {
      try {
        unlinkSync(p);
      } catch {}
    }
    return { ok: false, uidValidity: uidValidity || Math.floor(Date.now() / 1000) - IMAP_EPOCH };
  }
}
