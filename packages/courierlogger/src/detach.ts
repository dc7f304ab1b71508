// Daemonizing without fork(): the starting process re-runs its own command detached (a new
// session, stdin/stdout on /dev/null) with an IPC channel, and waits until the new process
// reports that it started (or why it did not), as ll_daemon_start's pipe does in Courier.

import { spawn } from "node:child_process";

/** Set in the environment of the detached copy; removed once it has reported back. */
export const DETACHED_ENV = "COURIER_DETACHED_CHILD";

type Report = { type: "started" } | { type: "failed"; message: string };

export function isDetachedChild(): boolean {
  return process.env[DETACHED_ENV] === "1" && typeof process.send === "function";
}

export interface DetachOptions {
  /** Where the daemon's own stderr goes: nowhere (courierlogger) or ours (couriertcpd -pid). */
  stderr: "ignore" | "inherit";
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts `node <script> args…` detached and resolves when it reports. A copy that exits
 * without a word failed; its exit code is given.
 */
export function startDetached(
  script: string,
  args: string[],
  o: DetachOptions,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: ["ignore", "ignore", o.stderr, "ipc"],
    env: { ...(o.env ?? process.env), [DETACHED_ENV]: "1" },
  });
  return new Promise((resolve) => {
    const done = (r: { ok: true } | { ok: false; message: string }) => {
      child.removeAllListeners();
      if (child.connected) child.disconnect();
      child.unref();
      resolve(r);
    };
    child.on("message", (m: Report) => {
      if (m?.type === "started") done({ ok: true });
      else if (m?.type === "failed") done({ ok: false, message: m.message });
    });
    child.once("error", (e) => done({ ok: false, message: e.message }));
    child.once("exit", (code) => done({ ok: false, message: `exited during start (status ${code})` }));
  });
}

function report(r: Report): void {
  delete process.env[DETACHED_ENV];
  if (!process.send) return;
  process.send(r, () => process.disconnect?.());
}

export const reportStarted = (): void => report({ type: "started" });
export const reportFailed = (message: string): void => report({ type: "failed", message });
