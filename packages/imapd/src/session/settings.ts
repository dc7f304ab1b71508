// Everything the worker takes from its environment and argv, read once at start.

import { loginFailDelayMs, type WorkerConnection, workerConnection } from "@courier-imap/authlib/login";

export interface Settings extends WorkerConnection {
  loginFailDelayMs: number;
  /** Total time allowed before a login succeeds (IMAP_PREAUTH_TIMEOUT, default 60 s as Courier's alarm). */
  preauthTimeoutMs: number;
  /** Command inactivity after login (IMAP_AUTOLOGOUT, default 30 minutes as Courier). */
  idleTimeoutMs: number;
}

/** Seconds from a variable; unset, unparsable or non-positive values give the default. */
function positiveSeconds(v: string | undefined, dflt: number): number {
  const n = Number.parseFloat(v ?? "");
  return Number.isFinite(n) && n > 0 ? n : dflt;
}

export function readSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    ...workerConnection(argv, env, { port: "143", service: "imap" }),
    loginFailDelayMs: loginFailDelayMs(env.IMAP_LOGIN_FAIL_DELAY),
    preauthTimeoutMs: positiveSeconds(env.IMAP_PREAUTH_TIMEOUT, 60) * 1000,
    idleTimeoutMs: positiveSeconds(env.IMAP_AUTOLOGOUT, 30 * 60) * 1000,
  };
}
