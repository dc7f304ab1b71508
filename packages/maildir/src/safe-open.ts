// Symlink-safe open (maildir-formats.md §2.8): O_NONBLOCK so a FIFO cannot hang us, then
// the descriptor's dev/ino must match an lstat of the path (the last component is no symlink).

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";
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

/**
 * Reads a small file whole through the safe open, synchronously (a one-connection worker:
 * five quick calls beat five thread-pool round trips); undefined when it is over `maxBytes`.
 */
export function readSmallSafeSync(path: string, maxBytes: number, skipCheck = false): Buffer | undefined {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const a = fstatSync(fd, { bigint: true });
    if (!skipCheck) {
      const b = lstatSync(path, { bigint: true });
      if (a.dev !== b.dev || a.ino !== b.ino || !a.isFile())
        throw new UnsafeFileError(`${path}: not a regular file`);
    }
    if (a.size > BigInt(maxBytes)) return undefined;
    const buf = Buffer.allocUnsafe(Number(a.size));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (!n) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
