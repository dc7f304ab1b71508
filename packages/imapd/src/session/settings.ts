// Everything the worker takes from its environment and argv, read once at start.

import { loginFailDelayMs } from "@courier-imap/authlib/login";

export interface Settings {
  env: NodeJS.ProcessEnv;
  remoteIp: string;
  remotePort: string;
  localIp: string;
  localPort: string;
  authSocket: string;
  authService: string;
  /** Maildir when the account has none: argv[0], else MAILDIRPATH, else `Maildir` (relative to HOME). */
  defaultMaildir: string;
  loginFailDelayMs: number;
  /** Total time allowed before a login succeeds (IMAP_PREAUTH_TIMEOUT, default 60 s as Courier's alarm). */
  preauthTimeoutMs: number;
  /** Command inactivity after login (IMAP_AUTOLOGOUT, default 30 minutes as Courier). */
  idleTimeoutMs: number;
}

export const DEFAULT_AUTH_SOCKET = "/run/courier/authdaemon/socket";

/** Seconds from a variable; unset, unparsable or non-positive values give the default. */
function positiveSeconds(v: string | undefined, dflt: number): number {
  const n = Number.parseFloat(v ?? "");
  return Number.isFinite(n) && n > 0 ? n : dflt;
}

export function readSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): Settings {
  const localPort = env.TCPLOCALPORT || "143";
  return {
    env,
    remoteIp: env.TCPREMOTEIP || "127.0.0.1",
    remotePort: env.TCPREMOTEPORT || "N/A",
    localIp: env.TCPLOCALIP || "",
    localPort,
    authSocket: env.AUTHDAEMONSOCKET || DEFAULT_AUTH_SOCKET,
    authService: env[`AUTHSERVICE${localPort}`] || "imap",
    defaultMaildir: argv.find((a) => !a.startsWith("-")) || env.MAILDIRPATH || "Maildir",
    loginFailDelayMs: loginFailDelayMs(env.IMAP_LOGIN_FAIL_DELAY),
    preauthTimeoutMs: positiveSeconds(env.IMAP_PREAUTH_TIMEOUT, 60) * 1000,
    idleTimeoutMs: positiveSeconds(env.IMAP_AUTOLOGOUT, 30 * 60) * 1000,
  };
}
