// Persisting courierimapuiddb: write a unique temp file in tmp/, rename it over the db.
// A brand-new db takes UIDVALIDITY from the temp file's mtime − IMAP_EPOCH.

import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { formatUidDb, IMAP_EPOCH, UIDDB_FILE, type UidDb } from "./uiddb.js";
import { uniqueTmpName } from "./unique-name.js";

export interface WriteResult {
  ok: boolean;
  uidValidity: number;
}

/** `db.uidValidity === 0` means "new db": the value is derived from the temp file. */
export async function writeUidDb(folderPath: string, db: UidDb): Promise<WriteResult> {
  const tmp = join(folderPath, "tmp", uniqueTmpName("imapuiddb"));
  let uidValidity = db.uidValidity;
  try {
    const fh = await open(tmp, "wx", 0o644);
    try {
      if (!uidValidity) uidValidity = Math.floor((await fh.stat()).mtimeMs / 1000) - IMAP_EPOCH;
      await fh.writeFile(formatUidDb({ ...db, uidValidity }), "latin1");
    } finally {
      await fh.close();
    }
    await rename(tmp, join(folderPath, UIDDB_FILE));
    return { ok: true, uidValidity };
  } catch {
    process.stderr.write("ERR: Failed to create cache file\n");
    await unlink(tmp).catch(() => {});
    await unlink(join(folderPath, UIDDB_FILE)).catch(() => {});
    return { ok: false, uidValidity: uidValidity || Math.floor(Date.now() / 1000) - IMAP_EPOCH };
  }
}
