// `authdaemond start|stop|restart` with courierlogger's pid and lock files
// (spec/authlib-tools.md §2.1): $authdaemonvar/pid holds the daemon's PID, and
// $authdaemonvar/pid.lock is flock()ed by the running daemon for its whole life.
//   start    no-op (exit 0) when the lock is held; else starts the daemon detached, with its
//            log lines sent to syslog through logger(1), and returns once it holds the lock.
//   stop     SIGTERM, then SIGKILL every 10 s, until the lock is free; exit 0.
//   restart  SIGHUP when running (re-reads authdaemonrc); nothing when not running.

import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadSettings } from "./settings.js";
import { tryLock, unlock } from "./system/libc.js";

export const STARTED = "authdaemond-started";
const KILL_ROUND_MS = 10_000;

export interface RunFiles {
  dir: string;
  pid: string;
  lock: string;
}

export function runFiles(configFile: string): RunFiles {
  const dir = loadSettings(configFile).authdaemonvar;
  return { dir, pid: join(dir, "pid"), lock: join(dir, "pid.lock") };
}

function openLock(file: string): number | undefined {
  try {
    return openSync(file, "a", 0o600);
  } catch {
    rmSync(file, { force: true });
    try {
      return openSync(file, "a", 0o600);
    } catch {
      return undefined;
    }
  }
}

/** True when a running daemon holds the lock. */
export function isRunning(f: RunFiles): boolean {
  const fd = openLock(f.lock);
  if (fd === undefined) return false;
  try {
    if (!tryLock(fd)) return true;
    unlock(fd);
    return false;
  } finally {
    closeSync(fd);
  }
}

function readPid(f: RunFiles): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(f.pid, "utf8"), 10);
    return n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {}
}

/** Called in the detached daemon: takes the lock and writes the pid file, or returns false. */
export function claimRunFiles(f: RunFiles): boolean {
  mkdirSync(f.dir, { recursive: true, mode: 0o750 });
  const fd = openLock(f.lock);
  if (fd === undefined) throw new Error(`cannot open ${f.lock}`);
  if (!tryLock(fd)) {
    closeSync(fd);
    return false;
  }
  // fd stays open (and locked) until the process exits; Node opens it close-on-exec.
  rmSync(f.pid, { force: true });
  writeFileSync(f.pid, `${process.pid}\n`, { mode: 0o644 });
  process.once("exit", () => rmSync(f.pid, { force: true }));
  return true;
}

export async function start(configFile: string, cliFile: string): Promise<number> {
  const f = runFiles(configFile);
  mkdirSync(f.dir, { recursive: true, mode: 0o750 });
  if (isRunning(f)) {
    process.stderr.write(`authdaemond: already running (pid ${readPid(f) ?? "?"})\n`);
    return 0;
  }
  const child = spawn(process.execPath, [cliFile, "--config", configFile, "--daemon"], {
    detached: true,
    stdio: ["ignore", "ignore", "ignore", "ipc"],
  });
  const ok = await new Promise<boolean>((resolve) => {
    child.once("message", (m) => resolve(m === STARTED));
    child.once("exit", () => resolve(false));
    child.once("error", () => resolve(false));
  });
  child.disconnect?.();
  child.unref();
  if (!ok && !isRunning(f)) {
    process.stderr.write("authdaemond: the daemon did not start (see the mail log)\n");
    return 1;
  }
  return 0;
}

export async function stop(configFile: string): Promise<number> {
  const f = runFiles(configFile);
  let sig: NodeJS.Signals = "SIGTERM";
  while (isRunning(f)) {
    signal(readPid(f), sig);
    sig = "SIGKILL";
    const until = Date.now() + KILL_ROUND_MS;
    while (Date.now() < until && isRunning(f)) await sleep(100);
  }
  return 0;
}

export function restart(configFile: string): number {
  const f = runFiles(configFile);
  if (isRunning(f)) signal(readPid(f), "SIGHUP");
  return 0;
}

/** Log sink for daemon mode: logger(1) with the priority taken from Courier's line prefix. */
export function syslogSink(facility: string): (line: string) => void {
  const have = spawnSync("logger", ["--help"], { stdio: "ignore" }).status === 0;
  if (!have) return () => {};
  const p = spawn("logger", ["-t", "authdaemond", "--prio-prefix", "-p", `${facility}.info`], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  p.stdin.on("error", () => {});
  const PRIO: Record<string, number> = {
    "ALERT:": 1,
    "CRIT:": 2,
    "ERR:": 3,
    "WARN:": 4,
    "INFO:": 6,
    "DEBUG:": 7,
  };
  return (line) => {
    const m = /^(ALERT:|CRIT:|ERR:|WARN:|INFO:|DEBUG:)\s*/.exec(line);
    p.stdin.write(`<${m ? PRIO[m[1]] : 6}>${m ? line.slice(m[0].length) : line}`);
  };
}
