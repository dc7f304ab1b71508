// Everything the worker takes from its environment and argv, read once at start.

import { join } from "node:path";

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
  preauthTimeoutMs: number;
  idleTimeoutMs: number;
}

export const DEFAULT_AUTH_SOCKET = "/run/courier/authdaemon/socket";

function seconds(v: string | undefined, dflt: number): number {
  const n = Number.parseFloat(v ?? "");
  return Number.isFinite(n) && n >= 0 ? n : dflt;
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
    loginFailDelayMs: seconds(env.IMAP_LOGIN_FAIL_DELAY, 5) * 1000,
    preauthTimeoutMs: 60_000,
    idleTimeoutMs: 30 * 60_000,
  };
}

/** Resolves the account's maildir against its home directory. */
export function maildirPath(home: string, maildir: string | undefined, dflt: string): string {
  const m = maildir || dflt;
  return m.startsWith("/") ? m : join(home || ".", m);
}
