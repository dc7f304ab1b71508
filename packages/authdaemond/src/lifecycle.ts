// `authdaemond start|stop|restart` with courierlogger's pid and lock files
// (spec/authlib-tools.md §2.1), through @courier-imap/courierlogger: $authdaemonvar/pid holds
// the daemon's PID, and $authdaemonvar/pid.lock is flock()ed by the running daemon.
//   start    no-op (exit 0) when the lock is held; else starts the daemon detached, with its
//            log lines sent to syslog as courierlogger sends them, and returns once it holds
//            the lock and answers on its socket.
//   stop     SIGTERM, then SIGKILL every 10 s, until the lock is free; exit 0.
//   restart  SIGHUP when running (re-reads authdaemonrc); nothing when not running.
// Unlike Courier, the daemon is its own log pump (no separate courierlogger process).

import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  claimPidFile,
  lineWriter,
  isRunning as lockHeld,
  readPid,
  restartDaemon,
  Syslog,
  stopDaemon,
} from "@courier-imap/courierlogger";
import { loadSettings } from "./settings.js";

export const STARTED = "authdaemond-started";

export interface RunFiles {
  dir: string;
  pid: string;
  lock: string;
}

export function runFiles(configFile: string): RunFiles {
  const dir = loadSettings(configFile).authdaemonvar;
  return { dir, pid: join(dir, "pid"), lock: join(dir, "pid.lock") };
}

/** True when a running daemon holds the lock. */
export function isRunning(f: RunFiles): boolean {
  return lockHeld(f.pid);
}

/** Called in the detached daemon: takes the lock and writes the pid file, or returns false. */
export function claimRunFiles(f: RunFiles): boolean {
  mkdirSync(f.dir, { recursive: true, mode: 0o750 });
  return claimPidFile(f.pid, { removeOnExit: true });
}

export async function start(configFile: string, cliFile: string): Promise<number> {
  const f = runFiles(configFile);
  mkdirSync(f.dir, { recursive: true, mode: 0o750 });
  if (isRunning(f)) {
    process.stderr.write(`authdaemond: already running (pid ${readPid(f.pid) ?? "?"})\n`);
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
  await stopDaemon(runFiles(configFile).pid);
  return 0;
}

export function restart(configFile: string): number {
  restartDaemon(runFiles(configFile).pid);
  return 0;
}

/**
 * Log sink for daemon mode: syslog with LOGGEROPTS' -name (default authdaemond) and
 * -facility (default mail), priorities from Courier's line prefixes.
 */
export function syslogSink(loggerOpts: string): (line: string) => void {
  const facility = /(?:^|\s)-facility=(\S+)/.exec(loggerOpts)?.[1] ?? "mail";
  const name = /(?:^|\s)-name=(\S+)/.exec(loggerOpts)?.[1] ?? "authdaemond";
  let sink: Syslog;
  try {
    sink = new Syslog(name, facility);
  } catch {
    sink = new Syslog(name, "mail");
  }
  return lineWriter(sink);
}
