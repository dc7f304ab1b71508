// Symlink-safe open (maildir-formats.md §2.8): O_NONBLOCK so a FIFO cannot hang us, then
// the descriptor's dev/ino must match an lstat of the path (the last component is no symlink).

import { closeSync, constants, fstatSync, openSync, type Stats } from "node:fs";
import { type FileHandle, lstat, open } from "node:fs/promises";
import { UnsafeFileError } from "./errors.js";

export async function safeOpen(
  path: string,
  flags: number = constants.O_RDONLY,
  mode = 0o644,
  skipCheck = false,
): Promise<FileHandle> {
  const fh = await open(path, flags | constants.O_NONBLOCK | constants.O_NOFOLLOW, mode);
  try {
    if (!skipCheck) {
      const [a, b] = await Promise.all([fh.stat({ bigint: true }), lstat(path, { bigint: true })]);
      if (a.dev !== b.dev || a.ino !== b.ino || !a.isFile())
        throw new UnsafeFileError(`${path}: not a regular file`);
    }
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Reads a whole control file through the safe open; undefined if it does not exist. */
export async function readSafe(path: string, skipCheck = false): Promise<Buffer | undefined> {
  let fh: FileHandle;
  try {
    fh = await safeOpen(path, constants.O_RDONLY, 0o644, skipCheck);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/**
 * safeOpen, synchronous (for the per-message reads of a one-connection worker); also
 * returns the descriptor's stat, which says which version of the file was opened.
 */
export function safeOpenSync(path: string, skipCheck = false): { fd: number; stat: Stats } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const stat = fstatSync(fd);
    // O_NOFOLLOW already refuses a symlink as the last component, which is what Courier's
    // fstat/lstat comparison detects; the lstat is kept out of this per-message path.
    if (!skipCheck && !stat.isFile()) throw new UnsafeFileError(`${path}: not a regular file`);
    return { fd, stat };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
