// flock(2) on a lock file, the same advisory lock Courier's Perl tools take, so our
// makeuserdb/userdb and Courier's exclude each other. Node has no flock; libc via koffi.

import { closeSync, openSync } from "node:fs";

const LOCK_EX = 2;

type FlockFn = { async(fd: number, op: number, cb: (err: unknown, rc: number) => void): void };
let flockFn: Promise<FlockFn> | undefined;

async function loadFlock(): Promise<FlockFn> {
  const koffi = (await import("koffi")).default;
  return koffi.load("libc.so.6").func("int flock(int fd, int operation)") as FlockFn;
}

/**
 * Creates (truncating, like Perl's `open(LOCK, ">file")`) and exclusively locks `lockFile`,
 * waits for the lock, runs `fn` and releases the lock by closing the file.
 */
export async function withLockFile<T>(lockFile: string, mode: number, fn: () => Promise<T>): Promise<T> {
  flockFn ??= loadFlock();
  const flock = await flockFn;
  const fd = openSync(lockFile, "w", mode);
  try {
    // On koffi's worker thread: a blocking wait must not stall the event loop.
    const rc = await new Promise<number>((resolve, reject) =>
      flock.async(fd, LOCK_EX, (err, r) => (err ? reject(err) : resolve(r))),
    );
    if (rc !== 0) throw new Error(`Can't lock ${lockFile}`);
    return await fn();
  } finally {
    closeSync(fd);
  }
}
