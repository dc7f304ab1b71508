// Creating the directories of a maildir or folder (maildir-formats.md §1.1–1.2): the
// directory, `maildirfolder` (0600) for folders, then cur/, new/ and tmp/ last, since
// "tmp exists" means "the structure is complete".

import { chmod, mkdir, open } from "node:fs/promises";
import { join } from "node:path";

export interface DirModes {
  /** The maildir/folder directory itself. */
  top?: number;
  /** tmp/ new/ cur/. */
  sub?: number;
}

/** Creates a maildir (isFolder: with `maildirfolder`); tolerates parts that already exist unless `exclusive`. */
export async function makeFolderDirs(
  path: string,
  isFolder: boolean,
  modes: DirModes = {},
  exclusive = false,
): Promise<void> {
  const top = modes.top ?? 0o700;
  const sub = modes.sub ?? 0o700;
  try {
    await mkdir(path, top);
  } catch (e) {
    if (exclusive || (e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  if (modes.top !== undefined) await chmod(path, top);
  if (isFolder) await (await open(join(path, "maildirfolder"), "a", 0o600)).close();
  for (const d of ["cur", "new", "tmp"]) {
    try {
      await mkdir(join(path, d), sub);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    if (modes.sub !== undefined) await chmod(join(path, d), sub);
  }
}
