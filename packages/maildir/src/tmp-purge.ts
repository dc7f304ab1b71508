// tmp/ cleanup on every folder scan (maildir-formats.md §2.7): entries not starting with
// `.` whose ctime is older than 36 hours are deleted.

import { lstatSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

export const TMP_MAX_AGE_MS = 36 * 3600 * 1000;

/** POP3's rule: mtime older than 48 hours (pop3d-and-tcpd.md §3). */
export const POP3_TMP_MAX_AGE_MS = 48 * 3600 * 1000;

export async function purgeStaleTmp(
  folderPath: string,
  now = Date.now(),
  maxAgeMs = TMP_MAX_AGE_MS,
  by: "ctime" | "mtime" = "ctime",
): Promise<number> {
  return purgeStaleTmpSync(folderPath, now, maxAgeMs, by);
}

/** Synchronous: a worker serves one connection, and tmp/ is usually (nearly) empty. */
export function purgeStaleTmpSync(
  folderPath: string,
  now = Date.now(),
  maxAgeMs = TMP_MAX_AGE_MS,
  by: "ctime" | "mtime" = "ctime",
): number {
  const dir = join(folderPath, "tmp");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const p = join(dir, name);
    try {
      const st = lstatSync(p);
      if (st.isFile() && now - (by === "ctime" ? st.ctimeMs : st.mtimeMs) > maxAgeMs) {
        unlinkSync(p);
        removed++;
      }
    } catch {
      // vanished or not ours to delete: leave it
    }
  }
  return removed;
}
