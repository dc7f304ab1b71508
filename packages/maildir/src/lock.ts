// The IMAP_USELOCKS dot-lock `tmp/courier.lock` (maildir-formats.md §11.1), shared with a
// running Courier: link() a `<pid>:<host>` temp file to the lock name; stale locks of dead
// local processes, or of other hosts after 120 s, are removed. Within one process the same
// folder is serialized by a promise chain, since our pid in the lock cannot tell callers apart.

import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { sleep } from "./sleep.js";
import { mailHostname, uniqueTmpName } from "./unique-name.js";

export const LOCK_FILE = "courier.lock";
const FOREIGN_STALE_MS = 120_000;

const chains = new Map<string, Promise<unknown>>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {}
}

/** Per folder, our `<pid>:<host>` file in tmp/, kept between locks: creating a file is the dearest step. */
const lockFiles = new Map<string, string>();
let exitHook = false;

function ourLockFile(folderPath: string): string {
  let tmp = lockFiles.get(folderPath);
  if (tmp) return tmp;
  tmp = join(folderPath, "tmp", uniqueTmpName("courierlock"));
  const fd = openSync(tmp, "wx", 0o644);
  try {
    writeSync(fd, `${process.pid}:${mailHostname()}`);
  } finally {
    closeSync(fd);
  }
  lockFiles.set(folderPath, tmp);
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const f of lockFiles.values()) unlinkQuietly(f);
    });
  }
  return tmp;
}

function linkUnlessLocked(tmp: string, lockPath: string): void {
  try {
    linkSync(tmp, lockPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}

// synchronous: a few quick calls, each costing more through the thread pool than itself
function tryLock(folderPath: string, lockPath: string): boolean {
  try {
    linkUnlessLocked(ourLockFile(folderPath), lockPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    // our file was purged from tmp/: start over with a new one
    lockFiles.delete(folderPath);
    linkUnlessLocked(ourLockFile(folderPath), lockPath);
  }
  return statSync(lockFiles.get(folderPath)!).nlink === 2;
}

/** True if the existing lock is stale and was removed. */
async function removeIfStale(lockPath: string): Promise<boolean> {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(lockPath, "utf8");
    mtimeMs = statSync(lockPath).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
  const m = /^(\d+):(.*)$/s.exec(text);
  const local = m && m[2] === mailHostname();
  const stale = local
    ? Number(m[1]) === process.pid || !pidAlive(Number(m[1]))
    : Date.now() - mtimeMs > FOREIGN_STALE_MS;
  if (!stale) return false;
  unlinkQuietly(lockPath);
  return true;
}

export async function acquireDotLock(folderPath: string, staleSleepMs = 5000): Promise<() => Promise<void>> {
  const lockPath = join(folderPath, "tmp", LOCK_FILE);
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    if (tryLock(folderPath, lockPath)) return async () => unlinkQuietly(lockPath);
    if (await removeIfStale(lockPath)) await sleep(staleSleepMs);
    else await sleep(delay);
  }
}

/** Runs fn holding the folder lock (dot-lock only when `dotLock`; always serialized in-process). */
export async function withFolderLock<T>(
  folderPath: string,
  dotLock: boolean,
  fn: () => Promise<T>,
  staleSleepMs = 5000,
): Promise<T> {
  const key = resolve(folderPath);
  const prev = chains.get(key) ?? Promise.resolve();
  const run = prev.then(async () => {
    const release = dotLock ? await acquireDotLock(folderPath, staleSleepMs) : undefined;
    try {
      return await fn();
    } finally {
      await release?.();
    }
  });
  const tail = run.catch(() => {});
  chains.set(key, tail);
  void tail.then(() => {
    if (chains.get(key) === tail) chains.delete(key);
  });
  return run;
}
