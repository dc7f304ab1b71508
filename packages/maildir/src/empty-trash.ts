// IMAP_EMPTYTRASH (maildir-formats.md §9.1): at login and logout, messages older than N days
// (by ctime, which a move into Trash refreshes) are deleted from the named folders.

import { stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { addQuotaUsage, isCountedFolder } from "./quota.js";
import { listDir, moveNewToCur } from "./scan.js";

/** `Trash:7,Sent:30` → [[Trash, 7], [Sent, 30]]; a bare number applies to the Trash folder. */
export function parseEmptyTrash(value: string | undefined, trashFolder = "Trash"): [string, number][] {
  if (!value) return [];
  if (!value.includes(":") && !value.includes(",")) return [[trashFolder, Math.max(1, Number(value) || 1)]];
  const out: [string, number][] = [];
  for (const part of value.split(",")) {
    const c = part.lastIndexOf(":");
    if (c <= 0) continue;
    out.push([part.slice(0, c), Math.max(1, Number(part.slice(c + 1)) || 1)]);
  }
  return out;
}

/** Purges each `[folder, days]`; returns the number of messages deleted. */
export async function emptyTrash(
  root: string,
  spec: [string, number][],
  trashQuota = false,
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  for (const [folder, days] of spec) {
    const dir = join(root, `.${folder}`);
    try {
      await moveNewToCur(dir);
    } catch {
      continue;
    }
    let bytes = 0;
    let count = 0;
    for (const sub of ["cur", "new"]) {
      for (const name of await listDir(join(dir, sub))) {
        const p = join(dir, sub, name);
        try {
          const st = await stat(p);
          if (now - st.ctimeMs <= days * 86400_000) continue;
          await unlink(p);
          bytes += st.size;
          count++;
        } catch {}
      }
    }
    removed += count;
    if (count && isCountedFolder(dir, trashQuota)) await addQuotaUsage(root, -bytes, -count);
  }
  return removed;
}
