// Everything the worker takes from its environment and argv, read once at start.

import { loginFailDelayMs } from "@courier-imap/authlib/login";

export interface Settings {
  env: NodeJS.ProcessEnv;
  remoteIp: string;
  remotePort: string;
  localIp: string;
  localPort: string;
  authSocket: string;
  /** AUTHSERVICE<port>, else pop3. */
  authService: string;
  /** Maildir when the account has none: argv, else MAILDIRPATH, else `Maildir` (relative to HOME). */
  defaultMaildir: string;
  loginFailDelayMs: number;
  /** Courier's alarm over the whole login phase. */
  preauthTimeoutMs: number;
  /** Courier's alarm(300) per command after login. */
  idleTimeoutMs: number;
  logDeletions: boolean;
}

export const DEFAULT_AUTH_SOCKET = "/run/courier/authdaemon/socket";

export function readSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): Settings {
  const localPort = env.TCPLOCALPORT || "110";
  return {
    env,
    remoteIp: env.TCPREMOTEIP || "127.0.0.1",
    remotePort: env.TCPREMOTEPORT || "N/A",
    localIp: env.TCPLOCALIP || "",
    localPort,
    authSocket: env.AUTHDAEMONSOCKET || DEFAULT_AUTH_SOCKET,
    authService: env[`AUTHSERVICE${localPort}`] || "pop3",
    defaultMaildir: argv.find((a) => !a.startsWith("-")) || env.MAILDIRPATH || "Maildir",
    loginFailDelayMs: loginFailDelayMs(env.POP3_LOGIN_FAIL_DELAY),
    preauthTimeoutMs: 60_000,
    idleTimeoutMs: 300_000,
    logDeletions: !!env.POP3_LOG_DELETIONS && !env.POP3_LOG_DELETIONS.startsWith("0"),
  };
}
