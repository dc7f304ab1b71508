// Folder hierarchy operations (maildir-formats.md §1.2, §3, imapd-behaviour.md §7.8):
// listing, CREATE, DELETE and RENAME of `.Name.Sub` directories under the root.

import { readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { FolderExistsError, ReservedFolderError } from "./errors.js";
import { makeFolderDirs } from "./folder-dirs.js";
import { withFolderLock } from "./lock.js";
import { scanFolder } from "./scan.js";
import { writeSpecialUse } from "./special-use.js";
import { UIDDB_FILE } from "./uiddb.js";
import { uniqueTmpName } from "./unique-name.js";

export interface FolderEntry {
  /** Filesystem-form IMAP name: `INBOX` or `INBOX.A.B`. */
  name: string;
  /** False for hierarchy-only nodes (`\Noselect`). */
  selectable: boolean;
  hasChildren: boolean;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Names (without the leading dot) of the folder directories in the root. */
export async function folderDirNames(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true })) {
    if (!e.name.startsWith(".") || e.name === "." || e.name === "..") continue;
    if (e.isDirectory() || (e.isSymbolicLink() && (await isDir(join(root, e.name)))))
      out.push(e.name.slice(1));
  }
  return out;
}

/** INBOX, every folder, and the hierarchy-only nodes above folders whose parent does not exist. */
export async function listFolders(root: string): Promise<FolderEntry[]> {
  const real = new Set(await folderDirNames(root));
  const all = new Set<string>(real);
  for (const n of real) {
    const parts = n.split(".");
    for (let i = 1; i < parts.length; i++) all.add(parts.slice(0, i).join("."));
  }
  const names = [...all].filter((n) => n !== "" && !n.split(".").includes(""));
  const entries: FolderEntry[] = [{ name: "INBOX", selectable: true, hasChildren: names.length > 0 }];
  for (const n of names.sort()) {
    entries.push({
      name: `INBOX.${n}`,
      selectable: real.has(n),
      hasChildren: names.some((o) => o.startsWith(`${n}.`)),
    });
  }
  return entries;
}

/** CREATE: the folder directory (0700), `maildirfolder`, tmp/new/cur, its uiddb and special-use attributes. */
export async function createFolder(
  root: string,
  rel: string,
  specialUse: readonly string[] = [],
): Promise<void> {
  const path = join(root, `.${rel}`);
  if (await isDir(path)) throw new FolderExistsError(`Folder exists: INBOX.${rel}`);
  // build under a temp name so a crash never leaves a half-made folder under its real name
  const tmp = join(root, "tmp", `${uniqueTmpName("newfolder")}`);
  await makeFolderDirs(tmp, true, {}, true);
  await scanFolder(tmp, true);
  try {
    if (specialUse.length) await writeSpecialUse(tmp, specialUse);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if ((e as NodeJS.ErrnoException).code === "ENOTEMPTY" || (e as NodeJS.ErrnoException).code === "EEXIST")
      throw new FolderExistsError(`Folder exists: INBOX.${rel}`);
    throw e;
  }
}

/** DELETE: this folder's directory tree only (subfolders remain); moved aside first, then removed. */
export async function deleteFolder(root: string, rel: string): Promise<void> {
  const path = join(root, `.${rel}`);
  const aside = join(root, "tmp", uniqueTmpName("deleted"));
  await rename(path, aside);
  await rm(aside, { recursive: true, force: true });
}

/**
 * RENAME: moves `from` and all its subfolders to `to`; fails if any destination exists.
 * Every renamed folder's uiddb is deleted and rebuilt, so it gets a new UIDVALIDITY.
 */
export async function renameFolder(root: string, from: string, to: string, useLocks = true): Promise<void> {
  if (to === from || to.startsWith(`${from}.`))
    throw new ReservedFolderError("Cannot rename a folder into itself.");
  const names = (await folderDirNames(root)).filter((n) => n === from || n.startsWith(`${from}.`));
  if (!names.length) throw new FolderExistsError(`Folder does not exist: INBOX.${from}`);
  const pairs = names.map((n) => [n, to + n.slice(from.length)] as const);
  for (const [, dst] of pairs)
    if (await isDir(join(root, `.${dst}`))) throw new FolderExistsError(`Folder exists: INBOX.${dst}`);
  for (const [src, dst] of pairs) {
    const path = join(root, `.${dst}`);
    await rename(join(root, `.${src}`), path);
    await withFolderLock(path, useLocks, async () => {
      await unlink(join(path, UIDDB_FILE)).catch(() => {});
      await scanFolder(path, true);
    });
  }
}
