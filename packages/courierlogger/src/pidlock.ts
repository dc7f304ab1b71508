// Courier's pid file protocol (spec/authlib-tools.md §2.1): <pidfile> holds the daemon's PID
// and <pidfile>.lock (mode 0600) is flock()ed by the running daemon for its whole life, so
// "running" means "the lock is held", whatever the pid file says.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { tryLock, unlock } from "./libc.js";

/** -stop sends SIGTERM, then SIGKILL every this often until the lock is free. */
export const KILL_ROUND_MS = 10_000;

export const lockFileOf = (pidFile: string) => `${pidFile}.lock`;

function openLock(file: string): number | undefined {
  try {
    return openSync(file, "a", 0o600);
  } catch {
    // e.g. left by an earlier install running under another uid: replace it
    rmSync(file, { force: true });
    try {
      return openSync(file, "a", 0o600);
    } catch {
      return undefined;
    }
  }
}

/** True when a running daemon holds `<pidFile>.lock`. */
export function isRunning(pidFile: string): boolean {
  const fd = openLock(lockFileOf(pidFile));
  if (fd === undefined) return false;
  try {
    if (!tryLock(fd)) return true;
    unlock(fd);
    return false;
  } finally {
    closeSync(fd);
  }
}

export function readPid(pidFile: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    return n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

export interface ClaimOptions {
  /** PID written to the pid file (default: this process). */
  pid?: number;
  /** Remove the pid file when this process exits (authdaemond's behaviour; Courier leaves it). */
  removeOnExit?: boolean;
}

/**
 * Takes the lock for this process's lifetime and writes the pid file; false when another
 * process holds it. The lock descriptor is close-on-exec, so programs we start don't keep it.
 */
export function claimPidFile(pidFile: string, o: ClaimOptions = {}): boolean {
  mkdirSync(dirname(pidFile), { recursive: true });
  const lock = lockFileOf(pidFile);
  const fd = openLock(lock);
  if (fd === undefined) throw new Error(`cannot open ${lock}`);
  if (!tryLock(fd)) {
    closeSync(fd);
    return false;
  }
  writePidFile(pidFile, o.pid ?? process.pid);
  if (o.removeOnExit) process.once("exit", () => rmSync(pidFile, { force: true }));
  return true;
}

export function writePidFile(pidFile: string, pid: number): void {
  rmSync(pidFile, { force: true });
  writeFileSync(pidFile, `${pid}\n`, { mode: 0o644 });
}

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {}
}

/** -stop: SIGTERM, then SIGKILL every `roundMs`, until the lock is free. */
export async function stopDaemon(pidFile: string, roundMs = KILL_ROUND_MS): Promise<void> {
  let sig: NodeJS.Signals = "SIGTERM";
  while (isRunning(pidFile)) {
    signal(readPid(pidFile), sig);
    sig = "SIGKILL";
    const until = Date.now() + roundMs;
    while (Date.now() < until && isRunning(pidFile)) await sleep(50);
  }
}

/** -restart: SIGHUP to the running daemon; nothing (and false) when none runs. */
export function restartDaemon(pidFile: string): boolean {
  if (!isRunning(pidFile)) return false;
  signal(readPid(pidFile), "SIGHUP");
  return true;
}
